/**
 * Definitions that scanned clean, kept between starts, through the real CLI with the SDK's
 * real Client: the second start of a server answers tools/list and initialize exactly as the
 * first, the set holds the clean definitions' texts and never a poisoned one, and poisoned
 * definitions and instructions are caught at every start.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, initialize, onJsonLines, TINY_SERVER } from './harness.js';
import { connectThroughShim, EVERYTHING_SERVER } from './sdk-harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MALICIOUS = path.join(root, 'test', 'fixtures', 'servers', 'malicious-server.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-clean-definitions-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { VANGUARD_CACHE_DIR: path.join(dir, 'cache'), VANGUARD_NO_CACHE: '' };
const definitionsDir = path.join(dir, 'cache', 'definitions');

// The texts every set in the folder holds.
function keptTexts(): string[] {
  let names: string[];
  try {
    names = readdirSync(definitionsDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => (JSON.parse((JSON.parse(readFileSync(path.join(definitionsDir, name), 'utf8')) as { body: string }).body) as { texts: string[] }).texts);
}

// One session: what the client was told at initialize and by tools/list.
async function session(server: string): Promise<{ instructions: string | undefined; tools: unknown[] }> {
  const s = await connectThroughShim([], process.execPath, [server], { env });
  try {
    const instructions = s.client.getInstructions();
    const { tools } = await s.client.listTools();
    return { instructions, tools };
  } finally {
    await s.close();
  }
}

describe('definitions that scanned clean, at the next start', () => {
  it('a malicious server: the same tools shown, poisoned ones and its instructions caught every time, none of them kept', async () => {
    const first = await session(MALICIOUS);
    const shown = first.tools.map((t) => (t as { name: string }).name);
    expect(shown).toContain('get_status');
    expect(shown).not.toContain('fetch_weather');
    expect(shown).not.toContain('add');
    expect(first.instructions ?? '').not.toMatch(/ignore/i);
    await eventually(() => keptTexts().length > 0);
    const kept = keptTexts();
    expect(kept.some((t) => t.includes('"get_status"'))).toBe(true);
    for (const text of kept) expect(text).not.toMatch(/IMPORTANT|id_rsa|credentials|attacker|Ignore all previous/);

    expect(await session(MALICIOUS)).toEqual(first);
    expect(await session(MALICIOUS)).toEqual(first);
  }, 60_000);

  it('server-everything: instructions and tools as at the first start', async () => {
    const first = await session(EVERYTHING_SERVER);
    expect(first.instructions?.length).toBeGreaterThan(100);
    expect(first.tools.length).toBeGreaterThan(5);
    await eventually(() => keptTexts().some((t) => t.startsWith('{"instructions"')));
    expect(keptTexts().filter((t) => t.startsWith('{"instructions"'))).toHaveLength(1);
    expect(await session(EVERYTHING_SERVER)).toEqual(first);
  }, 60_000);

  it('packs damaged since (an install replaced under the user) are read, and fail closed, as without the set', async () => {
    // A copy of the built package and a cache of its own.
    const copy = mkdtempSync(path.join(tmpdir(), 'vanguard-clean-definitions-copy-'));
    try {
      for (const part of ['bin', 'dist', 'policies', 'package.json']) cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
      symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(copy, 'node_modules'));
      const cacheEnv = { VANGUARD_CACHE_DIR: path.join(copy, 'cache'), VANGUARD_NO_CACHE: '' };
      // The copy's own CLI: initialize, then tools/list; the names listed. It leaves when its input ends.
      const listed = (): Promise<string[]> =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [path.join(copy, 'bin', 'vanguard.js'), 'start', '--', process.execPath, TINY_SERVER], { env: { ...process.env, ...cacheEnv }, stdio: ['pipe', 'pipe', 'ignore'] });
          let names: string[] | undefined;
          onJsonLines(child.stdout, (value) => {
            const message = value as { id?: number; result?: { tools?: Array<{ name: string }> } };
            if (message.id === 0) child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })}\n`);
            if (message.id === 1) {
              names = (message.result?.tools ?? []).map((t) => t.name);
              child.stdin.end();
            }
          });
          child.on('error', reject);
          child.on('close', () => (names === undefined ? reject(new Error('no tools/list answer')) : resolve(names)));
          child.stdin.write(`${JSON.stringify(initialize(0))}\n`);
        });
      const names = await listed();
      expect(names).toContain('echo');
      // The start that listed them kept them (written as it left).
      const kept = readdirSync(path.join(copy, 'cache', 'definitions')).filter((f) => f.endsWith('.json'));
      expect(kept).toHaveLength(1);
      writeFileSync(path.join(copy, 'dist', 'rules', 'packs.json'), '{"rules": [');
      expect(await listed()).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
