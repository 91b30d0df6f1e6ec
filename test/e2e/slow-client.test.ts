/**
 * Fault test with real processes: a server answers 1000 pipelined calls and exits at once,
 * while the client reads the shim's stdout slowly, in small pieces. Every answer the server
 * wrote must reach the client, whatever the pace: none replaced by a false -32000.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { scaled } from '../test-scale.js';
import { CLI, FIXTURE_POLICIES } from './harness.js';

const LIFECYCLE_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'lifecycle-server.mjs');
// 20 runs in a row; CI's extra Node lines repeat fewer (VANGUARD_TEST_SCALE: 5 at 0.25) to keep the run short.
const RUNS = scaled(20);
const REQUESTS = 1000;

// Read `stream` a small piece at a time with a pause between pieces, as a slow client does,
// and once `stallWhen` holds, stop reading for `stallMs` (a client busy elsewhere); resolves
// with every line once the stream has ended.
async function readSlowly(stream: Readable, pieceBytes: number, pauseMs: number, stallWhen: () => boolean, stallMs: number): Promise<string[]> {
  let text = '';
  let stalled = false;
  let ended = false;
  let wake: () => void = () => undefined;
  stream.on('readable', () => wake());
  stream.once('end', () => {
    ended = true;
    wake();
  });
  for (;;) {
    const piece = stream.read(Math.min(pieceBytes, stream.readableLength || pieceBytes)) as Buffer | null;
    if (piece !== null) {
      text += piece.toString('utf8');
      const stall = !stalled && stallWhen();
      stalled ||= stall;
      await new Promise((resolve) => setTimeout(resolve, stall ? stallMs : pauseMs));
      continue;
    }
    if (ended) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  return text.split('\n').filter((line) => line.length > 0);
}

interface RunResult {
  answers: number;
  connectionClosed: number;
  linesForCalls: number;
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

// One session: handshake, 1000 pipelined echo calls, the server exits after the last answer.
// Each answer is padded to ~2 KiB, so the 2 MiB of answers outgrow the socket buffers between
// the processes and some are still on their way when the server exits. The client takes 4 KiB
// at a time, and once the server has exited it looks away for a second. The tiny policy
// scans results (the default), which keeps the shim busy enough that answers are still
// waiting in its input when the server exits; that is the case the old deadline lost.
async function slowSession(closeInputEarly: boolean): Promise<RunResult> {
  const exiting = path.join(mkdtempSync(path.join(os.tmpdir(), 'vanguard-slow-')), 'exiting');
  const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'warn', '--', process.execPath, LIFECYCLE_SERVER], {
    env: { ...process.env, LC_EXIT_AFTER: String(REQUESTS), LC_PAD: '2000', LC_EXITING: exiting },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exit = new Promise<RunResult['exit']>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdin.on('error', () => undefined);
  const frames = [
    { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'slow', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 'list', method: 'tools/list' },
    ...Array.from({ length: REQUESTS }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { i } } })),
  ];
  child.stdin.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
  if (closeInputEarly) child.stdin.end();
  const lines = await readSlowly(child.stdout, 4096, 2, () => existsSync(exiting), 1000);
  if (!closeInputEarly) child.stdin.end();
  const messages = lines.map((line) => JSON.parse(line) as { id?: unknown; result?: { content?: Array<{ text: string }> }; error?: { code: number } });
  const answers = new Set(messages.filter((m) => typeof m.id === 'number' && m.result?.content?.[0]?.text.startsWith(`{"i":${m.id}}`)).map((m) => m.id)).size;
  const connectionClosed = messages.filter((m) => m.error?.code === -32000).length;
  // Exactly one line per request: no answer twice, none both answered and refused.
  const linesForCalls = messages.filter((m) => typeof m.id === 'number').length;
  return { answers, connectionClosed, linesForCalls, exit: await exit };
}

describe('a slow client and a server that exits at once', () => {
  it(`receives every one of ${REQUESTS} answers, ${RUNS} runs in a row`, async () => {
    const results: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) results.push(await slowSession(false));
    // All runs are kept and compared at once, so a failure shows every run's counts.
    expect(results).toEqual(Array.from({ length: RUNS }, () => ({ answers: REQUESTS, connectionClosed: 0, linesForCalls: REQUESTS, exit: { code: 0, signal: null } })));
  }, 300_000);

  it('receives every answer when the client closes its input right after the requests', async () => {
    const results: RunResult[] = [];
    for (let run = 0; run < 5; run++) results.push(await slowSession(true));
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ answers: REQUESTS, connectionClosed: 0, linesForCalls: REQUESTS, exit: { code: 0, signal: null } })));
  }, 120_000);
});
