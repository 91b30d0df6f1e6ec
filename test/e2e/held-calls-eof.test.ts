/**
 * Fault test with real processes: the client's input ends while 1005 calls are held and the
 * server never answers the shim's own tools/list. The shim must see the end, wait its grace
 * for the listing, stop the server and answer every call. A shim that paused the client's
 * input while it held calls (b4f7bf9 did, at 1000) never read the end: it and its server
 * lived on after the client had gone, and no call was answered.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURE_POLICIES, TINY_SERVER, onJsonLines } from './harness.js';

// The shim's grace for held calls after the client's end is 30 s; well past it, give up.
const GIVE_UP_MS = 75_000;

describe('the client ends its input while calls are held', () => {
  it('the shim still sees the end, stops the server and answers every call once', async () => {
    const calls = 1_005;
    const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'warn', '--', process.execPath, TINY_SERVER], {
      // A listing that never comes in the life of the test.
      env: { ...process.env, TINY_LIST_DELAY_MS: '600000' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.stdin.on('error', () => undefined);
    const perId = new Map<number, number>();
    onJsonLines(child.stdout, (parsed) => {
      const m = parsed as { id?: unknown };
      if (typeof m.id === 'number') perId.set(m.id, (perId.get(m.id) ?? 0) + 1);
    });
    const exited = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), GIVE_UP_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    const frames: unknown[] = [
      { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'eof', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ];
    for (let i = 0; i < calls; i++) frames.push({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { i } } });
    child.stdin.end(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
    const didExit = await exited;
    if (!didExit) child.kill('SIGKILL');
    const answeredOnce = [...perId.values()].filter((n) => n === 1).length;
    expect({ didExit, answeredOnce, ids: perId.size }).toEqual({ didExit: true, answeredOnce: calls, ids: calls });
  }, 120_000);
});
