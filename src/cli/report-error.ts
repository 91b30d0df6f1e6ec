/**
 * How the CLI ends on an error: one line on stderr and an exit code, never a stack trace,
 * unless VANGUARD_DEBUG is set. Shared by main.ts and the bundled start (start-entry.ts).
 */
import { VanguardError } from '../errors.js';

/** Say what went wrong on stderr; returns the exit code for it. */
export function reportError(error: unknown): number {
  if (error instanceof VanguardError) {
    process.stderr.write(`vanguard: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`vanguard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.VANGUARD_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}
