/**
 * The audit a person reads, through the real built CLI: numeric pino levels and a `msg` per
 * record in the file, `--log-format pretty` on stderr, and `vanguard audit show` with its
 * filters, poisoned definitions as rows of their own, `--json` and `--follow`.
 */
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byId, CLI, eventually, initialize, startCli, TINY_SERVER } from './harness.js';

const run = promisify(execFile);
const temp = mkdtempSync(path.join(tmpdir(), 'vanguard-audit-show-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const audit = path.join(temp, 'audit.jsonl');
let shimStderr = '';

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

beforeAll(async () => {
  const policy = path.join(temp, 'policy.yaml');
  writeFileSync(policy, 'tools:\n  deny: [secret_tool]\n  actions:\n    delete_everything: block\n');
  const s = startCli(['start', '--policy', policy, '--audit', audit, '--log-format', 'pretty', '--name', 'tiny', '--', process.execPath, TINY_SERVER], { TINY_POISON: '1' });
  s.send(initialize(0));
  await s.next(byId(0));
  s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  await s.next(byId(1));
  for (const [id, name] of [[2, 'delete_everything'], [3, 'secret_tool'], [4, 'echo']] as const) {
    s.send(call(id, name));
    await s.next(byId(id));
  }
  await s.close();
  shimStderr = s.stderr();
}, 30_000);

describe('the records', () => {
  it("carry pino's numeric levels and a msg that says what happened", () => {
    const records = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: unknown; msg: string; verdict?: string });
    expect(records.every((r) => typeof r.level === 'number')).toBe(true);
    // What `jq 'select(.level>=40)'` keeps: the refusals and the poisoned definition.
    const warnings = records.filter((r) => (r.level as number) >= 40).map((r) => r.msg);
    expect(warnings).toEqual(expect.arrayContaining(['blocked tools/call delete_everything', 'hidden tools/call secret_tool', 'rewrote tools/list (hid 1: add_numbers)']));
    expect(records.find((r) => r.msg === 'forwarded tools/call echo')?.level).toBe(30);
    expect(records.some((r) => r.msg === 'decision')).toBe(false);
  });

  it('are readable lines on stderr with --log-format pretty, JSON in the file', () => {
    const lines = shimStderr.split('\n').filter((line) => line.includes('tiny'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).toThrow();
    expect(lines.some((line) => /^\d\d:\d\d:\d\d\.\d{3}  WARN   tiny  blocked tools\/call delete_everything  rules=tools\.actions:delete_everything  reason=/.test(line))).toBe(true);
  });

  it('still verify as a hash chain', async () => {
    const { code, stdout } = await cli(['audit', 'verify', audit]);
    expect(code).toBe(0);
    expect(stdout).toContain('chain intact');
  });
});

describe('vanguard audit show', () => {
  it('prints a table, newest last, with the poisoned definition as a row of its own', async () => {
    const { code, stdout } = await cli(['audit', 'show', audit]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+SERVER\s+METHOD\s+TOOL\s+VERDICT\s+RULES\s+REASON$/);
    expect(lines.some((l) => /\btools\/list\s+add_numbers\s+hide\s+\S*inject\.\S*\s+poisoned definition$/.test(l))).toBe(true);
    expect(lines.some((l) => /\btools\/call\s+delete_everything\s+block\s+tools\.actions:delete_everything\s+the tool "delete_everything" may not be called/.test(l))).toBe(true);
    const times = lines.slice(1).map((l) => l.slice(0, 24));
    expect([...times].sort()).toEqual(times);
  });

  it('--verdict and --tool filter rows', async () => {
    const { stdout } = await cli(['audit', 'show', audit, '--verdict', 'block,hide', '--json']);
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as { tool: string; verdict: string });
    // The poisoned tool is hidden in each listing (the shim's own, and the client's).
    expect([...new Set(rows.map((r) => `${r.tool} ${r.verdict}`))].sort()).toEqual(['add_numbers hide', 'delete_everything block', 'secret_tool hide']);
    const tool = await cli(['audit', 'show', audit, '--tool', 'sec*', '--json']);
    const named = tool.stdout.trim().split('\n').map((l) => JSON.parse(l) as { tool: string });
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((r) => r.tool === 'secret_tool')).toBe(true);
  });

  it('--since keeps recent records and drops older ones', async () => {
    expect((await cli(['audit', 'show', audit, '--since', '1h', '--json'])).stdout.trim().split('\n').length).toBeGreaterThan(3);
    const later = await cli(['audit', 'show', audit, '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(later.code).toBe(0);
    expect(later.stdout).toBe('');
    expect(later.stderr).toContain('no record matched');
  });

  it('refuses a bad verdict, glob or duration with exit 2', async () => {
    expect((await cli(['audit', 'show', audit, '--verdict', 'blocked'])).code).toBe(2);
    expect((await cli(['audit', 'show', audit, '--tool', 'read_[file'])).stderr).toContain('is never closed');
    expect((await cli(['audit', 'show', audit, '--since', 'yesterday'])).code).toBe(2);
  });

  it('--follow prints rows appended after it started', async () => {
    const growing = path.join(temp, 'growing.jsonl');
    writeFileSync(growing, '');
    const child = spawn(process.execPath, [CLI, 'audit', 'show', growing, '--follow', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const record = { level: 40, time: new Date().toISOString(), server: 's', session: 'x', direction: 'client', method: 'tools/call', tool: 'late_tool', verdict: 'block', rules: ['r'], reason: 'late', msg: 'blocked tools/call late_tool' };
    // Appended in two writes, the line split: only a complete line is a row.
    await new Promise((r) => setTimeout(r, 500));
    const text = `${JSON.stringify(record)}\n`;
    appendFileSync(growing, text.slice(0, 20));
    await new Promise((r) => setTimeout(r, 400));
    appendFileSync(growing, text.slice(20));
    expect(await eventually(() => out.includes('late_tool'))).toBe(true);
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    expect(JSON.parse(out.trim())).toMatchObject({ tool: 'late_tool', verdict: 'block', reason: 'late' });
  });
});
