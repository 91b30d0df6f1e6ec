/**
 * Checking a call's arguments against the input schema the server announced for the
 * tool. Schemas come from the server, so they are not trusted: `pattern` keywords run on
 * the linear-time-checked regex engine (src/rules/linear-regex.ts), compiled validators are
 * cached by the schema's text (bounded), and a schema that cannot be compiled safely makes
 * the call fail closed.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ValidateFunction } from 'ajv';
import { compileLinear } from '../rules/linear-regex.js';

const require = createRequire(import.meta.url);

export type SchemaCheck = { ok: true } | { ok: false; message: string };

const CACHE_LIMIT = 1_000;
const cache = new Map<string, ValidateFunction | string>();
let engines: { draft07: AjvType; draft2020: AjvType } | undefined;

// `pattern` in a server's schema runs like a rule pattern: checked against the linear
// engine, run with V8's linear fallback. One the linear engine refuses is refused here.
function linearRegExp(pattern: string): { test(s: string): boolean } {
  const compiled = compileLinear(pattern);
  if (!compiled.ok) throw new Error(`schema pattern ${JSON.stringify(pattern)}: ${compiled.message}`);
  const regex = compiled.regex;
  return { test: (s) => ((regex.lastIndex = 0), regex.test(s)) };
}
linearRegExp.code = 'linearRegExp';

function ajvs(): { draft07: AjvType; draft2020: AjvType } {
  if (!engines) {
    const options = { strict: false, allErrors: false, validateSchema: false, code: { regExp: linearRegExp } };
    const { Ajv } = require('ajv') as { Ajv: new (o: object) => AjvType };
    const { Ajv2020 } = require('ajv/dist/2020') as { Ajv2020: new (o: object) => AjvType };
    engines = { draft07: new Ajv(options), draft2020: new Ajv2020(options) };
  }
  return engines;
}

// MCP's 2025-11-25 schema says an inputSchema without $schema is JSON Schema 2020-12.
function engineFor(schema: Record<string, unknown>): AjvType {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  return /draft-0[4-7]/.test(dialect) ? ajvs().draft07 : ajvs().draft2020;
}

/** Validate `args` against a tool's input schema. Never throws. */
export function checkArguments(schema: Record<string, unknown>, args: unknown): SchemaCheck {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (validate === undefined) {
    try {
      // The $schema and $id of a server's schema are its own business; ajv would try to resolve them.
      const { $id: _id, $schema: _dialect, ...rest } = schema;
      validate = engineFor(schema).compile(rest);
    } catch (error) {
      validate = `the tool's input schema cannot be checked safely: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, validate);
  }
  if (typeof validate === 'string') return { ok: false, message: validate };
  if (validate(args ?? {})) return { ok: true };
  const first = validate.errors?.[0];
  const where = first?.instancePath ? `argument ${first.instancePath.slice(1).replace(/\//g, '.')}` : 'the arguments';
  return { ok: false, message: `${where} ${first?.message ?? 'do not match the schema'} (the tool's input schema)` };
}
