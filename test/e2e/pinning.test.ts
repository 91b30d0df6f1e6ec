/**
 * Pinning end to end: `vanguard pin` writes the lock file from the live server, and `start`
 * compares every tools/list answer with it: unchanged is silent, a changed definition is
 * hidden (and refused as unknown), a new tool is let through with a warning.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byId, CLI, startCli, TINY_SERVER } from './harness.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-pin-'));
const lock = path.join(dir, 'tiny.lock.json');
const policy = path.join(dir, 'policy.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const { stdout } = await run(process.execPath, [CLI, 'pin', '--lock', lock, '--', process.execPath, TINY_SERVER]);
  expect(stdout).toContain('pinned 8 tools');
  writeFileSync(policy, 'pinning:\n  lock: ./tiny.lock.json\n');
});

async function list(env: NodeJS.ProcessEnv) {
  const s = startCli(['start', '--policy', policy, '--', process.execPath, TINY_SERVER], env);
  s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const answer = (await s.next(byId(1))) as { result: { tools: Array<{ name: string }> } };
  return { s, names: answer.result.tools.map((t) => t.name) };
}

describe('pinning', () => {
  it('writes a reviewable lock file: name, sha256 and summary per tool, sorted', () => {
    const written = JSON.parse(readFileSync(lock, 'utf8')) as { vanguardLock: number; tools: Record<string, { sha256: string; summary: string }> };
    expect(written.vanguardLock).toBe(1);
    expect(Object.keys(written.tools)).toEqual([...Object.keys(written.tools)].sort());
    expect(written.tools.echo).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), summary: 'the echo tool' });
  });

  it('is silent when nothing changed', async () => {
    const { s, names } = await list({});
    expect(names).toContain('echo');
    await s.close();
    expect(s.stderr()).not.toContain('pin.');
  });

  it('hides a tool whose definition changed since it was pinned, and refuses calls to it as unknown', async () => {
    const { s, names } = await list({ TINY_RUG_PULL: '1' });
    expect(names).not.toContain('echo');
    s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    expect(await s.next(byId(2))).toMatchObject({ result: { isError: true, content: [{ text: 'MCP error -32602: Tool echo not found' }] } });
    await s.close();
    expect(s.stderr()).toContain('pin.changed');
  });

  it('lets a new tool through with a warning', async () => {
    const { s, names } = await list({ TINY_EXTRA_TOOLS: '1' });
    expect(names).toContain('extra_0');
    await s.close();
    expect(s.stderr()).toContain('pin.new');
  });

  it('refuses to start with a lock file that is not one', async () => {
    const bad = path.join(dir, 'bad-policy.yaml');
    writeFileSync(path.join(dir, 'bad.lock.json'), '{"tools":{}}');
    writeFileSync(bad, 'pinning:\n  lock: ./bad.lock.json\n');
    const s = startCli(['start', '--policy', bad, '--', process.execPath, TINY_SERVER]);
    expect((await s.exit).code).toBe(1);
    expect(s.stderr()).toContain('not a Vanguard lock file');
  });
});
