/**
 * `vanguard pin`: start the server, list every tool, prompt and resource (all pages), and
 * write the lock file: per definition its name, the sha256 of its canonical JSON, and a
 * short summary. Review it in a diff; `start` compares live lists with it.
 * `vanguard pin --check`: compare the live server with the lock instead, and exit 1 naming
 * every difference.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VanguardError } from '../../errors.js';
import { parseLock, pinDefinitions, renderLock, type LockFile } from '../../pinning/lock.js';
import { entriesOf, listServer } from '../../scan/list-server.js';
import { describeDifference, diffLock } from '../../scan/lock-diff.js';
import { deriveServerName } from '../server-name.js';
import { serverArgv, type StartArgs } from './start.js';

export interface PinArgs extends Pick<StartArgs, 'server' | '--' | 'name'> {
  lock: string;
  check?: boolean;
}

function readLockFile(file: string): LockFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new VanguardError('USAGE', `cannot read the lock file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); write it with: vanguard pin --lock ${file} -- <server command>`, 2);
  }
  const parsed = parseLock(text);
  if (!parsed.ok) throw new VanguardError('USAGE', `${file}: ${parsed.message}`, 2);
  return parsed.lock;
}

/** Write (or with --check, compare with) the lock file; returns the exit code. */
export async function pinCommand(args: PinArgs): Promise<number> {
  const argv = serverArgv(args);
  const [command, ...commandArgs] = argv;
  if (command === undefined) throw new VanguardError('USAGE', 'the server command is empty', 2);
  const file = path.resolve(args.lock);
  // Read before the server starts: a missing lock is reported without running anything.
  const pinned = args.check ? readLockFile(file) : undefined;
  const listing = await listServer({ command, args: commandArgs, env: { ...process.env } as Record<string, string> }, 'vanguard-pin');
  const live = { tools: entriesOf(listing, 'tools'), prompts: entriesOf(listing, 'prompts'), resources: entriesOf(listing, 'resources') };
  const counts = `${live.tools.length} tools, ${live.prompts.length} prompts, ${live.resources.length} resources`;
  const name = args.name ?? deriveServerName(argv);
  if (pinned) {
    const differences = diffLock(live, pinned);
    if (differences.length === 0) {
      process.stdout.write(`${file}: ${name} matches the lock (${counts})\n`); // stdout-ok: CLI output
      return 0;
    }
    const lines = differences.map((d) => `  ${describeDifference(d)}`).join('\n');
    process.stdout.write(`${file}: ${name} differs from the lock in ${differences.length} definition${differences.length === 1 ? '' : 's'}:\n${lines}\n`); // stdout-ok: CLI output
    return 1;
  }
  const lock: LockFile = {
    vanguardLock: 1,
    server: name,
    pinnedAt: new Date().toISOString(),
    tools: pinDefinitions('tools', live.tools),
    prompts: pinDefinitions('prompts', live.prompts),
    resources: pinDefinitions('resources', live.resources),
  };
  writeFileSync(file, renderLock(lock));
  process.stdout.write(`${file}: pinned ${counts} of ${lock.server}\n`); // stdout-ok: CLI output
  return 0;
}
