/**
 * The per-user policy cache: an entry stands in for loading only while everything loading
 * read is unchanged, and anything doubtful about an entry (corrupt, foreign, loosely
 * permitted, a symlink, another build) makes it a miss, never an error.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPolicy } from '../../src/config/load.js';
import { loadAndCachePolicy, policyCacheDir, readCachedPolicy, type PolicyCacheOptions, type PolicyLoader } from '../../src/config/policy-cache.js';
import { diskIO } from './helpers.js';

let temp: string;
let options: PolicyCacheOptions;
let policyFile: string;
beforeEach(() => {
  temp = mkdtempSync(path.join(tmpdir(), 'vanguard-policy-cache-'));
  options = { dir: path.join(temp, 'cache', 'policies'), build: '0.1.0+test', cwd: temp };
  policyFile = path.join(temp, 'policy.yaml');
  writeFileSync(policyFile, 'extends: default\ntools:\n  deny: ["${DENIED:-delete_*}"]\n');
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

const POSIX = process.platform !== 'win32';
const entries = (): string[] => readdirSync(options.dir).filter((f) => f.endsWith('.json'));
const entryPath = (): string => path.join(options.dir, entries()[0]!);

// Load through the cache as the CLI does: an entry if valid, else load (counted) and store.
function throughCache(io = diskIO(), opts = options): { loaded: ReturnType<typeof readCachedPolicy>; loads: number } {
  const hit = readCachedPolicy(policyFile, io, opts);
  if (hit) return { loaded: hit, loads: 0 };
  const spy = vi.fn<PolicyLoader>(loadPolicy);
  const result = loadAndCachePolicy(policyFile, io, opts, spy);
  return { loaded: result.loaded, loads: spy.mock.calls.length };
}

describe('the policy cache', () => {
  it('loads once, then gives back the same effective policy, sources and warnings', () => {
    writeFileSync(policyFile, '# nothing yet\n');
    const first = throughCache();
    expect(first.loads).toBe(1);
    const direct = loadPolicy(policyFile, diskIO());
    expect(first.loaded).toEqual({ effective: direct.effective, sources: direct.compiled!.sources, warnings: direct.warnings });
    const second = throughCache();
    expect(second.loads).toBe(0);
    expect(second.loaded).toEqual(first.loaded);
    expect(second.loaded!.warnings.length).toBeGreaterThan(0);
  });

  it('keeps the folder to its 64 newest entries when it writes one', () => {
    const old = Date.now() / 1000 - 3600;
    // One entry per policy file: seventy servers' policies.
    for (let i = 0; i < 70; i++) {
      policyFile = path.join(temp, `policy-${i}.yaml`);
      writeFileSync(policyFile, `# policy ${i}\n`);
      throughCache();
      for (const f of entries()) utimesSync(path.join(options.dir, f), old, old);
    }
    expect(entries()).toHaveLength(64);
    policyFile = path.join(temp, 'policy-newest.yaml');
    writeFileSync(policyFile, '# the newest\n');
    expect(throughCache().loads).toBe(1);
    expect(entries()).toHaveLength(64);
    expect(throughCache().loads).toBe(0);
  });

  it('writes the entry 0600 in a 0700 folder', () => {
    throughCache();
    if (!POSIX) return;
    expect(readdirSync(options.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(statMode(entryPath())).toBe(0o600);
    expect(statMode(options.dir)).toBe(0o700);
  });

  it('misses when the policy file changes, or a file it extends', () => {
    throughCache();
    writeFileSync(policyFile, 'extends: strict\n');
    const changed = throughCache();
    expect(changed.loads).toBe(1);
    expect(changed.loaded!.effective).toEqual(loadPolicy(policyFile, diskIO()).effective);
    const base = path.join(temp, 'base.yaml');
    writeFileSync(base, 'mode: monitor\n');
    writeFileSync(policyFile, 'extends: ./base.yaml\n');
    expect(throughCache().loads).toBe(1);
    expect(throughCache().loads).toBe(0);
    writeFileSync(base, 'mode: enforce\n');
    const after = throughCache();
    expect(after.loads).toBe(1);
    expect(after.loaded!.effective.mode).toBe('enforce');
  });

  it('misses when a variable the policy used changes, not when another does', () => {
    expect(throughCache(diskIO({ HOME: '/home/t' })).loads).toBe(1);
    expect(throughCache(diskIO({ HOME: '/home/t', UNRELATED: 'x' })).loads).toBe(0);
    const denied = throughCache(diskIO({ HOME: '/home/t', DENIED: 'rm_*' }));
    expect(denied.loads).toBe(1);
    expect(denied.loaded!.effective.tools?.deny).toContain('rm_*');
  });

  it('misses when a file that could not be read appears (a preset name shadowed by a file)', () => {
    const cwdOptions = { ...options, cwd: temp };
    const io = diskIO();
    const relative = 'strict';
    const viaCache = (): number => {
      const hit = readCachedPolicy(relative, io, cwdOptions);
      if (hit) return 0;
      const spy = vi.fn<PolicyLoader>(loadPolicy);
      loadAndCachePolicy(relative, io, cwdOptions, spy);
      return spy.mock.calls.length;
    };
    const cwd = process.cwd();
    process.chdir(temp);
    try {
      expect(viaCache()).toBe(1);
      expect(viaCache()).toBe(0);
      writeFileSync(path.join(temp, 'strict'), 'mode: monitor\n');
      expect(viaCache()).toBe(1);
    } finally {
      process.chdir(cwd);
    }
  });

  it('misses for another build, another working folder, another --policy value', () => {
    throughCache();
    expect(throughCache(diskIO(), { ...options, build: '0.1.1+other' }).loads).toBe(1);
    expect(throughCache(diskIO(), { ...options, cwd: path.join(temp, 'elsewhere') }).loads).toBe(1);
    expect(readCachedPolicy(undefined, diskIO(), options)).toBeUndefined();
  });

  it('ignores a corrupt entry: a changed byte, a truncation, another key, not JSON', () => {
    throughCache();
    const file = entryPath();
    const good = readFileSync(file, 'utf8');
    const tampered = [
      good.replace('delete_*', 'delete_?'),
      good.slice(0, good.length - 10),
      good.replace('"key":"{', '"key":"{ '),
      'not json',
      JSON.stringify({ ...JSON.parse(good), body: JSON.stringify({ inputs: { files: [], env: [] }, loaded: { effective: {}, sources: [], warnings: [] } }) }),
    ];
    for (const text of tampered) {
      writeFileSync(file, text, { mode: 0o600 });
      expect(throughCache().loads).toBe(1);
      expect(readFileSync(file, 'utf8')).toBe(good);
    }
  });

  it.skipIf(!POSIX)('ignores an entry others may read or write, a folder others may write, and a symlink', () => {
    throughCache();
    const file = entryPath();
    chmodSync(file, 0o644);
    expect(throughCache().loads).toBe(1);
    expect(statMode(entryPath())).toBe(0o600);
    chmodSync(options.dir, 0o777);
    expect(readCachedPolicy(policyFile, diskIO(), options)).toBeUndefined();
    chmodSync(options.dir, 0o700);
    expect(throughCache().loads).toBe(0);
    // A symlink in place of the entry is not followed, even to a valid entry.
    const elsewhere = path.join(temp, 'elsewhere.json');
    writeFileSync(elsewhere, readFileSync(file), { mode: 0o600 });
    rmSync(file);
    symlinkSync(elsewhere, file);
    expect(readCachedPolicy(policyFile, diskIO(), options)).toBeUndefined();
  });

  it('keeps nothing for a policy with errors, and never fails when the folder cannot be made', () => {
    writeFileSync(policyFile, 'mode: sometimes\n');
    const io = diskIO();
    const result = loadAndCachePolicy(policyFile, io, options, loadPolicy);
    expect(result.loaded).toBeUndefined();
    expect(result.errors.length).toBeGreaterThan(0);
    expect(readCachedPolicy(policyFile, io, options)).toBeUndefined();
    writeFileSync(policyFile, 'mode: monitor\n');
    const blocked = path.join(temp, 'a-file');
    writeFileSync(blocked, '');
    const noFolder = { ...options, dir: path.join(blocked, 'policies') };
    expect(loadAndCachePolicy(policyFile, io, noFolder, loadPolicy).loaded?.effective.mode).toBe('monitor');
    expect(readCachedPolicy(policyFile, io, noFolder)).toBeUndefined();
  });

  it('keeps nothing JSON would not give back unchanged', () => {
    const io = diskIO();
    const odd: PolicyLoader = (file, i) => {
      const result = loadPolicy(file, i);
      return { ...result, effective: { ...result.effective!, mode: undefined } };
    };
    expect(loadAndCachePolicy(policyFile, io, options, odd).loaded).toBeDefined();
    expect(readCachedPolicy(policyFile, io, options)).toBeUndefined();
  });

  it('lives in a per-user folder, can be moved or turned off', () => {
    expect(policyCacheDir({ VANGUARD_CACHE_DIR: '/x/c' }, 'linux')).toBe(path.join(path.resolve('/x/c'), 'policies'));
    expect(policyCacheDir({ VANGUARD_NO_CACHE: '1', VANGUARD_CACHE_DIR: '/x/c' }, 'linux')).toBeUndefined();
    expect(policyCacheDir({ XDG_CACHE_HOME: '/x/xdg' }, 'linux')).toBe(path.join('/x/xdg', 'vanguard', 'policies'));
    expect(policyCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux')).toMatch(/\.cache[\\/]vanguard[\\/]policies$/);
    expect(policyCacheDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32')).toMatch(/vanguard[\\/]cache[\\/]policies$/);
  });
});

function statMode(file: string): number {
  return statSync(file).mode & 0o777;
}
