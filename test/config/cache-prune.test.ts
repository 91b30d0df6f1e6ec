/**
 * The cache folders are kept to their newest entries: every upgrade, Node version and install
 * path wrote a new compiled-code entry (about 0.7 MB) and nothing removed the old ones.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneCacheFolder, writePrivateFile } from '../../src/config/cache-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'vanguard-prune-'));
  dirs.push(root);
  const dir = path.join(root, 'code');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

// A name as the caches make one: a digest in hex (here, `n` written in 40 hex digits).
const hex = (n: number): string => n.toString(16).padStart(40, '0');

// An entry written `ageS` seconds before `now`.
function entry(dir: string, name: string, ageS: number, now: number): string {
  const file = path.join(dir, name);
  expect(writePrivateFile(file, name)).toBe(true);
  const t = (now - ageS * 1000) / 1000;
  utimesSync(file, t, t);
  return file;
}

describe('pruneCacheFolder', () => {
  it('keeps the newest entries and removes the older ones', () => {
    const dir = folder();
    const now = Date.now();
    for (let i = 0; i < 12; i++) entry(dir, `${hex(i)}.bin`, i * 10, now);
    expect(pruneCacheFolder(dir, '.bin', 8, now)).toBe(4);
    expect(readdirSync(dir).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `${hex(i)}.bin`));
    // At or under the bound, nothing goes.
    expect(pruneCacheFolder(dir, '.bin', 8, now)).toBe(0);
    expect(readdirSync(dir)).toHaveLength(8);
  });

  it('counts only its own kind of entry, and removes temporary files only when a dead writer left them long ago', () => {
    const dir = folder();
    const now = Date.now();
    const [a, b, keep] = [hex(0xa), hex(0xb), hex(0xc)];
    entry(dir, `${a}.bin`, 5, now);
    entry(dir, `${b}.bin`, 1, now);
    entry(dir, `${keep}.json`, 100, now);
    entry(dir, `${a}.bin.123.0123456789ab.tmp`, 60, now);
    entry(dir, `${a}.bin.456.ba9876543210.tmp`, 2 * 3600, now);
    expect(pruneCacheFolder(dir, '.bin', 1, now)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([`${a}.bin.123.0123456789ab.tmp`, `${b}.bin`, `${keep}.json`]);
  });

  it('does not follow or remove what is not a plain file, and leaves a folder others can write alone', () => {
    const dir = folder();
    const now = Date.now();
    const outside = mkdtempSync(path.join(tmpdir(), 'vanguard-prune-outside-'));
    dirs.push(outside);
    writeFileSync(path.join(outside, 'victim.bin'), 'x');
    symlinkSync(path.join(outside, 'victim.bin'), path.join(dir, `${hex(1)}.bin`));
    mkdirSync(path.join(dir, `${hex(2)}.bin`));
    entry(dir, `${hex(3)}.bin`, 1, now);
    expect(pruneCacheFolder(dir, '.bin', 0, now)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`${hex(1)}.bin`, `${hex(2)}.bin`]);
    expect(readdirSync(outside)).toEqual(['victim.bin']);

    if (process.platform !== 'win32') {
      const open = folder();
      entry(open, `${hex(4)}.bin`, 1, now);
      // A folder anyone may write into is not ours to tidy.
      chmodSync(open, 0o777);
      expect(pruneCacheFolder(open, '.bin', 0, now)).toBe(0);
      expect(readdirSync(open)).toEqual([`${hex(4)}.bin`]);
    }
  });

  it('removes only files named as the caches name them, not a user\'s files in the same folder', () => {
    // VANGUARD_CACHE_DIR=~/vanguard, where ~/vanguard/policies already held the user's own
    // policies: the policy cache prunes <dir>/policies/*.json. At 185b1ab every *.json past
    // the 64 newest, and every *.tmp over an hour old, was removed, whoever had written it.
    const dir = folder();
    const now = Date.now();
    entry(dir, `${hex(1)}.json`, 1, now);
    entry(dir, `${hex(2)}.json`, 10, now);
    entry(dir, 'filesystem-readonly.json', 3600, now);
    entry(dir, 'team policy.json', 7200, now);
    entry(dir, 'notes.json.tmp', 3 * 3600, now);
    entry(dir, `${hex(3)}.json.99.0123456789ab.tmp`, 3 * 3600, now);
    expect(pruneCacheFolder(dir, '.json', 1, now)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([`${hex(1)}.json`, 'filesystem-readonly.json', 'notes.json.tmp', 'team policy.json']);
  });

  it('is a no-op on a folder that does not exist', () => {
    expect(pruneCacheFolder(path.join(tmpdir(), 'vanguard-prune-missing', 'code'), '.bin', 0)).toBe(0);
  });
});
