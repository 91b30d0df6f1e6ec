/**
 * The start path's two bundles as the build wrote them (scripts/bundle-start.mjs): what a start
 * runs up to the server's spawn, and what it loads after. Every module is in one of them only,
 * so both share one copy of it (one class for `instanceof`, one module state); every module one
 * asks the other for is in the other's table, and loads through the links as start-loader.ts
 * makes them; and nothing before the spawn reaches into the second bundle until asked.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BUNDLE_WRAPPER_OPEN, isWrappedBundle } from '../../src/cli/bundle-wrapper.js';
import { linkStartBundles, sameBuild } from '../../src/cli/start-loader.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist', 'cli');
const first = path.join(cli, 'start.bundle.cjs');
const second = path.join(cli, 'after-spawn.bundle.cjs');
const text = (file: string): string => readFileSync(file, 'latin1');

// The modules a bundle holds: esbuild heads each with a comment naming its file (relative to
// the package, wherever node_modules is); the link's stand-ins are named `vanguard-…:<id>`.
const modulesIn = (file: string): string[] =>
  [...text(file).matchAll(/^\/\/ (\S+\.(?:js|cjs|mjs|json))$/gm)].map((m) => m[1]!).filter((name) => !name.startsWith('vanguard-'));
// The ids a bundle asks the other one for.
const asked = (file: string, link: 'Before' | 'After'): string[] => [...new Set([...text(file).matchAll(new RegExp(`__vanguard${link}Spawn\\("([^"]+)"\\)`, 'g'))].map((m) => m[1]!))];

describe('the two start bundles', () => {
  it('are written inside the loader\'s wrapper, after their build line', () => {
    for (const file of [first, second]) {
      const lines = text(file).split('\n', 2);
      expect(lines[0]).toMatch(/^\/\/ vanguard build \S+$/);
      expect(lines[1]!.startsWith(BUNDLE_WRAPPER_OPEN)).toBe(true);
      expect(isWrappedBundle(text(file))).toBe(true);
    }
  });

  it('hold each module once', () => {
    const before = modulesIn(first);
    const after = modulesIn(second);
    // The start path is more than a handful of modules on each side (a sanity check of the reading above).
    expect(before.length).toBeGreaterThan(40);
    expect(after.length).toBeGreaterThan(40);
    expect(before).toContain('dist/errors.js');
    expect(after).toContain('dist/proxy/proxy.js');
    // Packages too (the first spawns with cross-spawn; the second holds pino).
    expect(before.some((m) => m.includes('node_modules/cross-spawn/'))).toBe(true);
    expect(after.some((m) => m.includes('node_modules/pino/'))).toBe(true);
    expect(before.filter((m) => after.includes(m))).toEqual([]);
  });

  it('link every module one asks the other for, to the one copy', () => {
    const { exports, compiled, links } = linkStartBundles({ file: first, bytes: readFileSync(first) }, second, undefined);
    const beforeTable = Object.keys(exports.beforeSpawnModules as object);
    const askedOfFirst = asked(second, 'Before');
    const askedOfSecond = asked(first, 'After');
    expect(askedOfFirst).toContain('dist/errors.js');
    expect(askedOfSecond).toContain('proxy/proxy.js');
    for (const id of askedOfFirst) expect(beforeTable).toContain(id);
    // Running the first bundle compiles nothing of the second.
    expect(compiled).toHaveLength(1);
    const proxy = links.afterSpawn('proxy/proxy.js') as { runProxy?: unknown };
    expect(typeof proxy.runProxy).toBe('function');
    expect(compiled).toHaveLength(2);
    // (A package's exports may be a function, as pino's are.)
    for (const id of askedOfSecond) expect(['object', 'function']).toContain(typeof links.afterSpawn(id));
    // The same module object each time it is asked for, from either side.
    const errors = links.beforeSpawn('dist/errors.js') as { VanguardError: unknown };
    expect((links.beforeSpawn('dist/errors.js') as { VanguardError: unknown }).VanguardError).toBe(errors.VanguardError);
    expect(() => links.afterSpawn('no/such.js')).toThrow(/after-spawn\.bundle\.cjs has no module no\/such\.js/);
    expect(() => links.beforeSpawn('__proto__')).toThrow(/has no module/);
  });

  it('keep no hold of the first bundle bytes once it is compiled (they would stay in memory for the whole session)', async () => {
    // A collection on demand, for this test alone.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    let bytes: Buffer | undefined = readFileSync(first);
    const held = new WeakRef(bytes);
    const { links } = linkStartBundles({ file: first, bytes }, second, undefined);
    bytes = undefined;
    // (A turn of the event loop: a WeakRef's target is kept until the end of the job that made it.)
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(held.deref()).toBeUndefined();
    // The links are still in use, and still name the first bundle in their errors.
    expect(() => links.beforeSpawn('no/such.js')).toThrow(/start\.bundle\.cjs has no module no\/such\.js/);
  });

  it('refuse a second bundle from another build (an install half done), before any of its modules is used', () => {
    const temp = mkdtempSync(path.join(os.tmpdir(), 'vanguard-bundles-'));
    try {
      const bytes = readFileSync(second, 'latin1');
      const build = /\nvar build = "([^"]+)";/.exec(bytes)?.[1];
      expect(build).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{32}$/);
      const other = path.join(temp, 'after-spawn.bundle.cjs');
      writeFileSync(other, bytes.replace(`var build = "${build}";`, `var build = "${build!.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'))}";`), 'latin1');
      const { links } = linkStartBundles({ file: first, bytes: readFileSync(first) }, other, undefined);
      expect(() => links.afterSpawn('proxy/proxy.js')).toThrow(/from another build than start\.bundle\.cjs/);
      // The same bundle with its own build is taken.
      const { links: good } = linkStartBundles({ file: first, bytes: readFileSync(first) }, second, undefined);
      expect(good.afterSpawn('proxy/proxy.js')).toBeTypeOf('object');
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it('begin with the same build line, which sameBuild compares', () => {
    const bytes = readFileSync(first);
    expect(bytes.subarray(0, bytes.indexOf(10)).toString('latin1')).toMatch(/^\/\/ vanguard build \d+\.\d+\.\d+\+[0-9a-f]{32}$/);
    expect(sameBuild(bytes, second)).toBe(true);
    const temp = mkdtempSync(path.join(os.tmpdir(), 'vanguard-bundles-'));
    try {
      const other = path.join(temp, 'after-spawn.bundle.cjs');
      const line = bytes.subarray(0, bytes.indexOf(10) + 1).toString('latin1');
      for (const [head, same] of [
        [line, true],
        [line.replace(/[0-9a-f]\n$/, (c) => (c[0] === '0' ? '1\n' : '0\n')), false],
        [line.slice(0, -5), false],
        ['', false],
        [`${line.slice(0, -1)}0\n`, false],
      ] as const) {
        writeFileSync(other, `${head}rest of a bundle\n`);
        expect(sameBuild(bytes, other), JSON.stringify(head)).toBe(same);
      }
      expect(sameBuild(bytes, path.join(temp, 'missing.cjs'))).toBe(false);
      expect(sameBuild(Buffer.from('const x = 1;\n'), other)).toBe(false);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  // The real CLI of a copy of the package whose second bundle is not the first's: the start
  // stops with one line before the server is spawned (the server would leave a file behind).
  it('stop a start before the spawn when the second bundle is from another build, and after it (server stopped) when it cannot run', () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'vanguard-bundles-copy-'));
    try {
      for (const part of ['bin', 'dist', 'policies', 'package.json']) cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
      symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(copy, 'node_modules'));
      const copySecond = path.join(copy, 'dist', 'cli', 'after-spawn.bundle.cjs');
      const good = readFileSync(copySecond, 'latin1');
      const marker = path.join(copy, 'server-ran');
      const server = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'); process.stdin.resume();`;
      const start = (extraEnv: Record<string, string> = {}): ReturnType<typeof spawnSync> =>
        spawnSync(process.execPath, [path.join(copy, 'bin', 'vanguard.js'), 'start', '--', process.execPath, '-e', server], {
          input: `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
          env: { ...process.env, VANGUARD_CACHE_DIR: path.join(copy, 'cache'), VANGUARD_NO_CACHE: '', ...extraEnv },
          encoding: 'utf8',
          timeout: 20_000,
        });

      // Another build's: refused before the spawn.
      // (The build line's last digit changed, whatever it was: a build whose hash ended in 0 once left it as it was.)
      const otherBuild = good.replace(/^(\/\/ vanguard build [^\n]*)([0-9a-f])\n/, (_, head: string, last: string) => `${head}${last === '0' ? '1' : '0'}\n`);
      expect(otherBuild.split('\n', 1)[0]).not.toBe(good.split('\n', 1)[0]);
      writeFileSync(copySecond, otherBuild, 'latin1');
      const mixed = start();
      expect(mixed.status).toBe(1);
      expect(mixed.stderr).toContain('after-spawn.bundle.cjs is from another build than start.bundle.cjs');
      expect(mixed.stdout).toBe('');
      expect(existsSync(marker)).toBe(false);

      // A good start: the policy cache then holds the policy, and the second bundle is needed only after the spawn.
      writeFileSync(copySecond, good, 'latin1');
      expect(start().stdout).toContain('"id":1');
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);

      // Its own build line on a damaged body: the server was spawned, then stopped; one clear line.
      writeFileSync(copySecond, good.slice(0, 300_000), 'latin1');
      const broken = start();
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(/after-spawn\.bundle\.cjs cannot be run \(.+\); reinstall Vanguard/);
      expect(broken.stdout).toBe('');
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);

      // Without the policy cache, the policy's loader (in the second bundle) is needed before
      // the spawn: the same line, and no server started.
      const uncached = start({ VANGUARD_NO_CACHE: '1' });
      expect(uncached.status).toBe(1);
      expect(uncached.stderr).toMatch(/after-spawn\.bundle\.cjs cannot be run \(.+\); reinstall Vanguard/);
      expect(existsSync(marker)).toBe(false);

      // A first bundle with its build line whose function exports nothing (as one wrapped a
      // second time by a loader of another build would run): one clear line, no server started.
      writeFileSync(copySecond, good, 'latin1');
      const copyFirst = path.join(copy, 'dist', 'cli', 'start.bundle.cjs');
      const goodFirst = readFileSync(copyFirst, 'latin1');
      writeFileSync(copyFirst, `${goodFirst.split('\n', 1)[0]}\n${BUNDLE_WRAPPER_OPEN}\n})\n`, 'latin1');
      const empty = start();
      expect(empty.status).toBe(1);
      expect(empty.stderr).toContain('start.bundle.cjs has no start to run (damaged, or from another build than the loader); reinstall Vanguard');
      expect(empty.stdout).toBe('');
      expect(existsSync(marker)).toBe(false);

      // The good ones again: the session answers.
      writeFileSync(copyFirst, goodFirst, 'latin1');
      const fine = start();
      expect(fine.stdout).toContain('"id":1');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
