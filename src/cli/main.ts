/**
 * The entry point: the one place that exits the process. Errors become one line on
 * stderr and an exit code, never a stack trace, unless VANGUARD_DEBUG is set.
 */
import { VanguardError } from '../errors.js';
import { runCli } from './run.js';

async function main(): Promise<number> {
  try {
    return await runCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof VanguardError) {
      process.stderr.write(`vanguard: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`vanguard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.VANGUARD_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

const code = await main();
// Let stdout and stderr drain before leaving: a piped stdout may still hold the last frames.
process.stdout.write("", () => process.exit(code)); // stdout-ok: empty write, waits for the last frames to drain
