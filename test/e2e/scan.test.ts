/**
 * `vanguard scan` and `vanguard pin --check` end to end through the built CLI, on real
 * servers: the malicious fixture (every finding a SARIF result; exit 1), the official
 * server-everything (nothing found; exit 0), the tiny server with its env switches (rug
 * pull, extra tools, a poisoned tool), and servers that cannot start.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sarifProblems } from '../scan/sarif-shape.js';
import { byId, CLI, startCli, TINY_SERVER } from './harness.js';

const MALICIOUS = path.resolve(path.dirname(TINY_SERVER), 'malicious-server.mjs');
const EVERYTHING = path.join(path.dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string }
function vanguard(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface JsonFinding { ruleId: string; severity: string; location: string }
interface JsonReport { exitCode: number; counts: Record<string, number>; definitions: Array<{ kind: string; key: string; outcome: string; because: string[]; findings: JsonFinding[] }> }
const findingsOf = (report: JsonReport) => report.definitions.flatMap((d) => d.findings);
type Sarif = { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> }> }> };

describe('vanguard scan of the malicious fixture', { timeout: 60_000 }, () => {
  const sarifFile = path.join(dir, 'malicious.sarif');
  let run: Run;
  let report: JsonReport;
  let sarif: Sarif;
  beforeAll(async () => {
    run = await vanguard(['scan', '--json', '--sarif', sarifFile, '--', process.execPath, MALICIOUS]);
    report = JSON.parse(run.stdout) as JsonReport;
    sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif;
  });

  it('exits 1: there are findings at or above high', () => {
    expect(run.code).toBe(1);
    expect(report.exitCode).toBe(1);
  });

  it('finds the poisoned definitions and instructions, naming rule, severity and field', () => {
    const found = findingsOf(report).map((f) => `${f.severity} ${f.ruleId} ${f.location}`);
    expect(found).toEqual(expect.arrayContaining([
      'critical hidden.unicode-tags tools[add].description',
      'high inject.instruction-tag tools[fetch_weather].description',
      'high inject.tool-redirection tools[send_note].description',
      'high inject.ignore-instructions tools[search].inputSchema.properties.q.description',
      'high inject.instruction-tag instructions',
    ]));
    const hidden = report.definitions.filter((d) => d.kind === 'tools' && d.outcome === 'hidden').map((d) => d.key);
    expect(hidden.sort()).toEqual(['add', 'fetch_weather', 'search', 'send_note']);
    expect(report.definitions.find((d) => d.key === 'get_status')).toMatchObject({ outcome: 'shown', findings: [] });
    expect(report.definitions.find((d) => d.kind === 'instructions')).toMatchObject({ outcome: 'removed' });
  });

  it('writes a well-formed SARIF 2.1.0 log with one result per finding', () => {
    expect(sarifProblems(sarif)).toEqual([]);
    const results = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.logicalLocations[0]!.fullyQualifiedName}`);
    const findings = findingsOf(report).map((f) => `${f.ruleId} ${f.location}`);
    expect(findings.length).toBeGreaterThanOrEqual(9);
    expect(results).toEqual(findings);
    const rules = sarif.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(new Set(rules)).toEqual(new Set(findings.map((f) => f.split(' ')[0])));
  });

  it('prints a readable report by default, grouped per definition', async () => {
    const text = await vanguard(['scan', '--server', `"${process.execPath}" "${MALICIOUS}"`]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^ {2}add: hidden \(metadata\.poisoning\)$/m);
    expect(text.stdout).toMatch(/^ {4}CRITICAL hidden\.unicode-tags at tools\[add\]\.description/m);
    expect(text.stdout).toContain('shown, nothing found: get_status, report, update');
    // The tag characters of the evidence are shown escaped, never raw.
    expect(text.stdout).not.toMatch(/[\u{e0000}-\u{e007f}]/u);
  });
});

describe('vanguard scan of server-everything', () => {
  it('finds nothing and exits 0; stdout carries only the report', async () => {
    const sarifFile = path.join(dir, 'everything.sarif');
    const run = await vanguard(['scan', '--json', '--sarif', sarifFile, '--', process.execPath, EVERYTHING, 'stdio']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(findingsOf(report)).toEqual([]);
    expect(report.counts.tools).toBeGreaterThanOrEqual(10);
    expect(report.counts.resourceTemplates).toBeGreaterThan(0);
    expect(report.definitions.every((d) => d.outcome === 'shown')).toBe(true);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif;
    expect(sarifProblems(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results).toEqual([]);
  });
});

describe('vanguard scan: policy, lock, --fail-on, and servers that cannot be scanned', { timeout: 120_000 }, () => {
  it('--fail-on decides the exit code', async () => {
    const poisoned = { TINY_POISON: '1' };
    expect((await vanguard(['scan', '--', process.execPath, TINY_SERVER], poisoned)).code).toBe(1);
    const sarifFile = path.join(dir, 'anchored.sarif');
    const relaxed = await vanguard(['scan', '--fail-on', 'critical', '--sarif', sarifFile, '--sarif-anchor', '.mcp.json', '--', process.execPath, TINY_SERVER], poisoned);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain('add_numbers: hidden (metadata.poisoning)');
    // --sarif-anchor: each result also sits at a repository file, relative, for code scanning.
    const results = (JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation?: unknown }> }> }> }).runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: '.mcp.json' }, region: { startLine: 1 } });
  });

  it('reports the tools the policy hides or refuses', async () => {
    const policy = path.join(dir, 'deny.yaml');
    writeFileSync(policy, 'tools:\n  deny: [delete_*]\n  actions:\n    secret_tool: block\n');
    const run = await vanguard(['scan', '--json', '--policy', policy, '--', process.execPath, TINY_SERVER]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.definitions.find((d) => d.key === 'delete_everything')).toMatchObject({ outcome: 'hidden', because: ['tools.deny'] });
    expect(report.definitions.find((d) => d.key === 'secret_tool')).toMatchObject({ outcome: 'calls-blocked', because: ['tools.actions'] });
  });

  it('compares with a lock: a changed tool is a high finding', async () => {
    const lock = path.join(dir, 'scan.lock.json');
    expect((await vanguard(['pin', '--lock', lock, '--', process.execPath, TINY_SERVER])).code).toBe(0);
    expect((await vanguard(['scan', '--lock', lock, '--', process.execPath, TINY_SERVER])).code).toBe(0);
    const run = await vanguard(['scan', '--json', '--lock', lock, '--', process.execPath, TINY_SERVER], { TINY_RUG_PULL: '1' });
    expect(run.code).toBe(1);
    expect(findingsOf(JSON.parse(run.stdout) as JsonReport)).toEqual([expect.objectContaining({ ruleId: 'pin.changed', severity: 'high', location: 'tools[echo]' })]);
  });

  it('exits 2 when the server cannot start, the policy is invalid or the lock unreadable', async () => {
    const missing = await vanguard(['scan', '--', 'vanguard-no-such-server-xyz']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual(['vanguard: cannot start "vanguard-no-such-server-xyz": command not found']);
    expect(missing.stdout).toBe('');
    const dies = await vanguard(['scan', '--', process.execPath, '-e', 'process.exit(3)']);
    expect(dies.code).toBe(2);
    expect(dies.stderr).toContain('did not answer initialize');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'tools:\n  dney: [x]\n');
    const invalid = await vanguard(['scan', '--policy', bad, '--', process.execPath, TINY_SERVER]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('bad.yaml:2');
    expect((await vanguard(['scan', '--lock', path.join(dir, 'nope.json'), '--', process.execPath, TINY_SERVER])).code).toBe(2);
  });
});

describe('vanguard pin --check', { timeout: 60_000 }, () => {
  const lock = path.join(dir, 'tiny.lock.json');
  beforeAll(async () => {
    expect((await vanguard(['pin', '--lock', lock, '--', process.execPath, TINY_SERVER])).code).toBe(0);
  });

  it('exits 0 when the server is as pinned', async () => {
    const run = await vanguard(['pin', '--check', '--lock', lock, '--', process.execPath, TINY_SERVER]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('matches the lock');
  });

  it('exits 1 naming every difference, and leaves the lock alone', async () => {
    const before = readFileSync(lock, 'utf8');
    const run = await vanguard(['pin', '--check', '--lock', lock, '--', process.execPath, TINY_SERVER], { TINY_RUG_PULL: '1', TINY_EXTRA_TOOLS: '1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('differs from the lock in 2 definitions');
    expect(run.stdout).toContain('tools "echo": changed since pinned');
    expect(run.stdout).toContain('tools "extra_0": not in the lock');
    expect(readFileSync(lock, 'utf8')).toBe(before);
  });

  it('reads every page: a paged listing matches, and a change on a later page is found', async () => {
    const paged = { TINY_PAGE_SIZE: '3' };
    expect((await vanguard(['pin', '--check', '--lock', lock, '--', process.execPath, TINY_SERVER], paged)).code).toBe(0);
    const run = await vanguard(['pin', '--check', '--lock', lock, '--', process.execPath, TINY_SERVER], { ...paged, TINY_EXTRA_TOOLS: '2' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('tools "extra_1": not in the lock');
    const scanned = JSON.parse((await vanguard(['scan', '--json', '--', process.execPath, TINY_SERVER], { ...paged, TINY_EXTRA_TOOLS: '2' })).stdout) as JsonReport;
    expect(scanned.counts.tools).toBe(10);
  });

  it('exits 2 when there is no lock to check against', async () => {
    const run = await vanguard(['pin', '--check', '--lock', path.join(dir, 'absent.json'), '--', process.execPath, TINY_SERVER]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read the lock file');
  });
});

describe('vanguard pin fails like start', { timeout: 60_000 }, () => {
  it('a command that does not exist: one line, exit 127, no lock written', async () => {
    const lock = path.join(dir, 'never.json');
    const run = await vanguard(['pin', '--lock', lock, '--', 'vanguard-no-such-server-xyz', '--flag']);
    expect(run.code).toBe(127);
    expect(run.stderr).toBe('vanguard: cannot start "vanguard-no-such-server-xyz": command not found\n');
    expect(existsSync(lock)).toBe(false);
  });

  it('a file that is not executable: exit 126', async () => {
    const script = path.join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o644);
    const run = await vanguard(['pin', '--lock', path.join(dir, 'never.json'), '--', script]);
    expect(run.code).toBe(126);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('start names its audit records the same way', async () => {
    const s = startCli(['start', '--', process.execPath, EVERYTHING, 'stdio']);
    s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await s.next(byId(1));
    await s.close();
    expect(s.stderr()).toContain('"server":"server-everything"');
  });

  it('names the lock after the package folder of a generic entry file', async () => {
    const lock = path.join(dir, 'everything.lock.json');
    const run = await vanguard(['pin', '--lock', lock, '--', process.execPath, EVERYTHING, 'stdio']);
    expect(run.code).toBe(0);
    expect((JSON.parse(readFileSync(lock, 'utf8')) as { server: string }).server).toBe('server-everything');
  });
});

describe('definitions are read as the server sent them', { timeout: 60_000 }, () => {
  const EXTRA = path.resolve(path.dirname(TINY_SERVER), 'extra-fields-server.mjs');

  it('scan sees poisoning in a field the SDK client would drop', async () => {
    const run = await vanguard(['scan', '--json', '--', process.execPath, EXTRA], { EXTRA_POISON: '1' });
    expect(run.code).toBe(1);
    const found = findingsOf(JSON.parse(run.stdout) as JsonReport);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.location).toBe('tools[lookup].x-usage');
  });

  it('a lock from pin matches what start compares: the tool is shown, not hidden as changed', async () => {
    const lock = path.join(dir, 'extra.lock.json');
    expect((await vanguard(['pin', '--lock', lock, '--', process.execPath, EXTRA])).code).toBe(0);
    expect((await vanguard(['pin', '--check', '--lock', lock, '--', process.execPath, EXTRA])).code).toBe(0);
    const policy = path.join(dir, 'extra-policy.yaml');
    writeFileSync(policy, 'pinning:\n  lock: ./extra.lock.json\n');
    const s = startCli(['start', '--policy', policy, '--', process.execPath, EXTRA]);
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const answer = (await s.next(byId(1))) as { result: { tools: Array<{ name: string }> } };
    await s.close();
    expect(answer.result.tools.map((t) => t.name)).toEqual(['lookup', 'plain']);
    expect(s.stderr()).not.toContain('pin.changed');
  });
});

describe('an unknown command', () => {
  it('gets a did-you-mean, exit 2', async () => {
    const run = await vanguard(['scna', '--server', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('vanguard: unknown command "scna" (did you mean "scan"?)\n');
  });
});
