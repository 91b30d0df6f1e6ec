/**
 * Reading a process's output one JSON line at a time, for the tests that pipeline calls at a
 * real shim: each message goes to `onMessage`. `until` waits for a condition on what was read
 * (woken by each chunk, looked at every 100 ms at least), or for `ms` to pass. `untilStalled`
 * waits for the condition, or until no line has come for `quietMs`: a bound that ends a stall,
 * and not a slow run on a busy machine (the test's own timeout bounds the whole).
 */
import type { Readable } from 'node:stream';

export interface JsonLines {
  until(done: () => boolean, ms: number): Promise<void>;
  untilStalled(done: () => boolean, quietMs: number): Promise<void>;
}

export function jsonLines(output: Readable, onMessage: (message: Record<string, unknown>) => void): JsonLines {
  let text = '';
  let wake: () => void = () => undefined;
  let lastLineAt = Date.now();
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    if (lines.length > 0) lastLineAt = Date.now();
    for (const line of lines) onMessage(JSON.parse(line) as Record<string, unknown>);
    wake();
  });
  const wait = (): Promise<void> => new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 100)));
  return {
    async until(done, ms) {
      const deadline = Date.now() + ms;
      while (!done() && Date.now() < deadline) await wait();
    },
    async untilStalled(done, quietMs) {
      lastLineAt = Math.max(lastLineAt, Date.now());
      while (!done() && Date.now() - lastLineAt < quietMs) await wait();
    },
  };
}
