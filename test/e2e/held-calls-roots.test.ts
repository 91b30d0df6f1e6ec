/**
 * Fault test with real processes: 1000 calls wait for the shim's own listing, and the
 * server answers that listing only after the client answers one of its own requests (here
 * roots/list, as a server whose tools depend on the client's roots would). The client's
 * answer is behind the held calls in its input: a shim that paused the client's input while
 * it held calls (b4f7bf9 did, at 1000) never read it, and the session stalled for ever.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURE_POLICIES, TINY_SERVER, onJsonLines } from './harness.js';

// Far longer than the session needs when it works; the only bound on a stalled one.
const GIVE_UP_MS = 30_000;

interface Message {
  id?: unknown;
  method?: string;
  result?: { content?: Array<{ text?: string }> };
}

async function session(calls: number): Promise<{ echoed: number; rootsAsked: number }> {
  const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'warn', '--', process.execPath, TINY_SERVER], {
    env: { ...process.env, TINY_LIST_AFTER_ROOTS: '1' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin.on('error', () => undefined);
  let echoed = 0;
  let rootsAsked = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(() => done(), GIVE_UP_MS);
  onJsonLines(child.stdout, (parsed) => {
    const m = parsed as Message;
    if (m.method === 'roots/list' && m.id !== undefined) {
      rootsAsked++;
      // The client answers the server's request at once, as any client does.
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { roots: [] } })}\n`);
    } else if (typeof m.id === 'number' && m.result?.content?.[0]?.text === JSON.stringify({ i: m.id })) {
      echoed++;
    }
  }, () => {
    if (echoed >= calls) done();
  });
  child.stdout.once('end', () => done());
  const frames: unknown[] = [
    { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: { roots: {} }, clientInfo: { name: 'roots', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
  ];
  for (let i = 0; i < calls; i++) frames.push({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { i } } });
  child.stdin.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
  await all;
  clearTimeout(timer);
  child.stdin.end();
  child.kill('SIGKILL');
  await exit;
  return { echoed, rootsAsked };
}

describe('calls held while the server waits for the client', () => {
  it(`answers all 1000 held calls when the listing waits for the client's answer`, async () => {
    expect(await session(1_000)).toEqual({ echoed: 1_000, rootsAsked: 1 });
  }, 60_000);
});
