/**
 * V8 (Node 22 and later) clears a process-wide mark the first time any ArrayBuffer is shrunk,
 * and throws away the optimized code of every function that leaned on it. The framer's store
 * for long lines is shrunk when it gives its pages back (src/protocol/framer.ts), so a start
 * shrinks one small buffer before any frame is read (shrinkOnceAtStart): the mark is cleared
 * while there is nothing to throw away, never again later in the session.
 *
 * Read with V8's own trace (--trace-protector-invalidation, which prints to stdout) in the real
 * built CLI in front of tiny-server: the trace's line must come before the first answer, and
 * only once, though a 2 MiB result and the 64 KiB of shorter answers after it make the store
 * give its pages back. The build under test is dist (npm test builds it first).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(root, 'bin', 'vanguard.js');
const SERVER = path.join(root, 'test', 'fixtures', 'servers', 'tiny-server.mjs');
const MARK = 'Invalidating protector cell ArrayBufferDetaching';
// Node 20's V8 (11.x) has no such mark: a shrink there clears nothing and prints nothing.
const HAS_MARK = Number(process.versions.v8.split('.')[0]) >= 12;
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
    const chunks: Buffer[] = [];
    let lineStart = 0; // offset, over all chunks, of the line being read
    let read = 0;
    let answered = 0;
    let next = 0;
    const writeDue = (): void => {
      while (next < batches.length && batches[next].after <= answered) for (const line of batches[next++].lines) child.stdin.write(line + '\n');
      if (next === batches.length && answered >= expected) child.stdin.end();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
        const all = Buffer.concat(chunks);
        if (all.subarray(lineStart, lineStart + 10).toString('latin1') === '{"jsonrpc"') answered++;
        lineStart = read + at + 1;
      }
      read += chunk.length;
      writeDue();
    });
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => line !== '')));
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
    if (HAS_MARK) {
      expect(seen.marks).toBe(1);
      expect(seen.markAt).toBeLessThan(seen.firstJsonAt);
    } else {
      expect(seen.marks).toBe(0);
    }
  });

  it('is seen where a shrink happens (the reading above can tell before from after)', async () => {
    const script = "process.stdout.write('{}\\n', () => { const b = new ArrayBuffer(8, { maxByteLength: 8 }); b.resize(0); });";
    const seen = reading(await readLines(['-e', script], [], 0));
    expect(seen.firstJsonAt).toBe(0);
    if (HAS_MARK) {
      expect(seen.marks).toBe(1);
      expect(seen.markAt).toBeGreaterThan(seen.firstJsonAt);
    } else {
      expect(seen.marks).toBe(0);
    }
  });
});
