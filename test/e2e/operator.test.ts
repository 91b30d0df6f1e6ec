/**
 * The operator's small commands through the real built CLI: --version from any folder,
 * `vanguard schema`, and `--policy` taking a shipped preset's name wherever a policy is taken.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, CLI, initialize, startCli, TINY_SERVER } from './harness.js';

const run = promisify(execFile);
const temp = mkdtempSync(path.join(tmpdir(), 'vanguard-operator-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const root = path.resolve(path.dirname(CLI), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

async function cli(args: string[], cwd = temp): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('--version', () => {
  it("prints Vanguard's own version from a folder whose package.json is someone else's", async () => {
    const project = path.join(temp, 'other-project');
    await run('mkdir', ['-p', project]);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'other', version: '9.9.9' }));
    const { code, stdout } = await cli(['--version'], project);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
  });
});

describe('schema', () => {
  it('prints the policy schema, and with --test the test file schema, as the shipped files', async () => {
    const policy = await cli(['schema']);
    expect(policy.code).toBe(0);
    expect(JSON.parse(policy.stdout)).toEqual(JSON.parse(readFileSync(path.join(root, 'policies', 'schema.json'), 'utf8')));
    const test = await cli(['schema', '--test']);
    expect(JSON.parse(test.stdout)).toEqual(JSON.parse(readFileSync(path.join(root, 'policies', 'test-schema.json'), 'utf8')));
  });

  it('writes it with --out, and never overwrites without --force', async () => {
    const out = path.join(temp, 'vanguard.schema.json');
    expect((await cli(['schema', '--out', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).title).toBe('Vanguard policy');
    writeFileSync(out, 'edited');
    const again = await cli(['schema', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe('edited');
    expect((await cli(['schema', '--out', out, '--force'])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).title).toBe('Vanguard policy');
  });
});

describe('--policy takes a shipped preset name', () => {
  it('check strict prints the strict preset merged', async () => {
    const { code, stdout } = await cli(['check', 'strict']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/validateArguments: true/);
  });

  it('a misspelt preset name is one error with a suggestion', async () => {
    const { code, stderr } = await cli(['check', 'stirct']);
    expect(code).toBe(1);
    expect(stderr).toContain('no policy file or shipped preset is named "stirct" (did you mean "strict"?)');
  });

  it('a file of that name in the working folder wins over the preset', async () => {
    const folder = mkdtempSync(path.join(temp, 'shadow-'));
    writeFileSync(path.join(folder, 'strict'), 'mode: monitor\n');
    const { code, stdout } = await cli(['check', 'strict'], folder);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mode: monitor$/m);
    expect(stdout).not.toMatch(/validateArguments: true/);
  });

  it('start --policy filesystem-readonly hides the tiny server tools (none declares itself read-only)', async () => {
    const listed = async (policy: string[]): Promise<string[]> => {
      const s = startCli(['start', ...policy, '--', process.execPath, TINY_SERVER]);
      s.send(initialize(0));
      await s.next(byId(0));
      s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      const answer = (await s.next(byId(1))) as { result: { tools: Array<{ name: string }> } };
      await s.close();
      return answer.result.tools.map((t) => t.name);
    };
    expect(await listed([])).toContain('echo');
    expect(await listed(['--policy', 'filesystem-readonly'])).toEqual([]);
  });

  it('start with an unknown name stops before any server runs', async () => {
    const { code, stderr } = await cli(['start', '--policy', 'nosuchpreset', '--', process.execPath, TINY_SERVER]);
    expect(code).toBe(1);
    expect(stderr).toContain('no policy file or shipped preset is named "nosuchpreset"');
  });
});

describe('one glob dialect', () => {
  it('check warns about a URL in denyHosts and refuses "[oops" in paths.deny', async () => {
    const warn = path.join(temp, 'hosts.yaml');
    writeFileSync(warn, 'network:\n  denyHosts: ["https://evil.example/collect"]\n');
    const warned = await cli(['check', warn]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(`${warn}:2:15: warning: in "network.denyHosts": "https://evil.example/collect" is a URL`);
    const bad = path.join(temp, 'paths.yaml');
    writeFileSync(bad, 'paths:\n  deny: ["[oops"]\n');
    const refused = await cli(['check', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('in "paths.deny": invalid glob "[oops"');
  });

  it('the running shim warns once, in the audit, about a tools.deny name no listed tool has', async () => {
    const policy = path.join(temp, 'typo.yaml');
    const audit = path.join(temp, 'typo-audit.jsonl');
    writeFileSync(policy, 'tools:\n  deny: [wirte_file, secret_tool]\n');
    const s = startCli(['start', '--policy', policy, '--audit', audit, '--', process.execPath, TINY_SERVER]);
    s.send(initialize(0));
    await s.next(byId(0));
    for (const id of [1, 2]) {
      s.send({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });
      await s.next(byId(id));
    }
    await s.close();
    const records = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string; rules?: string[]; detail?: { matchedNoTool?: unknown } });
    const warnings = records.filter((r) => r.detail?.matchedNoTool !== undefined);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, detail: { matchedNoTool: [{ where: 'tools.deny', glob: 'wirte_file' }] } });
    expect(warnings[0]!.msg).toContain('no listed tool matches tools.deny "wirte_file"');
    const shown = await cli(['audit', 'show', audit, '--verdict', 'warn', '--json']);
    expect(shown.stdout.trim().split('\n').map((l) => JSON.parse(l) as { tool: string; rules: string[] })).toEqual([expect.objectContaining({ tool: 'wirte_file', rules: ['policy.unmatched-name'] })]);
  });
});
