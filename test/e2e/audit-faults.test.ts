/**
 * Fault tests of the audit trail with real processes: the built CLI in front of the tiny
 * fixture server, driven over raw stdio. A client that never reads stderr, a full disk
 * (/dev/full, and a 64 KiB tmpfs when we are root), an audit file moved or truncated while
 * the session runs, and two shims appending to one file.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURE_POLICIES, TINY_SERVER } from './harness.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vanguard-audit-faults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Shim {
  child: ChildProcessWithoutNullStreams;
  /** Answers by id. */
  answers: Map<number | string, Record<string, unknown>>;
  stderr(): string;
  send(frame: unknown): void;
  /** Resolves once every id in `ids` has an answer. */
  waitFor(ids: Array<number | string>, timeoutMs?: number): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Start the CLI; with `readStderr: false` its stderr is a pipe nobody ever reads.
function startShim(args: string[], readStderr = true): Shim {
  const child = spawn(process.execPath, [CLI, 'start', ...args, '--', process.execPath, TINY_SERVER], { stdio: 'pipe' });
  const answers = new Map<number | string, Record<string, unknown>>();
  const waiters = new Set<() => void>();
  let partial = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    partial += chunk;
    let index: number;
    while ((index = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, index);
      partial = partial.slice(index + 1);
      const value = JSON.parse(line) as Record<string, unknown>;
      if (value.id !== undefined) answers.set(value.id as number | string, value);
    }
    waiters.forEach((w) => w());
  });
  if (readStderr) {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (err += chunk));
  } else {
    child.stderr.pause();
  }
  child.stdin.on('error', () => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    answers,
    stderr: () => err,
    send: (frame) => void child.stdin.write(`${JSON.stringify(frame)}\n`),
    waitFor(ids, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (ids.every((id) => answers.has(id))) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${ids.filter((id) => !answers.has(id)).length} of ${ids.length} answers missing; stderr: ${err.slice(-1500)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    exit,
  };
}

const initialize = { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fault-test', version: '1' } } };
const call = (id: number | string, args: Record<string, unknown> = {}, name = 'echo') => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

// Initialize and list, so calls are decided against a known definition.
async function open(shim: Shim): Promise<void> {
  shim.send(initialize);
  await shim.waitFor(['init']);
  shim.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  shim.send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  await shim.waitFor(['list']);
}

// Send `count` echo calls numbered from `from`, and wait for all their answers.
async function calls(shim: Shim, from: number, count: number, args: (n: number) => Record<string, unknown> = (n) => ({ n })): Promise<number[]> {
  const ids = Array.from({ length: count }, (_, i) => from + i);
  for (const id of ids) shim.send(call(id, args(id)));
  await shim.waitFor(ids);
  return ids;
}

async function end(shim: Shim): Promise<void> {
  shim.child.stdin.end();
  await shim.exit;
}

function verify(...files: string[]): { code: number; stdout: string } {
  const result = spawnSync(process.execPath, [CLI, 'audit', 'verify', ...files], { encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const callRecords = (file: string) => lines(file).filter((l) => l.includes('"method":"tools/call"') && l.includes('"direction":"client"'));
const policy = path.join(FIXTURE_POLICIES, 'tiny.yaml');

describe('a client that never reads stderr', () => {
  it('gets every answer, and SIGTERM still ends the shim', async () => {
    const audit = path.join(dir, 'unread.jsonl');
    const shim = startShim(['--policy', policy, '--audit', audit], false);
    await open(shim);
    // ~1.3 KiB of stderr per call: 2500 calls are ~3 MiB, far past any pipe buffer.
    const ids = await calls(shim, 1, 2500, (n) => ({ n, text: 'x'.repeat(1000) }));
    expect(ids.filter((id) => (shim.answers.get(id)?.result as { content?: unknown } | undefined)?.content !== undefined)).toHaveLength(2500);
    shim.child.kill('SIGTERM');
    const exited = await Promise.race([shim.exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!exited) shim.child.kill('SIGKILL');
    expect(exited).toBe(true);
    // The file, not stderr, is the record that must be whole.
    expect(callRecords(audit)).toHaveLength(2500);
    expect(verify(audit).code).toBe(0);
  }, 120_000);
});

describe('a full disk', () => {
  it.runIf(existsSync('/dev/full'))('refuses every request once the audit file cannot be written (/dev/full), with one line on stderr', async () => {
    const shim = startShim(['--policy', policy, '--audit', '/dev/full']);
    await open(shim);
    // The list's record was the first write to fail; give the batch its turn.
    await new Promise((r) => setTimeout(r, 200));
    const ids = await calls(shim, 1, 200);
    const refused = ids.filter((id) => (shim.answers.get(id)?.error as { code?: number } | undefined)?.code === -32012);
    expect(refused).toHaveLength(200);
    shim.send({ jsonrpc: '2.0', id: 'ping', method: 'ping' });
    await shim.waitFor(['ping']);
    expect(shim.answers.get('ping')?.error).toMatchObject({ code: -32012 });
    await end(shim);
    expect(shim.stderr().match(/the audit trail cannot be written/g)).toHaveLength(1);
    expect(shim.stderr()).toMatch(/ENOSPC/);
  }, 60_000);

  const root = process.getuid?.() === 0 && process.platform === 'linux';
  it.runIf(root)('on a 64 KiB tmpfs: calls run until the disk is full, then are refused; the file verifies', async () => {
    const mount = path.join(dir, 'tiny-fs');
    mkdirSync(mount);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    expect(mounted.status).toBe(0);
    try {
      const audit = path.join(mount, 'audit.jsonl');
      const shim = startShim(['--policy', policy, '--audit', audit]);
      await open(shim);
      let id = 1;
      let refusedAt: number | undefined;
      // One call at a time, each with ~1.2 KiB of record: the 64 KiB fill up within ~60.
      while (refusedAt === undefined && id < 400) {
        await calls(shim, id, 1, (n) => ({ n, text: 'y'.repeat(1000) }));
        if ((shim.answers.get(id)?.error as { code?: number } | undefined)?.code === -32012) refusedAt = id;
        id += 1;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(refusedAt).toBeDefined();
      const after = await calls(shim, 1000, 20);
      expect(after.every((n) => (shim.answers.get(n)?.error as { code?: number } | undefined)?.code === -32012)).toBe(true);
      await end(shim);
      // What reached the file is a whole chain: the torn last write was cut back.
      expect(verify(audit).code).toBe(0);
      const recorded = callRecords(audit).length;
      expect(recorded).toBeGreaterThan(0);
      expect(recorded).toBeLessThan(refusedAt as number);
      expect(shim.stderr().match(/the audit trail cannot be written/g)).toHaveLength(1);
    } finally {
      spawnSync('umount', [mount]);
    }
  }, 120_000);
});

describe('an audit file moved or truncated while the session runs', () => {
  it('moved: reopened at its path; the two files verify together, the new one alone, and tampering is caught', async () => {
    const audit = path.join(dir, 'moved.jsonl');
    const shim = startShim(['--policy', policy, '--audit', audit]);
    await open(shim);
    await calls(shim, 1, 50);
    await new Promise((r) => setTimeout(r, 100));
    renameSync(audit, `${audit}.1`);
    await calls(shim, 51, 50);
    await end(shim);
    expect(callRecords(`${audit}.1`).length + callRecords(audit).length).toBe(100);
    expect(callRecords(audit).length).toBeGreaterThan(0);
    expect(lines(audit)[0]).toContain('"chain":"continued"');
    expect(verify(`${audit}.1`, audit)).toMatchObject({ code: 0 });
    expect(verify(audit).stdout).toMatch(/continue from an earlier file/);
    expect(verify(audit).code).toBe(0);
    // In the wrong order they do not: the older records would follow the newer ones.
    expect(verify(audit, `${audit}.1`).code).toBe(1);
    const tampered = lines(audit);
    tampered[3] = (tampered[3] as string).replace('"verdict":"forward"', '"verdict":"block"');
    writeFileSync(audit, `${tampered.join('\n')}\n`);
    expect(verify(`${audit}.1`, audit).code).toBe(1);
    expect(verify(audit).code).toBe(1);
  }, 60_000);

  it('truncated: noticed, and the chain continues with a continuation record', async () => {
    const audit = path.join(dir, 'truncated.jsonl');
    const shim = startShim(['--policy', policy, '--audit', audit]);
    await open(shim);
    await calls(shim, 1, 40);
    await new Promise((r) => setTimeout(r, 100));
    truncateSync(audit, 0);
    await calls(shim, 41, 40);
    await end(shim);
    expect(callRecords(audit)).toHaveLength(40);
    expect(lines(audit)[0]).toContain('"chain":"continued"');
    expect(verify(audit).code).toBe(0);
    // Removing a record after the continuation is still caught.
    const cut = lines(audit);
    cut.splice(5, 1);
    writeFileSync(audit, `${cut.join('\n')}\n`);
    expect(verify(audit)).toMatchObject({ code: 1, stdout: expect.stringMatching(/removed/) });
  }, 60_000);
});

describe('two shims writing one audit file', () => {
  it('keeps a file that verifies (one chain per session), and tampering with one line is caught', async () => {
    const audit = path.join(dir, 'shared.jsonl');
    const a = startShim(['--policy', policy, '--audit', audit]);
    const b = startShim(['--policy', policy, '--audit', audit]);
    await Promise.all([open(a), open(b)]);
    // Interleaved batches from both, many times over.
    for (let round = 0; round < 10; round++) {
      await Promise.all([calls(a, round * 100, 100), calls(b, round * 100, 100)]);
    }
    await Promise.all([end(a), end(b)]);
    const records = callRecords(audit);
    expect(records).toHaveLength(2000);
    const sessions = new Set(records.map((l) => (JSON.parse(l) as { session: string }).session));
    expect(sessions.size).toBe(2);
    const good = verify(audit);
    expect(good).toMatchObject({ code: 0, stdout: expect.stringMatching(/in 2 sessions, chain intact/) });
    const all = lines(audit);
    const index = all.findIndex((l, i) => i > all.length / 2 && l.includes('"method":"tools/call"'));
    all[index] = (all[index] as string).replace('"verdict":"forward"', '"verdict":"hide"');
    writeFileSync(audit, `${all.join('\n')}\n`);
    const bad = verify(audit);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`line ${index + 1}`);
  }, 120_000);
});
