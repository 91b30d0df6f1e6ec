/**
 * The commands around `start`, through the real built CLI: help, check, audit verify,
 * --server splitting, monitor mode and error-mode answers.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, CLI, FIXTURE_POLICIES, startCli, TINY_SERVER } from './harness.js';

const run = promisify(execFile);
const temp = mkdtempSync(path.join(tmpdir(), 'vanguard-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const call = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

describe('help', () => {
  it('lists the commands', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'check', 'demo', 'audit', 'approve']) expect(stdout).toContain(`vanguard ${command}`);
  });

  it('shows how to wrap a server in Claude Desktop and from a terminal', async () => {
    const { code, stdout } = await cli(['start', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('claude_desktop_config.json');
    expect(stdout).toContain('--server "npx -y @modelcontextprotocol/server-filesystem ."');
  });

  it('refuses an unknown option with exit code 2', async () => {
    const { code, stderr } = await cli(['start', '--polcy', 'x.yaml', '--', 'node']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^vanguard: Unknown argument: polcy/);
  });

  it('asks for a server when none is given', async () => {
    const { code, stderr } = await cli(['start']);
    expect(code).toBe(2);
    expect(stderr).toContain('say which server to run');
  });
});

describe('check', () => {
  it('prints the effective default policy', async () => {
    const { code, stdout } = await cli(['check']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mode: enforce$/m);
  });

  it('prints every error as file:line:col: message and exits 1', async () => {
    const file = path.join(FIXTURE_POLICIES, 'invalid', 'unknown-top-level-key.yaml');
    const { code, stdout, stderr } = await cli(['check', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:3:1: unknown top-level key "mdoe" (did you mean "mode"?)`);
  });

  it('refuses to start a server under an invalid policy, and the server never starts', async () => {
    const marker = path.join(temp, 'started');
    const file = path.join(FIXTURE_POLICIES, 'invalid', 'bad-enum.yaml');
    const { code, stderr } = await cli(['start', '--policy', file, '--', process.execPath, '-e', `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 2000)`]);
    expect(code).toBe(1);
    expect(stderr).toContain('bad-enum.yaml:1:7: "mode" must be one of: enforce, monitor (got "enforcee")');
    await new Promise((r) => setTimeout(r, 2500));
    expect(() => readFileSync(marker)).toThrow();
  });
});

describe('start', () => {
  it('splits --server like a shell: a script in a folder with spaces', async () => {
    const folder = path.join(temp, 'My Servers');
    mkdirSync(folder, { recursive: true });
    const script = path.join(folder, 'tiny server.mjs');
    copyFileSync(TINY_SERVER, script);
    const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--server', `"${process.execPath}" '${script}'`]);
    s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(await s.next(byId(1))).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(await s.close()).toEqual({ code: 0, signal: null });
  });

  it('in monitor mode passes what it would refuse, and records it', async () => {
    const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--mode', 'monitor', '--', process.execPath, TINY_SERVER]);
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const list = (await s.next(byId(1))) as { result: { tools: Array<{ name: string }> } };
    expect(list.result.tools.map((t) => t.name)).toContain('secret_tool');
    s.send(call(2, 'secret_tool'));
    s.send(call(3, 'delete_everything'));
    expect(await s.next(byId(2))).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'called secret_tool' }] } });
    expect(await s.next(byId(3))).toEqual({ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'called delete_everything' }] } });
    await s.close();
    const records = s.stderr().split('\n').filter((l) => l.includes('"verdict":"would-block"'));
    expect(records.map((l) => (JSON.parse(l) as { tool?: string; method: string }).tool ?? (JSON.parse(l) as { method: string }).method).sort()).toEqual(['delete_everything', 'secret_tool', 'tools/list']);
  });

  it('answers a blocked call with a JSON-RPC error under --on-block error', async () => {
    const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--on-block', 'error', '--', process.execPath, TINY_SERVER]);
    s.send(call(1, 'delete_everything'));
    expect(await s.next(byId(1))).toMatchObject({ error: { code: -32010, data: { rule: 'tools.actions:delete_everything' } } });
    await s.close();
  });
});

describe('audit verify', () => {
  it('accepts the chain a session wrote, and names the line that was altered', async () => {
    const audit = path.join(temp, 'audit.jsonl');
    const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--audit', audit, '--', process.execPath, TINY_SERVER]);
    s.send(call(1, 'echo'));
    s.send(call(2, 'secret_tool'));
    await s.next(byId(1));
    await s.next(byId(2));
    await s.close();

    const good = await cli(['audit', 'verify', audit]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/records, chain intact/);

    const lines = readFileSync(audit, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes('"tool":"secret_tool"'));
    expect(index).toBeGreaterThan(0);
    lines[index] = (lines[index] ?? '').replace('"verdict":"hide"', '"verdict":"forward"');
    writeFileSync(audit, lines.join('\n'));
    const bad = await cli(['audit', 'verify', audit]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`line ${index + 1}`);
  });
});

describe('demo', () => {
  it('runs the filesystem server behind the shipped policy and shows each step', async () => {
    const { code, stdout } = await cli(['demo']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/tools the client saw\s+10: read_file/);
    expect(stdout).not.toMatch(/tools the client saw[^\n]*write_file/);
    expect(stdout).toMatch(/read_text_file hello\.txt \(allowed\)\s+passed: Hello from a file/);
    expect(stdout).toMatch(/directory_tree \(blocked by policy\)\s+refused: Blocked by Vanguard policy \(rule tools\.actions:directory_tree\)/);
    expect(stdout).toMatch(/read_text_file \.\.\/\.\.\/\.\.\/etc\/passwd \(inspected\)\s+refused: Blocked by Vanguard policy \(rule path\./);
    expect(stdout).toMatch(/write_file \(hidden, called anyway\)\s+refused as unknown: MCP error -32602: Tool write_file not found/);
    const auditFile = /records in (\S+)/.exec(stdout)?.[1] ?? '';
    expect((await cli(['audit', 'verify', auditFile])).code).toBe(0);
    expect(stdout).toContain('Every step behaved as the policy says.');
    rmSync(auditFile, { force: true });
  });
});

describe('server arguments', () => {
  it('passes numbers after -- to the server as written', async () => {
    const script = 'process.stdout.write(JSON.stringify({jsonrpc:"2.0",method:"argv",params:{argv:process.argv.slice(1)}})+"\\n"); setTimeout(()=>{},200)';
    const s = startCli(['start', '--grace-ms', '100', '--', process.execPath, '-e', script, '007', '1e3', '-5']);
    const message = (await s.next((v) => (v as { method?: string })?.method === 'argv')) as { params: { argv: string[] } };
    expect(message.params.argv).toEqual(['007', '1e3', '-5']);
    await s.close();
  });
});

describe('rule packs of your own', () => {
  const dir = path.join(FIXTURE_POLICIES, 'custom-rules');

  it('refuse a call the custom rule matches, through the CLI', async () => {
    const s = startCli(['start', '--policy', path.join(dir, 'policy.yaml'), '--', process.execPath, TINY_SERVER]);
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { note: 'connect to billing-db-eu1.corp please' } } });
    s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { note: 'the billing database is down' } } });
    expect(await s.next(byId(1))).toMatchObject({ result: { isError: true, content: [{ text: expect.stringContaining('rule custom.billing-db-name') }] } });
    expect(await s.next(byId(2))).toMatchObject({ result: { content: [{ text: '{"note":"the billing database is down"}' }] } });
    await s.close();
  });

  it('are checked by vanguard check, with file:line:col', async () => {
    const { code, stderr } = await cli(['check', path.join(dir, 'broken-policy.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${path.join(dir, 'broken.yaml')}:6:15: rule custom.lookahead: "secret(?=x)": pattern cannot be used`);
  });

  it('stop vanguard start when broken', async () => {
    const { code, stderr } = await cli(['start', '--policy', path.join(dir, 'broken-policy.yaml'), '--', process.execPath, TINY_SERVER]);
    expect(code).toBe(1);
    expect(stderr).toContain('the rule packs have problems');
    expect(stderr).toContain('broken.yaml:6:15');
  });
});
