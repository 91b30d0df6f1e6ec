/**
 * Fault test with real processes: a client pipelines thousands of calls before any listing,
 * and the server is slow to answer the shim's own tools/list. Calls wait for that listing
 * (src/engine/list-fetch.ts). Every call must be answered exactly once, none refused for
 * coming early: the answers may not depend on when the list answer arrives.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURE_POLICIES, TINY_SERVER, onJsonLines } from './harness.js';

const CALLS = 5_000;
// Long enough that the shim has read every call by then, on any machine.
const LIST_DELAY_MS = 1_500;

interface Answer {
  id?: unknown;
  result?: { content?: Array<{ text?: string }> };
  error?: { code: number; message: string };
}

interface Outcome {
  echoed: number;
  linesPerId: Record<string, number>;
  refused: string[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

const call = (i: number) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { i } } });

// One session: handshake, then every call written at once (as single frames or in batches),
// no tools/list from the client; input closed right away or once every answer is in.
async function session(batchSize: number, closeEarly: boolean): Promise<Outcome> {
  const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'warn', '--', process.execPath, TINY_SERVER], {
    env: { ...process.env, TINY_LIST_DELAY_MS: String(LIST_DELAY_MS) },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exit = new Promise<Outcome['exit']>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdin.on('error', () => undefined);
  const answers: Answer[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  onJsonLines(child.stdout, (parsed) => {
    const value = parsed as Answer | Answer[];
    for (const answer of Array.isArray(value) ? value : [value]) if (typeof answer.id === 'number') answers.push(answer);
  }, () => {
    if (answers.length >= CALLS) done();
  });
  child.stdout.once('end', () => done());
  const frames: unknown[] = [
    { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'early', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
  ];
  for (let i = 0; i < CALLS; i += batchSize) {
    const group = Array.from({ length: Math.min(batchSize, CALLS - i) }, (_, k) => call(i + k));
    frames.push(batchSize === 1 ? group[0] : group);
  }
  child.stdin.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
  if (closeEarly) child.stdin.end();
  await all;
  if (!closeEarly) child.stdin.end();
  const linesPerId: Record<string, number> = {};
  for (const answer of answers) linesPerId[String(answer.id)] = (linesPerId[String(answer.id)] ?? 0) + 1;
  const echoed = answers.filter((a) => a.result?.content?.[0]?.text === JSON.stringify({ i: a.id })).length;
  const refused = [...new Set(answers.filter((a) => a.error !== undefined).map((a) => a.error?.message ?? ''))];
  return { echoed, linesPerId, refused, exit: await exit };
}

const everyIdOnce = Object.fromEntries(Array.from({ length: CALLS }, (_, i) => [String(i), 1]));
const lossless = { echoed: CALLS, linesPerId: everyIdOnce, refused: [], exit: { code: 0, signal: null } };

describe('calls pipelined before a slow listing', () => {
  it(`answers every one of ${CALLS} single calls once, none refused`, async () => {
    expect(await session(1, false)).toEqual(lossless);
  }, 120_000);

  it('answers every call of batches of 1,000 once, none refused', async () => {
    expect(await session(1_000, false)).toEqual(lossless);
  }, 120_000);

  it('answers every call when the client closes its input right after writing them', async () => {
    expect(await session(1, true)).toEqual(lossless);
  }, 120_000);
});
