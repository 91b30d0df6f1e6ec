/**
 * The entry point: the one place that exits the process. Errors become one line on
 * stderr and an exit code (report-error.ts). bin/vanguard.js runs a plain `start` from the
 * start bundle (start-loader.ts) and comes here for everything else.
 */
import { reportError } from './report-error.js';

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
    return reportError(error);
  }
}

const code = await main();
// Let stdout and stderr drain before leaving: a piped stdout may still hold the last frames.
process.stdout.write("", () => process.exit(code)); // stdout-ok: empty write, waits for the last frames to drain
