/**
 * `vanguard pin`: start the server, list every tool, prompt and resource (all pages), and
 * write the lock file: per definition its name, the sha256 of its canonical JSON, and a
 * short summary. Review it in a diff; `start` compares live lists with it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { VanguardError } from '../../errors.js';
import { pinDefinitions, renderLock, type LockFile } from '../../pinning/lock.js';
import { deriveServerName } from '../server-name.js';
import { serverArgv, type StartArgs } from './start.js';

export interface PinArgs extends Pick<StartArgs, 'server' | '--' | 'name'> {
  lock: string;
}

type Page = { nextCursor?: string } & Record<string, unknown>;

// Every page of a list, following cursors (bounded, so a looping server cannot hang us).
async function allPages(list: (cursor?: string) => Promise<Page>, field: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const result = await list(cursor);
    items.push(...((result[field] as Array<Record<string, unknown>> | undefined) ?? []));
    cursor = result.nextCursor;
    if (!cursor) return items;
  }
  throw new VanguardError('USAGE', `the server's ${field} list did not end after 1000 pages`, 1);
}

/** Write the lock file; returns the exit code. */
export async function pinCommand(args: PinArgs): Promise<number> {
  const [command, ...commandArgs] = serverArgv(args);
  if (command === undefined) throw new VanguardError('USAGE', 'the server command is empty', 2);
  const transport = new StdioClientTransport({ command, args: commandArgs, env: { ...process.env } as Record<string, string>, stderr: 'inherit' });
  const client = new Client({ name: 'vanguard-pin', version: '1.0.0' });
  try {
    await client.connect(transport);
    const capabilities = client.getServerCapabilities() ?? {};
    const lock: LockFile = {
      vanguardLock: 1,
      server: args.name ?? deriveServerName([command, ...commandArgs]),
      pinnedAt: new Date().toISOString(),
      tools: capabilities.tools ? pinDefinitions('tools', await allPages((cursor) => client.listTools({ cursor }), 'tools')) : {},
      prompts: capabilities.prompts ? pinDefinitions('prompts', await allPages((cursor) => client.listPrompts({ cursor }), 'prompts')) : {},
      resources: capabilities.resources ? pinDefinitions('resources', await allPages((cursor) => client.listResources({ cursor }), 'resources')) : {},
    };
    const file = path.resolve(args.lock);
    writeFileSync(file, renderLock(lock));
    const counts = `${Object.keys(lock.tools).length} tools, ${Object.keys(lock.prompts).length} prompts, ${Object.keys(lock.resources).length} resources`;
    process.stdout.write(`${file}: pinned ${counts} of ${lock.server}\n`); // stdout-ok: CLI output
    return 0;
  } finally {
    await client.close().catch(() => undefined);
  }
}
