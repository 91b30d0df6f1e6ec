/**
 * The entry point: the one place that exits the process. Errors become one line on
 * stderr and an exit code, never a stack trace, unless VANGUARD_DEBUG is set.
 */
import { VanguardError } from '../errors.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  try {
    // A plain `start` skips yargs (see fast-start.ts); everything else goes through it.
    if (argv[0] === 'start') {
      const fast = (await import('./fast-start.js')).parseStartFast(argv);
      if (fast) return await (await import('./commands/start.js')).startCommand(fast);
    }
    return await (await import('./run.js')).runCli(argv);
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
