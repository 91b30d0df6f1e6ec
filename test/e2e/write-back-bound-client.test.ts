/**
 * Real processes: the client's side of write-back-bound.test.ts. The shim does not wait for a
 * client to read the shim's own answers to it until WRITE_BACK_BYTES_BEFORE_WAIT wait to go
 * out, so a client that floods calls the shim refuses itself (a tool the policy hides) and
 * never reads the refusals must still be held back past that bound: the shim stops reading
 * it, and its memory stays bounded.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WRITE_BACK_BYTES_BEFORE_WAIT } from '../../src/proxy/proxy.js';
import { CLI, FIXTURE_POLICIES } from './harness.js';

const LIFECYCLE_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'lifecycle-server.mjs');
const TOTAL = 40_000; // 8 KB each: ten times the bound
const ID = 'i'.repeat(8_000);

describe('a client that floods calls the shim refuses and never reads the refusals', () => {
  it.skipIf(process.platform !== 'linux')('is no longer read once the bound waits to go out to it, and the shim stays small', async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'error', '--', process.execPath, LIFECYCLE_SERVER], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.stdin.on('error', () => undefined);
    // Never read: the shim's answers stay in its queue once the pipe is full.
    child.stdout.pause();
    const line = (frame: object) => `${JSON.stringify(frame)}\n`;
    child.stdin.write(line({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'flood', version: '1' } } }) + line({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    // Calls of a hidden tool (tiny.yaml denies secret_*), each with an id of its own, written
    // as fast as the shim reads them; `taken`: how many the pipe took.
    let taken = 0;
    let stalled = false;
    for (let i = 0; i < TOTAL; i++) {
      const ok = child.stdin.write(line({ jsonrpc: '2.0', id: `${ID}${i}`, method: 'tools/call', params: { name: 'secret_read', arguments: {} } }));
      taken++;
      if (!ok) {
        // Wait for the shim to read more, three seconds at most (it may still be starting): then it is a stall.
        const drained = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 3000);
          child.stdin.once('drain', () => (clearTimeout(timer), resolve(true)));
        });
        if (!drained) {
          stalled = true;
          break;
        }
      }
    }
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    // What waited for the client: the shim's own refusals of the hidden tool (the server never saw the calls).
    const lines = await new Promise<string[]>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const done = text.split('\n');
        if (done.length > 3) resolve(done.slice(0, 3));
      });
      child.stdout.resume();
    });
    child.kill();
    const answers = lines.map((l) => JSON.parse(l) as { id: string; result?: { isError?: boolean; content?: Array<{ text?: string }> }; error?: { message?: string } });
    // (Before the server's answer to initialize, or after it.)
    const first = answers.find((a) => a.id === `${ID}0`);
    expect(first !== undefined && JSON.stringify(first).includes('secret_read')).toBe(true);
    // Held back: far short of everything, and only once about the bound waited for the client.
    expect(stalled).toBe(true);
    expect(taken).toBeLessThan(TOTAL / 2);
    expect(taken * ID.length).toBeGreaterThan(WRITE_BACK_BYTES_BEFORE_WAIT / 2);
    expect(peakKb * 1024).toBeLessThan(WRITE_BACK_BYTES_BEFORE_WAIT * 2 + 150 * 1024 * 1024);
  }, 90_000);
});
