/**
 * Reading a process's output one JSON line at a time, for the tests that pipeline calls at a
 * real shim: each message goes to `onMessage`. `until` waits for a condition on what was read
 * (woken by each chunk, looked at every 100 ms at least), or for `ms` to pass. `untilStalled`
 * waits for the condition, or until no line has come for `quietMs`: a bound that ends a stall,
 * and not a slow run on a busy machine; or for `maxMs` in all, so that a shim that answers too
 * slowly ends the wait with what it answered, before the test's own timeout. (Times are read
 * with performance.now, which a change of the system clock does not move.)
 */
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';

export interface JsonLines {
  until(done: () => boolean, ms: number): Promise<void>;
  untilStalled(done: () => boolean, quietMs: number, maxMs: number): Promise<void>;
}

export function jsonLines(output: Readable, onMessage: (message: Record<string, unknown>) => void): JsonLines {
  let text = '';
  let wake: () => void = () => undefined;
  let lastLineAt = performance.now();
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    if (lines.length > 0) lastLineAt = performance.now();
    for (const line of lines) onMessage(JSON.parse(line) as Record<string, unknown>);
    wake();
  });
  const wait = (): Promise<void> => new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 100)));
  return {
    async until(done, ms) {
      const deadline = performance.now() + ms;
      while (!done() && performance.now() < deadline) await wait();
    },
    async untilStalled(done, quietMs, maxMs) {
      const start = performance.now();
      lastLineAt = Math.max(lastLineAt, start);
      while (!done() && performance.now() - lastLineAt < quietMs && performance.now() - start < maxMs) await wait();
    },
  };
}
