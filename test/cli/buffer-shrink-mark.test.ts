/**
 * V8 keeps one mark per isolate that no ArrayBuffer has been detached; from V8 12 (Node 22) the
 * first shrink of any buffer clears it too, and V8 throws away the optimized code of every
 * function that leaned on it. The framer's store for long lines is shrunk when it gives its
 * pages back (src/protocol/framer.ts), so a start shrinks one small buffer before any frame is
 * read (shrinkOnceAtStart): the mark is cleared while there is nothing to throw away, never
 * again later in the session.
 *
 * Read with V8's own trace (--trace-protector-invalidation, which prints to stdout) in the real
 * built CLI in front of tiny-server: the trace's line must come before the first answer, and
 * only once, though a 2 MiB result and the 64 KiB of shorter answers after it make the store
 * give its pages back. On Node 20 a shrink leaves the mark alone: no line at all. The build
 * under test is dist (npm test builds it first).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(root, 'bin', 'vanguard.js');
const SERVER = path.join(root, 'test', 'fixtures', 'servers', 'tiny-server.mjs');
const MARK = 'Invalidating protector cell ArrayBufferDetaching';
// Whether a shrink clears the mark: from V8 12 (Node 22). Node 20's V8 (11.x) clears it only on
// a detach (the control below detaches on every version, so the reading is checked there too).
const SHRINK_CLEARS_MARK = Number(process.versions.v8.split('.')[0]) >= 12;
// A child that has not exited by then is killed and the reading fails (an answer never came).
const GIVE_UP_MS = 20_000;
const ECHOES = 40;

/**
 * Runs node with the trace on and `args`, and reads stdout's lines until it exits. `batches` are
 * written in turn, each once `after` JSON-RPC answers have come (the long result's answer before
 * the short calls, so they reach the shim after the proxy has given its store back); stdin is
 * closed once `expected` answers have come.
 */
function readLines(args: string[], batches: Array<{ after: number; lines: string[] }>, expected: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--trace-protector-invalidation', ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within ${GIVE_UP_MS} ms (${answered} of ${expected} answers)`));
    }, GIVE_UP_MS);
    const chunks: Buffer[] = [];
    // The first bytes of the line being read (enough to tell an answer's start), and how many.
    const lineHead = Buffer.alloc(10);
    let headBytes = 0;
    let answered = 0;
    let next = 0;
    const writeDue = (): void => {
      while (next < batches.length && batches[next].after <= answered) for (const line of batches[next++].lines) child.stdin.write(line + '\n');
      if (next === batches.length && answered >= expected) child.stdin.end();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      for (let from = 0; from < chunk.length; ) {
        const newline = chunk.indexOf(10, from);
        const end = newline === -1 ? chunk.length : newline;
        const take = Math.min(lineHead.length - headBytes, end - from);
        if (take > 0) headBytes += chunk.copy(lineHead, headBytes, from, from + take);
        if (newline === -1) break;
        if (headBytes === lineHead.length && lineHead.toString('latin1') === '{"jsonrpc"') answered++;
        headBytes = 0;
        from = newline + 1;
      }
      writeDue();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => line !== ''));
    });
    writeDue();
  });
}

/** Where the trace's line is, how often it came, and where the first JSON line is. */
function reading(lines: string[]): { marks: number; markAt: number; firstJsonAt: number; answers: number } {
  const isMark = (line: string): boolean => line.includes(MARK);
  return {
    marks: lines.filter(isMark).length,
    markAt: lines.findIndex(isMark),
    firstJsonAt: lines.findIndex((line) => line.startsWith('{')),
    answers: lines.filter((line) => line.startsWith('{"jsonrpc"')).length,
  };
}

const request = (id: number, method: string, params: unknown): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });

describe('the shrunk-buffer mark', () => {
  it('is cleared as the shim starts, before its first answer, and not again after a long result gives its pages back', async () => {
    const start = [
      request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mark-test', version: '1' } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      request(2, 'tools/call', { name: 'big', arguments: { bytes: 2 << 20, tag: 'long-' } }),
    ];
    // Over 64 KiB of shorter answers after it: the store is given up (SPARE_KEPT_FOR_BYTES).
    const short = Array.from({ length: ECHOES }, (_, i) => request(3 + i, 'tools/call', { name: 'echo', arguments: { text: 'a short note about the weather. '.repeat(64) } }));
    const lines = await readLines([CLI, 'start', '--', process.execPath, SERVER], [{ after: 0, lines: start }, { after: 2, lines: short }], 2 + ECHOES);
    const seen = reading(lines);
    // Every request was answered: the long result went through the store.
    expect(seen.answers).toBe(2 + ECHOES);
    expect(lines.some((line) => line.startsWith('{"jsonrpc"') && line.includes('long-xxxx') && line.length > 2 << 20)).toBe(true);
    if (SHRINK_CLEARS_MARK) {
      expect(seen.marks).toBe(1);
      expect(seen.markAt).toBeLessThan(seen.firstJsonAt);
    } else {
      expect(seen.marks).toBe(0);
    }
  });

  it('is seen where a buffer is shrunk or detached (the reading above can tell before from after)', async () => {
    // A JSON line first, then a shrink; then, on its own turn, a detach (which clears the mark on
    // every version, where the shrink has not).
    const script = [
      "process.stdout.write('{}\\n', () => {",
      '  new ArrayBuffer(8, { maxByteLength: 8 }).resize(0);',
      "  process.stdout.write('{}\\n', () => { const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] }); });",
      '});',
    ].join('\n');
    const lines = await readLines(['-e', script], [], 0);
    const seen = reading(lines);
    expect(seen.firstJsonAt).toBe(0);
    expect(seen.marks).toBe(1);
    // Where a shrink clears it, the mark comes right after the first line; elsewhere only after the second.
    expect(seen.markAt).toBe(SHRINK_CLEARS_MARK ? 1 : 2);
  });
});
