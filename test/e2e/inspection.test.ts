/**
 * Argument inspection end to end: the official filesystem server rooted at a temporary
 * folder, behind the real CLI with that folder as the policy's only root, driven by the
 * SDK's Client. Refusals must come from Vanguard, before the server sees the call.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_POLICIES } from './harness.js';
import { connectThroughShim, FILESYSTEM_SERVER, type McpSession } from './sdk-harness.js';

const base = mkdtempSync(path.join(tmpdir(), 'vanguard-inspect-'));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
mkdirSync(root);
mkdirSync(outside);
writeFileSync(path.join(root, 'notes.txt'), 'inside the root\n');
writeFileSync(path.join(outside, 'secret.txt'), 'outside the root\n');
symlinkSync(outside, path.join(root, 'escape'));

const text = (result: unknown): string => ((result as { content: Array<{ text?: string }> }).content[0]?.text ?? '');
const refusedByVanguard = (result: unknown): boolean => (result as { isError?: boolean }).isError === true && text(result).startsWith('Blocked by Vanguard policy');

let shim: McpSession;
beforeAll(async () => {
  shim = await connectThroughShim(['--policy', path.join(FIXTURE_POLICIES, 'filesystem-roots.yaml')], process.execPath, [FILESYSTEM_SERVER, root], {
    env: { VANGUARD_TEST_ROOT: root },
  });
});
afterAll(async () => {
  await shim?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('inspection of filesystem calls', () => {
  it('passes an ordinary read and an ordinary write inside the root', async () => {
    const read = await shim.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'notes.txt') } });
    expect(text(read)).toBe('inside the root\n');
    const write = await shim.client.callTool({ name: 'write_file', arguments: { path: path.join(root, 'new.txt'), content: 'written' } });
    expect(write.isError).toBeFalsy();
    expect(readFileSync(path.join(root, 'new.txt'), 'utf8')).toBe('written');
  });

  it.each([
    ['a traversal out of the root', () => path.join(root, '..', 'outside', 'secret.txt')],
    ['a traversal spelt with percent-encoding', () => `${root}/%2e%2e/outside/secret.txt`],
    ['an absolute path outside the root', () => '/etc/passwd'],
    ['a symlink inside the root that points outside', () => path.join(root, 'escape', 'secret.txt')],
  ])('refuses %s', async (_, target) => {
    const result = await shim.client.callTool({ name: 'read_text_file', arguments: { path: target() } });
    expect(refusedByVanguard(result)).toBe(true);
    expect(text(result)).toMatch(/rule path\./);
  });

  it('refuses arguments that do not match the schema the server announced', async () => {
    await shim.client.listTools();
    const result = await shim.client.callTool({ name: 'read_text_file', arguments: { path: 42 } });
    expect(refusedByVanguard(result)).toBe(true);
    expect(text(result)).toContain('(rule schema.arguments): argument path must be string');
  });

  it('refuses read_multiple_files when one of its paths is outside the root', async () => {
    const result = await shim.client.callTool({ name: 'read_multiple_files', arguments: { paths: [path.join(root, 'notes.txt'), path.join(outside, 'secret.txt')] } });
    expect(refusedByVanguard(result)).toBe(true);
    expect(text(result)).toContain('paths[1]');
  });

  it('refuses a write whose target does not exist yet but whose folder is outside the root', async () => {
    const result = await shim.client.callTool({ name: 'write_file', arguments: { path: path.join(root, 'escape', 'planted.txt'), content: 'x' } });
    expect(refusedByVanguard(result)).toBe(true);
    expect(() => readFileSync(path.join(outside, 'planted.txt'))).toThrow();
  });
});
