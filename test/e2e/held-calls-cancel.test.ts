/**
 * Fault test with real processes: a client pipelines 1000 calls before any listing,
 * then cancels the first. The cancel must be read while the call is held, and the call
 * dropped when the listing comes (tools.held-cancelled): the server never runs it. A shim
 * that paused the client's input while it held calls (b4f7bf9 did, at 1000) read the cancel
 * only after the listing had released every held call to the server, so the call ran.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURE_POLICIES, TINY_SERVER, onJsonLines } from './harness.js';

// Long enough that the shim has read every call and the cancel before the listing comes.
const LIST_DELAY_MS = 1_500;

interface AuditLine {
  direction?: string;
  method?: string;
  id?: unknown;
  verdict?: string;
  rules?: string[];
}

describe('a held call the client cancels while the shim lists', () => {
  it('is dropped, never sent to the server, however many calls are held', async () => {
    const calls = 1_000;
    const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--log-level', 'debug', '--', process.execPath, TINY_SERVER], {
      env: { ...process.env, TINY_LIST_DELAY_MS: String(LIST_DELAY_MS) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const answered = new Set<number>();
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    onJsonLines(child.stdout, (parsed) => {
      const m = parsed as { id?: unknown };
      if (typeof m.id === 'number') answered.add(m.id);
    }, () => {
      // Every call but the cancelled one is answered: the session is over.
      if (answered.size >= calls - 1 && [...answered].some((id) => id !== 0) && (answered.size >= calls || !answered.has(0))) done();
    });
    child.stdout.once('end', () => done());
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const frames: unknown[] = [
      { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cancel', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ];
    for (let i = 0; i < calls; i++) frames.push({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { i } } });
    frames.push({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 0, reason: 'the user stopped it' } });
    child.stdin.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
    await all;
    child.stdin.end();
    await exit;
    const decisions = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AuditLine)
      .filter((d) => d.id === 0 && d.method === 'tools/call' && d.direction === 'client');
    // The call's last decision: dropped as cancelled, not forwarded.
    expect(decisions.map((d) => d.rules ?? []).at(-1)).toEqual(['tools.held-cancelled']);
    expect(decisions.some((d) => d.verdict === 'forward')).toBe(false);
  }, 120_000);
});
