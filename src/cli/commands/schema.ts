/**
 * `vanguard schema`: the policy's JSON schema (or, with --test, the test file's) on stdout
 * or written to a file, so an editor can validate a policy without Vanguard installed
 * next to it (`# yaml-language-server: $schema=./vanguard.schema.json`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { VanguardError } from '../../errors.js';
import { schemaFile } from '../package-info.js';

/** Options of `vanguard schema`. */
export interface SchemaArgs {
  test?: boolean;
  out?: string;
  force?: boolean;
}

/** Print or write the schema; returns the exit code. */
export function schemaCommand(args: SchemaArgs): number {
  const text = readFileSync(schemaFile(args.test ? 'test' : 'policy'), 'utf8');
  if (args.out === undefined) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`); // stdout-ok: schema prints the schema
    return 0;
  }
  // An existing file may be someone's edited copy: replaced only when asked.
  if (existsSync(args.out) && !args.force) throw new VanguardError('USAGE', `${args.out} already exists; it was not overwritten (add --force to replace it)`, 2);
  writeFileSync(args.out, text.endsWith('\n') ? text : `${text}\n`);
  process.stderr.write(`wrote the ${args.test ? 'test file' : 'policy'} schema to ${args.out}\n`);
  return 0;
}
