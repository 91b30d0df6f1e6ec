/**
 * The start bundles' code cache through the real CLI: the first start writes one private
 * entry for each of the two bundles (what runs before the server's spawn, and after), and a
 * tampered entry is never run: the next start still answers and enforces as the bundles say,
 * and writes a good entry over it. (What makes an entry a miss, unit by unit:
 * test/cli/start-loader.test.ts.)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, eventually, initialize, startCli, TINY_SERVER } from './harness.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vanguard-code-cache-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const codeDir = path.join(dir, 'cache', 'code');
const policy = path.join(dir, 'policy.yaml');
const env = { VANGUARD_CACHE_DIR: path.join(dir, 'cache'), VANGUARD_NO_CACHE: '' };
const entries = (): string[] => {
  try {
    return readdirSync(codeDir).filter((f) => f.endsWith('.bin'));
  } catch {
    return [];
  }
};

// One session: initialize, an allowed echo and a denied tool; what came back.
async function session(): Promise<{ init: unknown; echo: unknown; denied: unknown }> {
  const s = startCli(['start', '--policy', policy, '--', process.execPath, TINY_SERVER], env);
  s.send(initialize(0));
  const init = await s.next(byId(0));
  s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
  const echo = await s.next(byId(1));
  s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'secret_tool', arguments: {} } });
  const denied = await s.next(byId(2));
  // The entries are written once the start is under way, off its path: wait for them before leaving.
  await eventually(() => entries().length === 2);
  await s.close();
  return { init, echo, denied };
}

// The entry's compiled code agrees with the CRC-32 its header holds.
function intact(file: string): boolean {
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as { digest: string };
  return header.digest === crc32(bytes.subarray(newline + 1)).toString(16).padStart(8, '0');
}

// The bundle an entry was compiled from, as its header names it.
const bundleOf = (file: string): string => {
  const bytes = readFileSync(path.join(codeDir, file));
  const { key } = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString('utf8')) as { key: string };
  return path.basename((JSON.parse(key) as { file: string }).file);
};

describe('the start bundle code cache', () => {
  for (const tamper of ['start.bundle.cjs', 'after-spawn.bundle.cjs']) {
    it(`writes one private entry a bundle; a tampered one (${tamper}'s) is not run, and is replaced`, async () => {
      rmSync(codeDir, { recursive: true, force: true });
      writeFileSync(policy, 'tools:\n  deny: [secret_tool]\n');
      const first = await session();
      expect(first.echo).toMatchObject({ id: 1, result: { content: [{ type: 'text', text: '{"text":"hi"}' }] } });
      expect(JSON.stringify(first.denied)).toContain('"isError":true');
      expect(entries().map(bundleOf).sort()).toEqual(['after-spawn.bundle.cjs', 'start.bundle.cjs']);
      for (const entry of entries()) {
        if (process.platform !== 'win32') expect(statSync(path.join(codeDir, entry)).mode & 0o777).toBe(0o600);
        expect(intact(path.join(codeDir, entry))).toBe(true);
      }
      const file = path.join(codeDir, entries().find((entry) => bundleOf(entry) === tamper)!);

      // Every 97th byte of the compiled code changed; the header left as it was.
      const tampered = readFileSync(file);
      for (let i = tampered.indexOf(10) + 1; i < tampered.length; i += 97) tampered[i] ^= 0xa5;
      writeFileSync(file, tampered);
      expect(intact(file)).toBe(false);

      const after = await session();
      expect(after).toEqual(first);
      await eventually(() => intact(file));
      expect(intact(file)).toBe(true);
      expect(entries()).toHaveLength(2);
      // And the next start, from the good entries, still does the same.
      expect(await session()).toEqual(first);
    }, 90_000);
  }

  it('is taken by the next start as written, not refused by V8 and written again', async () => {
    rmSync(codeDir, { recursive: true, force: true });
    writeFileSync(policy, 'tools:\n  deny: [secret_tool]\n');
    await session();
    expect(entries()).toHaveLength(2);
    // Written again, an entry would be a new file (a private temporary file renamed over it).
    const written = new Map(entries().map((entry) => [entry, statSync(path.join(codeDir, entry)).ino]));
    for (let i = 0; i < 2; i++) {
      await session();
      // Had V8 refused one, the start would write it again a turn after its first answer.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(new Map(entries().map((entry) => [entry, statSync(path.join(codeDir, entry)).ino]))).toEqual(written);
    }
  }, 90_000);
});
