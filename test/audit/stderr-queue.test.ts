/**
 * The stderr queue with a real pipe: while nobody reads it, the writer never blocks the
 * thread, lines past the bound are dropped and counted, and once the reader catches up one
 * line says how many went; every line is either delivered whole or counted as dropped.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { expectDropsReported } from './helpers.js';

const queueModule = pathToFileURL(path.join(import.meta.dirname, '..', '..', 'dist', 'audit', 'stderr-queue.js')).href;

it('drops and counts lines while stderr is not read, and says how many once it drains', async () => {
  const script = `
    import { createStderrQueue } from '${queueModule}';
    const queue = createStderrQueue(2, (n) => 'DROPPED ' + n + '\\n', 64 * 1024);
    const line = (i) => 'line ' + i + ' ' + 'x'.repeat(1000) + '\\n';
    const started = Date.now();
    for (let i = 0; i < 2000; i++) queue.write([line(i)]);
    // The loop above never waited for the pipe.
    process.stdout.write('queued in ' + (Date.now() - started) + ' ms, dropped ' + queue.dropped() + '\\n');
    // Once the parent reads, the queue drains; the next write brings the notice first.
    setTimeout(() => { queue.write(['last\\n']); queue.flush(5000); process.exit(0); }, 1500);
  `;
  const { out, err } = await runReadingStderrLate(script);
  expectDropsReported(out, err, 2000);
}, 30_000);

it('says how many lines it dropped when it is flushed for an exit before stderr has drained', async () => {
  const script = `
    import { createStderrQueue } from '${queueModule}';
    const queue = createStderrQueue(2, (n) => 'DROPPED ' + n + '\\n', 64 * 1024);
    const line = (i) => 'line ' + i + ' ' + 'x'.repeat(1000) + '\\n';
    for (let i = 0; i < 2000; i++) queue.write([line(i)]);
    process.stdout.write('dropped ' + queue.dropped() + '\\n');
    // An exit at once, as the shim's: no later write brings the notice.
    queue.flush(5000);
    process.exit(0);
  `;
  const { out, err } = await runReadingStderrLate(script);
  expectDropsReported(out, err, 2000, true);
}, 30_000);

// Runs `script` (an ES module) and reads its stderr only once it has said `dropped` on stdout.
async function runReadingStderrLate(script: string): Promise<{ out: string; err: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pause();
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  // Start reading stderr only after the child has queued everything.
  while (!out.includes('dropped')) await new Promise((r) => setTimeout(r, 20));
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stderr.resume();
  // 'close', not 'exit': the pipes may still hold what the child wrote last.
  await new Promise((resolve) => child.on('close', resolve));
  return { out, err };
}
