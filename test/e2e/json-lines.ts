/**
 * Reading a process's output one JSON line at a time, for the tests that pipeline calls at a
 * real shim: each message goes to `onMessage`, and `until` waits for a condition on what was
 * read (woken by each chunk, looked at every 100 ms at least), or for `ms` to pass.
 */
import type { Readable } from 'node:stream';

export function jsonLines(output: Readable, onMessage: (message: Record<string, unknown>) => void): { until(done: () => boolean, ms: number): Promise<void> } {
  let text = '';
  let wake: () => void = () => undefined;
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    for (const line of lines) onMessage(JSON.parse(line) as Record<string, unknown>);
    wake();
  });
  return {
    async until(done, ms) {
      const deadline = Date.now() + ms;
      while (!done() && Date.now() < deadline) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 100)));
    },
  };
}
