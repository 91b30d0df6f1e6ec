/**
 * Fault test with real processes: calls pipelined before the tool list came back are held
 * (they were counted in the characters of their params, not the bytes they are written as) and released to the server
 * all at once by the shim's own listing, while the shim reads the server's output. Their
 * text outside ASCII is written out as more bytes than characters (three for U+4E00), so
 * held calls under the character bound can come to more than WRITE_BACK_BYTES_BEFORE_WAIT
 * bytes. The shim must not then stop reading the server, which (a Node server writing to a
 * pipe) answers the first calls and waits for its output to be read before it reads more:
 * the client would get a few answers, then none.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WRITE_BACK_BYTES_BEFORE_WAIT } from '../../src/proxy/proxy.js';
import { CLI, FIXTURE_POLICIES } from './harness.js';
import { jsonLines } from './json-lines.js';

const LIFECYCLE_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'lifecycle-server.mjs');
const CALLS = 1500;
const WIDE = '\u4e00'.repeat(8000); // 8,000 characters, 24,000 bytes

describe('calls held for the listing whose text is mostly outside ASCII', () => {
  it('are all answered, though their bytes pass the write-back bound', async () => {
    // Under what the character count held (every call was held), over the write-back bound once written.
    expect(CALLS * (WIDE.length + 20)).toBeLessThan(16 * 1024 * 1024);
    expect(CALLS * Buffer.byteLength(WIDE)).toBeGreaterThan(WRITE_BACK_BYTES_BEFORE_WAIT);
    // The server answers the listing late, so that every call is held by then.
    const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'warn', '--', process.execPath, LIFECYCLE_SERVER], {
      env: { ...process.env, LC_LIST_DELAY: '2000' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.stdin.on('error', () => undefined);
    const send = (frames: object[]) => child.stdin.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
    const answered = new Set<number>();
    const results = new Set<number>();
    // Any other answer, kept to be asserted once the wait is over (thrown from the reader, it
    // would surface outside the test, and the answers to calls the kill cut short would too).
    const otherAnswers: string[] = [];
    const { untilStalled } = jsonLines(child.stdout, (message) => {
      const m = message as { id?: unknown; result?: { isError?: boolean }; error?: { message?: string } };
      if (typeof m.id !== 'number') return;
      answered.add(m.id);
      // The echo's answer, or the refusal of a call there was no more room to hold.
      if (m.result !== undefined && m.result.isError !== true) results.add(m.id);
      else if (!/too many calls are waiting for the tool list/.test(m.error?.message ?? '')) otherAnswers.push(JSON.stringify(message).slice(0, 200));
    });
    try {
      send([
        { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'wide', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        ...Array.from({ length: CALLS }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { t: WIDE } } })),
      ]);
      // (A few seconds when nothing stalls, more on a busy machine: the wait ends at a stall, ten
      // seconds with no line from the shim, past the listing's two; or after 45 s in all.)
      await untilStalled(() => answered.size === CALLS, 10_000, 45_000);
    } finally {
      child.kill();
    }
    // Every call answered; the calls held were released to the server and answered by it.
    expect(answered.size).toBe(CALLS);
    expect(otherAnswers).toEqual([]);
    expect(results.size).toBeGreaterThan(0);
  }, 60_000);
});
