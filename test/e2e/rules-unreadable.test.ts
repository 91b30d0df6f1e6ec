/**
 * Fault test with real processes: the shipped rule packs cannot be read when the session first
 * needs them (an install replaced or damaged under a running shim; here, a copy of the built
 * package whose dist/rules/packs.json is not JSON). Since the packs are read on first use
 * (session-inspection.ts), the start no longer reads them: the session must then fail closed
 * and stay answerable, as the rest of the shim does on an internal failure: every request gets
 * an answer, no call reaches the server unchecked, and the shim ends with its server's exit code.
 * At 185b1ab the audit's first line threw the build's error out of a timer: the shim died with
 * an uncaught SyntaxError (exit 1) and no request, not even initialize, was answered.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TINY_SERVER, onJsonLines } from './harness.js';

const root = path.resolve(path.dirname(CLI), '..');
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'vanguard-broken-packs-'));
  for (const part of ['bin', 'dist', 'policies', 'package.json']) cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
  symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(copy, 'node_modules'));
  writeFileSync(path.join(copy, 'dist', 'rules', 'packs.json'), '{"rules": [');
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('rule packs that cannot be read when first needed', () => {
  it('every request is answered, the call is refused, and the shim ends with the server', async () => {
    const child = spawn(process.execPath, [path.join(copy, 'bin', 'vanguard.js'), 'start', '--', process.execPath, TINY_SERVER], {
      env: { ...process.env, VANGUARD_NO_CACHE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const answers = new Map<unknown, Array<Record<string, unknown>>>();
    let wake: () => void = () => undefined;
    onJsonLines(child.stdout, (parsed) => {
      const m = parsed as Record<string, unknown>;
      answers.set(m.id, [...(answers.get(m.id) ?? []), m]);
    }, () => {
      wake();
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let exited = false;
    void exit.then(() => {
      exited = true;
      wake();
    });
    const send = (frame: unknown): void => void child.stdin.write(`${JSON.stringify(frame)}\n`);
    send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'broken-packs', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // Before any listing: held for the shim's own tools/list, whose definitions need the packs.
    send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' } } });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    // Until all three are answered, or the shim is gone.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (exited || [0, 1, 2].every((id) => answers.has(id))) resolve();
      };
      wake = check;
      check();
    });
    child.stdin.end();
    const code = await exit;
    const once = [0, 1, 2].map((id) => answers.get(id)?.length ?? 0);
    const call = answers.get(1)?.[0];
    const refused = call !== undefined && (call.error !== undefined || (call.result as { isError?: boolean } | undefined)?.isError === true);
    const echoed = JSON.stringify(call ?? {}).includes('hello');
    expect({ code, once, refused, echoed, uncaught: /SyntaxError|Uncaught|^\s+at /m.test(stderr) }).toEqual({ code: 0, once: [1, 1, 1], refused: true, echoed: false, uncaught: false });
  }, 60_000);
});
