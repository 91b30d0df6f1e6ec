/**
 * Fault test with real processes: a client that reads every answer pipelines thousands of
 * calls at once, after the handshake. The server answers each (2 KiB) and blocks writing
 * whenever the shim does not read its output, so it reads no more calls then. The shim must
 * keep reading the server's answers while its writes to the server wait: a reader of the
 * server that waited for the server to take its input would wait for ever (the server waits
 * for its output to be read), and the client would get a few dozen answers and then none.
 * The same when the calls are released by a frame of the server's (the shim's own listing).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURE_POLICIES } from './harness.js';
import { jsonLines } from './json-lines.js';

const LIFECYCLE_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'lifecycle-server.mjs');
const CALLS = 5000;

async function pipelined(waitForList: boolean): Promise<{ answers: number; listed: boolean }> {
  const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'warn', '--', process.execPath, LIFECYCLE_SERVER], {
    env: { ...process.env, LC_PAD: '2000' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  child.stdin.on('error', () => undefined);
  const send = (frames: object[]) => child.stdin.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
  const answered = new Set<number>();
  let listed = false;
  const { until, untilStalled } = jsonLines(child.stdout, (message) => {
    const m = message as { id?: unknown; result?: unknown };
    if (m.id === 'list') listed = true;
    if (typeof m.id === 'number' && m.result !== undefined) answered.add(m.id);
  });
  try {
    send([
      { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipelined', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 'list', method: 'tools/list' },
    ]);
    if (waitForList) await until(() => listed, 10_000);
    send(Array.from({ length: CALLS }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { i } } })));
    // (Well under a second a thousand answers when nothing stalls, more on a busy machine: the
    // wait ends at a stall, ten seconds with no line from the shim; or after 45 s in all.)
    await untilStalled(() => answered.size === CALLS && listed, 10_000, 45_000);
  } finally {
    child.kill();
  }
  return { answers: answered.size, listed };
}

describe('a client that pipelines thousands of calls and reads every answer', () => {
  it(`receives all ${CALLS} answers`, async () => {
    expect(await pipelined(true)).toEqual({ answers: CALLS, listed: true });
  }, 60_000);

  // Sent before the tool list came back, the calls wait for the shim's own listing, and its
  // answer (a frame of the server's) releases them all to the server at once: more than the
  // server's input pipe takes while the server, answering the first of them, waits for its
  // output to be read.
  it(`receives all ${CALLS} answers when the calls are sent before the tool list came back`, async () => {
    expect(await pipelined(false)).toEqual({ answers: CALLS, listed: true });
  }, 60_000);
});
