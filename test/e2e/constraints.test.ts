/**
 * Constraints end to end: the official filesystem server behind the built CLI under a
 * constraint policy, and `policy learn` from a recorded monitor session whose learned policy,
 * run on the same calls, allows them all and refuses a path outside the learned folders.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, connectThroughShim, FILESYSTEM_SERVER } from './sdk-harness.js';

const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'vanguard-constraints-')));
const work = mkdtempSync(path.join(tmpdir(), 'vanguard-constraints-work-'));
for (const dir of ['public', 'public/sub', 'private']) mkdirSync(path.join(root, dir), { recursive: true });
for (const file of ['public/a.txt', 'public/b.txt', 'public/sub/c.txt', 'private/secret.txt', 'notes.txt']) writeFileSync(path.join(root, file), `${file}\n`);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const text = (result: unknown): string => ((result as { content: Array<{ text?: string }> }).content[0]?.text ?? '');
const records = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('filesystem server under a constraint policy', () => {
  it('reads under the constrained folder, refuses elsewhere in the server root however spelled, naming the constraint', async () => {
    const policy = path.join(work, 'constrained.yaml');
    writeFileSync(policy, `extends: default
arguments:
  read_text_file:
    constrain:
      path: { paths: ["${root}/public/**"] }
  read_multiple_files:
    constrain:
      paths: { paths: ["${root}/public/**"] }
`);
    const audit = path.join(work, 'constrained.jsonl');
    const shim = await connectThroughShim(['--policy', policy, '--audit', audit], process.execPath, [FILESYSTEM_SERVER, root]);
    try {
      const ok = await shim.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'public', 'a.txt') } });
      expect(text(ok)).toBe('public/a.txt\n');
      for (const p of [path.join(root, 'private', 'secret.txt'), `${root}/public/%2e%2e/private/secret.txt`, path.join(root, 'notes.txt')]) {
        const refused = await shim.client.callTool({ name: 'read_text_file', arguments: { path: p } });
        expect(refused.isError, p).toBe(true);
        expect(text(refused)).toContain('constraint.path.paths');
        expect(text(refused)).toContain(`read_text_file may only use paths under ${root}/public/**`);
      }
      const many = await shim.client.callTool({ name: 'read_multiple_files', arguments: { paths: [path.join(root, 'public', 'a.txt'), path.join(root, 'private', 'secret.txt')] } });
      expect(many.isError).toBe(true);
      expect(text(many)).not.toContain('private/secret.txt\n');
    } finally {
      await shim.close();
    }
    const refusedRecords = records(audit).filter((r) => r.method === 'tools/call' && r.verdict === 'block');
    expect(refusedRecords.map((r) => (r.rules as string[])[0])).toEqual(['constraint.path.paths', 'constraint.path.paths', 'constraint.path.paths', 'constraint.paths.paths']);
  });
});

describe('rate limit and lockout through the CLI', () => {
  it('refuses over the rate with when to retry, and locks the session out after repeated refusals, both audited', async () => {
    const policy = path.join(work, 'limits.yaml');
    writeFileSync(policy, 'extends: default\ntools: { deny: [write_file] }\nlimits:\n  rate: { tools: { "list_*": 1/h } }\n  lockout: { blocks: 3, window: 1m, cooldown: 5m }\n');
    const audit = path.join(work, 'limits.jsonl');
    const shim = await connectThroughShim(['--policy', policy, '--audit', audit], process.execPath, [FILESYSTEM_SERVER, root]);
    const read = { name: 'read_text_file', arguments: { path: path.join(root, 'public', 'a.txt') } };
    try {
      expect((await shim.client.callTool({ name: 'list_directory', arguments: { path: root } })).isError).toBeFalsy();
      const over = await shim.client.callTool({ name: 'list_directory', arguments: { path: root } });
      expect(over.isError).toBe(true);
      expect(text(over)).toMatch(/limits\.rate.*retry in/);
      expect((await shim.client.callTool(read)).isError).toBeFalsy();
      for (let i = 0; i < 2; i++) expect((await shim.client.callTool({ name: 'write_file', arguments: { path: path.join(root, 'x'), content: 'x' } })).isError).toBe(true);
      const locked = await shim.client.callTool(read);
      expect(locked.isError).toBe(true);
      expect(text(locked)).toMatch(/limits\.lockout.*refused until \d{4}-\d\d-\d\dT[\d:]+Z/);
    } finally {
      await shim.close();
    }
    // The first call waits for the shim's own listing (a record of its own, then its decision).
    const all = records(audit).filter((r) => r.method === 'tools/call');
    expect(all[0]).toMatchObject({ verdict: 'drop', rules: ['tools.held-for-list'] });
    const refused = all.filter((r) => r.verdict !== 'forward' && (r.rules as string[])[0] !== 'tools.held-for-list').map((r) => [r.verdict, (r.rules as string[])[0]]);
    expect(refused).toEqual([['block', 'limits.rate'], ['hide', 'tools.deny:write_file'], ['hide', 'tools.deny:write_file'], ['block', 'limits.lockout']]);
  });
});

describe('policy learn from a recorded monitor session', () => {
  const calls = [
    { name: 'read_text_file', arguments: { path: path.join(root, 'public', 'a.txt') } },
    { name: 'read_text_file', arguments: { path: path.join(root, 'public', 'b.txt') } },
    { name: 'read_text_file', arguments: { path: path.join(root, 'public', 'sub', 'c.txt') } },
    { name: 'list_directory', arguments: { path: path.join(root, 'public') } },
  ];

  it('learns a policy that allows every call seen and refuses a new path outside the learned folders', async () => {
    const monitor = path.join(work, 'monitor.yaml');
    writeFileSync(monitor, 'extends: default\nmode: monitor\naudit: { arguments: redacted }\n');
    const audit = path.join(work, 'monitor.jsonl');
    const recorded = await connectThroughShim(['--policy', monitor, '--audit', audit], process.execPath, [FILESYSTEM_SERVER, root]);
    try {
      await recorded.client.listTools();
      for (const c of calls) expect((await recorded.client.callTool(c)).isError).toBeFalsy();
    } finally {
      await recorded.close();
    }

    const learned = path.join(work, 'learned.yaml');
    const summary = execFileSync(process.execPath, [CLI, 'policy', 'learn', audit, '--out', learned], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(summary).toBe('');
    const yaml = readFileSync(learned, 'utf8');
    expect(yaml).toContain(`${root}/public/*`);
    expect(yaml).toContain('- read_text_file');
    expect(yaml).not.toContain('write_file');
    execFileSync(process.execPath, [CLI, 'check', learned], { stdio: 'ignore' });

    const rerun = await connectThroughShim(['--policy', learned], process.execPath, [FILESYSTEM_SERVER, root]);
    try {
      const visible = (await rerun.client.listTools()).tools.map((t) => t.name).sort();
      expect(visible).toEqual(['list_directory', 'read_text_file']);
      for (const c of calls) expect((await rerun.client.callTool(c)).isError, c.arguments.path).toBeFalsy();
      const outside = await rerun.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'private', 'secret.txt') } });
      expect(outside.isError).toBe(true);
      expect(text(outside)).toContain('constraint.path.paths');
      const other = await rerun.client.callTool({ name: 'list_directory', arguments: { path: path.join(root, 'private') } });
      expect(other.isError).toBe(true);
      const hidden = await rerun.client.callTool({ name: 'write_file', arguments: { path: path.join(root, 'public', 'x.txt'), content: 'x' } });
      expect(hidden.isError).toBe(true);
    } finally {
      await rerun.close();
    }
  });
});
