/**
 * The policy cache through the real CLI: the second start of the same policy comes from the
 * cache and enforces the same thing, says the same warnings, and a policy edited into an
 * invalid one is reported as before. (What makes an entry a miss: test/config/policy-cache.test.ts.)
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, initialize, startCli, TINY_SERVER } from './harness.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vanguard-cache-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cacheDir = path.join(dir, 'cache');
const policy = path.join(dir, 'policy.yaml');
const env = { VANGUARD_CACHE_DIR: cacheDir, VANGUARD_NO_CACHE: '' };

// One session: initialize, call echo, and what came back and was said on stderr.
async function session(): Promise<{ echo: unknown; stderr: string }> {
  const s = startCli(['start', '--policy', policy, '--', process.execPath, TINY_SERVER], env);
  s.send(initialize(0));
  await s.next(byId(0));
  s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
  const echo = await s.next(byId(1));
  await s.close();
  return { echo, stderr: s.stderr() };
}

describe('a policy loaded from the cache', () => {
  it('enforces and warns the same as the first load; an invalid edit is still reported', async () => {
    // Empty apart from a comment (a warning), then a deny: each is loaded once, then hit.
    writeFileSync(policy, '# nothing here yet\n');
    const first = await session();
    expect(first.stderr).toContain(`${policy}:1:1: warning: the policy file is empty`);
    const entries = path.join(cacheDir, 'policies');
    expect(readdirSync(entries).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    if (process.platform !== 'win32') expect(statSync(path.join(entries, readdirSync(entries)[0]!)).mode & 0o777).toBe(0o600);
    const second = await session();
    expect(second.stderr).toContain(`${policy}:1:1: warning: the policy file is empty`);
    expect(second.echo).toEqual(first.echo);
    expect((first.echo as { result?: { isError?: boolean } }).result?.isError).not.toBe(true);

    writeFileSync(policy, 'tools:\n  deny: [echo]\n');
    for (let run = 0; run < 2; run++) {
      const denied = await session();
      expect(denied.stderr).not.toContain('warning: the policy file is empty');
      expect(denied.echo).toMatchObject({ id: 1 });
      expect(JSON.stringify(denied.echo)).not.toContain('"hi"');
    }

    writeFileSync(policy, 'mode: sometimes\n');
    const bad = startCli(['start', '--policy', policy, '--', process.execPath, TINY_SERVER], env);
    expect((await bad.exit).code).toBe(1);
    expect(bad.stderr()).toContain(`${policy}:1:7: "mode" must be one of`);
  }, 60_000);

  it('VANGUARD_NO_CACHE=1 writes nothing', async () => {
    const off = path.join(dir, 'off');
    writeFileSync(policy, 'mode: monitor\n');
    const s = startCli(['start', '--policy', policy, '--', process.execPath, TINY_SERVER], { VANGUARD_CACHE_DIR: off, VANGUARD_NO_CACHE: '1' });
    s.send(initialize(0));
    await s.next(byId(0));
    await s.close();
    expect(existsSync(off)).toBe(false);
  }, 30_000);
});
