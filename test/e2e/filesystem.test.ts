/**
 * The official filesystem server behind the real CLI, driven by the SDK's real Client:
 * what a user wiring Vanguard into Claude Desktop gets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDirect, connectThroughShim, FILESYSTEM_SERVER, type McpSession } from './sdk-harness.js';
import { FIXTURE_POLICIES } from './harness.js';

const root = mkdtempSync(path.join(tmpdir(), 'vanguard-fs-'));
const auditDir = mkdtempSync(path.join(tmpdir(), 'vanguard-fs-audit-'));
writeFileSync(path.join(root, 'notes.txt'), 'first line\nsecond line\n');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(auditDir, { recursive: true, force: true });
});

const text = (result: unknown): string => ((result as { content: Array<{ text?: string }> }).content[0]?.text ?? '');
const auditRecords = (file: string): Array<Record<string, unknown>> =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('filesystem server, enforce mode', () => {
  const audit = path.join(auditDir, 'enforce.jsonl');
  let direct: McpSession;
  let shim: McpSession;
  beforeAll(async () => {
    [direct, shim] = await Promise.all([
      connectDirect(process.execPath, [FILESYSTEM_SERVER, root]),
      connectThroughShim(['--policy', path.join(FIXTURE_POLICIES, 'filesystem-test.yaml'), '--audit', audit], process.execPath, [FILESYSTEM_SERVER, root]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([direct?.close(), shim?.close()]);
  });

  it('lists every tool but the hidden ones, definitions unchanged', async () => {
    const all = (await direct.client.listTools()).tools;
    const seen = (await shim.client.listTools()).tools;
    const hidden = ['write_file', 'edit_file', 'move_file', 'create_directory'];
    expect(all.map((t) => t.name)).toEqual(expect.arrayContaining(hidden));
    expect(seen).toEqual(all.filter((t) => !hidden.includes(t.name)));
  });

  it('passes an allowed call and gives the same answer as the server directly', async () => {
    const args = { name: 'read_text_file', arguments: { path: path.join(root, 'notes.txt'), head: 1 } };
    const viaShim = await shim.client.callTool(args);
    expect(viaShim).toEqual(await direct.client.callTool(args));
    expect(text(viaShim)).toBe('first line');
  });

  it('refuses a hidden tool exactly like a tool the server does not have', async () => {
    const hidden = await shim.client.callTool({ name: 'write_file', arguments: { path: path.join(root, 'x.txt'), content: 'x' } });
    const unknown = await direct.client.callTool({ name: 'no_such_tool', arguments: {} });
    expect(JSON.stringify(hidden).replace('write_file', 'NAME')).toBe(JSON.stringify(unknown).replace('no_such_tool', 'NAME'));
    expect(() => readFileSync(path.join(root, 'x.txt'))).toThrow();
  });

  it('refuses a blocked tool with the policy\'s reason', async () => {
    const result = await shim.client.callTool({ name: 'get_file_info', arguments: { path: path.join(root, 'notes.txt') } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(
      'Blocked by Vanguard policy (rule tools.actions:get_file_info): file metadata is not needed here; read the file instead. Do not retry this call unchanged.',
    );
  });

  it('leaves the client nothing to complain about', () => {
    expect(shim.errors).toEqual([]);
  });

  it('writes every call decision to the hash-chained audit file', async () => {
    // Records reach the file a few milliseconds after the decision.
    const calls = () => auditRecords(audit).filter((r) => r.verdict !== undefined && r.direction === 'client' && r.method === 'tools/call');
    for (let i = 0; i < 100 && calls().length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    const records = auditRecords(audit);
    expect(calls().map((r) => [r.tool, r.verdict])).toEqual([
      ['read_text_file', 'forward'],
      ['write_file', 'hide'],
      ['get_file_info', 'block'],
    ]);
    expect(records.every((r) => typeof r.hash === 'string' && typeof r.seq === 'number')).toBe(true);
  });
});

describe('filesystem server, monitor mode', () => {
  const audit = path.join(auditDir, 'monitor.jsonl');
  let shim: McpSession;
  beforeAll(async () => {
    shim = await connectThroughShim(['--policy', path.join(FIXTURE_POLICIES, 'filesystem-test.yaml'), '--mode', 'monitor', '--audit', audit], process.execPath, [FILESYSTEM_SERVER, root]);
  });
  afterAll(async () => {
    await shim?.close();
  });

  it('passes everything, including what enforce mode would refuse, and logs it', async () => {
    const names = (await shim.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('write_file');
    const target = path.join(root, 'monitored.txt');
    const write = await shim.client.callTool({ name: 'write_file', arguments: { path: target, content: 'written in monitor mode' } });
    expect(write.isError).toBeFalsy();
    expect(readFileSync(target, 'utf8')).toBe('written in monitor mode');
    const info = await shim.client.callTool({ name: 'get_file_info', arguments: { path: target } });
    expect(info.isError).toBeFalsy();
    await shim.close();
    const wouldBlock = auditRecords(audit).filter((r) => r.verdict === 'would-block');
    expect(wouldBlock.map((r) => r.tool ?? r.method)).toEqual(['tools/list', 'write_file', 'get_file_info']);
  });
});
