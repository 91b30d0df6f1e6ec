/**
 * Fault test with real processes: the shim does not wait for a server to read what the shim
 * writes back to it while reading its output (pipelined-calls.test.ts), so a server that
 * floods requests the shim refuses, and never reads the refusals, must still be held back:
 * past WRITE_BACK_BYTES_BEFORE_WAIT waiting to go out, the shim stops reading it, and its
 * memory stays bounded.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WRITE_BACK_BYTES_BEFORE_WAIT } from '../../src/proxy/proxy.js';
import { CLI } from './harness.js';

const FLOOD_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'flood-server.mjs');
const TOTAL = 40_000; // 8 KB each: ten times the bound
const REFUSAL_BYTES = 8_100; // (an 8 KB id and the refusal around it)

describe('a server that floods requests and never reads the refusals', () => {
  it.skipIf(process.platform !== 'linux')('is no longer read once the bound waits to go out to it, and the shim stays small', async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--log-level', 'error', '--', process.execPath, FLOOD_SERVER], {
      env: { ...process.env, FLOOD_TOTAL: String(TOTAL) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let sent = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
      const counts = [...stderr.matchAll(/sent (\d+)\n/g)];
      if (counts.length > 0) sent = Number(counts.at(-1)![1]);
    });
    child.stdout.resume();
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'flood', version: '1' } } })}\n`);
    // Wait until the count stops moving for a second (or the server sent everything).
    let last = -1;
    for (let i = 0; i < 60 && sent !== last && sent < TOTAL; i++) {
      last = sent;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    child.kill();
    // Held back: far short of everything, and only once about the bound waited for the server.
    expect(sent).toBeLessThan(TOTAL / 2);
    expect(sent * REFUSAL_BYTES).toBeGreaterThan(WRITE_BACK_BYTES_BEFORE_WAIT / 2);
    // The refusals held for the server, and not much besides (an idle shim is about 60 MB).
    expect(peakKb * 1024).toBeLessThan(WRITE_BACK_BYTES_BEFORE_WAIT * 2 + 150 * 1024 * 1024);
  }, 90_000);
});
