/**
 * Paths as the kernel resolves them, end to end: the real CLI in front of the official
 * filesystem server, a real symlink inside the allowed root that points outside it, then
 * `..`. The kernel follows the link before applying `..`; the shim must refuse the call.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectThroughShim, FILESYSTEM_SERVER, type McpSession } from './sdk-harness.js';

const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'vanguard-fs-links-')));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
mkdirSync(path.join(root, 'sub'), { recursive: true });
mkdirSync(path.join(outside, 'deep'), { recursive: true });
writeFileSync(path.join(root, 'notes.txt'), 'inside\n');
writeFileSync(path.join(outside, 'secret.txt'), 'outside\n');
// Inside the root, pointing out of it; and one that stays inside.
symlinkSync(path.join(outside, 'deep'), path.join(root, 'escape'));
symlinkSync('sub', path.join(root, 'inside'));
const policy = path.join(base, 'policy.yaml');
writeFileSync(policy, `extends: filesystem-readonly\npaths:\n  roots: [${JSON.stringify(root)}]\n`);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const text = (result: unknown): string => ((result as { content: Array<{ text?: string }> }).content[0]?.text ?? '');

describe('a symlink inside the root, followed by ".."', () => {
  let shim: McpSession;
  beforeAll(async () => {
    // Started in the folder outside the root: relative paths are judged from there too.
    shim = await connectThroughShim(['--policy', policy], process.execPath, [FILESYSTEM_SERVER, root], { cwd: outside });
  });
  afterAll(async () => {
    await shim?.close();
  });

  it('is refused: the kernel reads escape/.. as the folder outside the root', async () => {
    // Written out by hand: path.join would apply the `..` lexically, as the old check did.
    for (const target of [`${root}/escape/../secret.txt`, `${root}/escape/../deep/../secret.txt`, `${root}/sub/../escape/../secret.txt`]) {
      const result = await shim.client.callTool({ name: 'read_text_file', arguments: { path: target } });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('Blocked by Vanguard');
      expect(text(result)).toContain('path.outside-root');
      expect(text(result)).not.toContain('outside\n');
    }
  });

  it('a symlink that stays inside the root, then "..", still reads the file', async () => {
    const result = await shim.client.callTool({ name: 'read_text_file', arguments: { path: `${root}/inside/../notes.txt` } });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe('inside\n');
  });

  it('a relative path is judged from the folder the server was started in', async () => {
    const result = await shim.client.callTool({ name: 'read_text_file', arguments: { path: 'secret.txt' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Blocked by Vanguard');
  });

  it('leaves the client nothing to complain about', () => {
    expect(shim.errors).toEqual([]);
  });
});
