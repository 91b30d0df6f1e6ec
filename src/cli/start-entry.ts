/**
 * The entry of the start bundle (scripts/bundle-start.mjs builds dist/cli/start.bundle.cjs
 * from it; start-loader.ts runs it): a plain `vanguard start`, parsed by the fast path and run
 * to the end. Anything the fast path is not sure of is handed back, for the full CLI.
 */
import { startCommand, type StartHooks } from './commands/start.js';
import { parseStartFast } from './fast-start.js';
import { reportError } from './report-error.js';

/** Run a plain `start` to its exit code; undefined when the full CLI (main.ts) should take argv. */
export async function runStart(argv: string[], hooks: StartHooks = {}): Promise<number | undefined> {
  const args = parseStartFast(argv);
  if (args === undefined) return undefined;
  try {
    return await startCommand(args, hooks);
  } catch (error) {
    return reportError(error);
  }
}
