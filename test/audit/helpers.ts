/** What the audit tests share: pino's own line for a decision, and the check of a stderr writer's drops. */
import pino from 'pino';
import { expect } from 'vitest';
import { bindingsText, levelPrefix } from '../../src/audit/line.js';

type PinoLevel = 'debug' | 'info' | 'warn' | 'error';

/** A sink's line start (level 30) and pino's line for the same fields, at a fixed time (at `level`, info by default). */
export function pinoWriter(base: Record<string, string>, time: string): { head: string; pinoLine(fields: Record<string, unknown>, msg: string, level?: PinoLevel): string } {
  return {
    head: `${levelPrefix(30)},"time":"${time}"${bindingsText(base)}`,
    pinoLine(fields, msg, level = 'info') {
      const out: string[] = [];
      pino({ level: 'debug', base, timestamp: () => `,"time":"${time}"` }, { write: (line: string) => void out.push(line) })[level](fields, msg);
      return out.join('');
    },
  };
}

/**
 * A writer that was not read for a while wrote `total` lines `line <i> x…x` (1000 x), then,
 * once read, the notice `DROPPED <n>` and `last`: every line was delivered whole or counted
 * in `dropped <n>` on stdout. With `endsWithNotice`, nothing was written after the drops and
 * the notice itself is the last line (said at the exit, not at a drain).
 */
export function expectDropsReported(out: string, err: string, total: number, endsWithNotice = false): void {
  const dropped = Number(/dropped (\d+)/.exec(out)?.[1]);
  const lines = err.split('\n').filter((l) => l !== '');
  const delivered = lines.filter((l) => /^line \d+ x{1000}$/.test(l)).length;
  expect(dropped).toBeGreaterThan(0);
  expect(delivered + dropped).toBe(total);
  expect(lines).toContain(`DROPPED ${dropped}`);
  expect(lines.at(-1)).toBe(endsWithNotice ? `DROPPED ${dropped}` : 'last');
}
