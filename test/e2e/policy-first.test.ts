/**
 * Policy first: an invalid policy, rule pack, lock file or audit destination is reported
 * before the server is started, so no server is ever started only to be killed. The
 * "server" here is a shell that leaves a marker file the moment it runs (far sooner than
 * any policy could be loaded), so a server started even briefly is seen.
 */
import { mkdirSync, mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, FIXTURE_POLICIES, startCli, type RawSession } from './harness.js';

const sessions: RawSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
});

// Start the CLI with `args` in front of a marker-writing server; resolves once it has exited.
async function startWith(args: string[]): Promise<{ code: number | null; stderr: string; started: boolean }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vanguard-first-'));
  const marker = path.join(dir, 'started');
  const s = startCli(['start', ...args, '--', '/bin/sh', '-c', ': > "$1"; exec sleep 30', 'sh', marker]);
  sessions.push(s);
  const { code } = await s.exit;
  return { code, stderr: s.stderr(), started: existsSync(marker) };
}

function scratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'vanguard-first-'));
}

describe.skipIf(process.platform === 'win32')('an operator error is reported before the server starts', () => {
  it('an invalid policy: file:line:col, exit 1, no server', async () => {
    const policy = path.join(FIXTURE_POLICIES, 'invalid', 'bad-enum.yaml');
    expect(await startWith(['--policy', policy])).toEqual({ code: 1, stderr: expect.stringContaining(`${policy}:1:7: "mode" must be one of`), started: false });
  });

  it('a broken rule pack the policy names: file:line:col, exit 1, no server', async () => {
    const result = await startWith(['--policy', path.join(FIXTURE_POLICIES, 'custom-rules', 'broken-policy.yaml')]);
    expect(result).toMatchObject({ code: 1, started: false });
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
  });

  it('a lock file that does not exist: exit 1, no server', async () => {
    const dir = scratch();
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(policy, 'pinning:\n  lock: ./missing.lock.json\n');
    expect(await startWith(['--policy', policy])).toEqual({ code: 1, stderr: expect.stringContaining(`pinning.lock: cannot read ${path.join(dir, 'missing.lock.json')}`), started: false });
  });

  it('a lock file that is not JSON: file:line:col, exit 1, no server', async () => {
    const dir = scratch();
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(policy, 'pinning:\n  lock: ./bad.lock.json\n');
    writeFileSync(path.join(dir, 'bad.lock.json'), '{\n  "vanguardLock": 1,\n  "tools": {,}\n}\n');
    expect(await startWith(['--policy', policy])).toEqual({ code: 1, stderr: expect.stringContaining(`${path.join(dir, 'bad.lock.json')}:3:13: not JSON`), started: false });
  });

  it('an audit destination that is a directory: exit 1, no server', async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'audit.jsonl'));
    const result = await startWith(['--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--audit', path.join(dir, 'audit.jsonl')]);
    expect(result).toEqual({ code: 1, stderr: expect.stringContaining(`vanguard: audit: cannot open audit file ${path.join(dir, 'audit.jsonl')}`), started: false });
  });

  it('an audit destination that cannot be created: exit 1, no server', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'a-file'), '');
    const result = await startWith(['--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--audit', path.join(dir, 'a-file', 'audit.jsonl')]);
    expect(result).toEqual({ code: 1, stderr: expect.stringContaining('vanguard: audit: cannot open audit file'), started: false });
  });

  it('a valid policy does start the server (the marker would show it)', async () => {
    const dir = scratch();
    const marker = path.join(dir, 'started');
    const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--grace-ms', '100', '--', '/bin/sh', '-c', ': > "$1"; exec sleep 30', 'sh', marker]);
    sessions.push(s);
    expect(await eventually(() => existsSync(marker))).toBe(true);
    await s.close();
  });
});
