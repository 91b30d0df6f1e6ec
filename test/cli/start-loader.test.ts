/**
 * The start bundle's compiled-code cache: an entry is used only for the bundle bytes it was
 * made from and only while intact and private; anything else is a miss that compiles from the
 * source, runs the right code and writes a good entry. V8 alone would not do this: it checks a
 * cached script against the source's length only, and runs the old code for a same-length edit.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_WRAPPER_CLOSE, BUNDLE_WRAPPER_OPEN, isWrappedBundle, wrappedBundle } from '../../src/cli/bundle-wrapper.js';
import { codeCacheEntry, compileBundle, decodeCodeCache, encodeCodeCache, runBundle } from '../../src/cli/start-loader.js';

let temp: string;
let dir: string;
beforeEach(() => {
  temp = mkdtempSync(path.join(tmpdir(), 'vanguard-code-cache-'));
  dir = path.join(temp, 'cache', 'code');
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

const POSIX = process.platform !== 'win32';
// Two bundles of the same length that say different things; enough functions to make real code.
const bundle = (value: number): Buffer => Buffer.from(`function pick() { return ${value}; }\nexports.value = () => pick();\nexports.twice = (x) => [x, x];\n`);

// V8 keeps the scripts compiled in a process by source and name, and would hand back its own
// copy (ignoring the cached code given) where a new process, as each start is, has none.
v8.setFlagsFromString('--no-compilation-cache');
const bundleFile = (): string => path.join(temp, 'start.bundle.cjs');

// Compile and run a bundle as the loader does: what it exports says which code ran.
function load(bytes: Buffer): { cache: string; value: number; save: () => boolean } {
  const file = bundleFile();
  writeFileSync(file, bytes);
  const compiled = compileBundle(file, bytes, dir);
  const exports = runBundle(file, compiled) as { value: () => number };
  return { cache: compiled.cache, value: exports.value(), save: compiled.save };
}

const entries = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.bin'));

describe('the start bundle code cache', () => {
  it('misses, writes a private entry, then compiles from it', () => {
    const first = load(bundle(1));
    expect(first).toMatchObject({ cache: 'miss', value: 1 });
    expect(first.save()).toBe(true);
    expect(entries()).toHaveLength(1);
    if (POSIX) {
      expect(statSync(path.join(dir, entries()[0]!)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
    const second = load(bundle(1));
    expect(second).toMatchObject({ cache: 'hit', value: 1 });
    // A hit writes nothing.
    expect(second.save()).toBe(false);
  });

  it('keeps the folder to its sixteen newest entries (two bundles a build) when it writes one', () => {
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < 20; i++) {
      load(bundle(100 + i)).save();
      for (const f of entries()) utimesSync(path.join(dir, f), old, old);
    }
    expect(entries()).toHaveLength(16);
    load(bundle(1)).save();
    expect(entries()).toHaveLength(16);
    // The one just written is among them, and is used by the next start.
    expect(load(bundle(1)).cache).toBe('hit');
  });

  it('never runs an entry made for other bytes of the same length', () => {
    const one = bundle(1);
    const two = bundle(2);
    expect(two.length).toBe(one.length);
    load(one).save();
    // The old entry put where the edited bundle's would be: as a stale cache keyed loosely would be.
    const stale = readFileSync(path.join(dir, entries()[0]!));
    writeFileSync(codeCacheEntry(dir, two, bundleFile()).file, stale, { mode: 0o600 });
    // V8 itself would take it and run the old code: the check is ours to make.
    const data = decodeCodeCache(stale, codeCacheEntry(dir, one, bundleFile()).key)!;
    // (Wrapped as the loader wraps it, so that V8 sees the length it made the code for.)
    const trusting = new vm.Script(wrappedBundle(two.toString('latin1')), { filename: bundleFile(), cachedData: data });
    expect(trusting.cachedDataRejected).toBe(false);
    const exportsOf = (script: vm.Script) => {
      const module = { exports: {} as { value?: () => number } };
      (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, undefined, module, 'x.cjs', '.');
      return module.exports.value!();
    };
    expect(exportsOf(trusting)).toBe(1);

    expect(load(two)).toMatchObject({ cache: 'miss', value: 2 });
  });

  it('treats a tampered entry as a miss and writes a good one over it', () => {
    load(bundle(1)).save();
    const file = path.join(dir, entries()[0]!);
    const entry = readFileSync(file);
    // One byte of the compiled code changed, the header left as it was.
    entry[entry.length - 7] ^= 0x55;
    writeFileSync(file, entry);
    const tampered = load(bundle(1));
    expect(tampered).toMatchObject({ cache: 'miss', value: 1 });
    expect(tampered.save()).toBe(true);
    expect(load(bundle(1))).toMatchObject({ cache: 'hit', value: 1 });
  });

  it('treats a truncated entry, a bad header and a foreign key as misses', () => {
    load(bundle(1)).save();
    const file = path.join(dir, entries()[0]!);
    const good = readFileSync(file);
    const { key } = codeCacheEntry(dir, bundle(1), bundleFile());
    expect(decodeCodeCache(good, key)).toBeDefined();
    expect(decodeCodeCache(good.subarray(0, good.length - 1), key)).toBeUndefined();
    expect(decodeCodeCache(Buffer.from('not json\n'), key)).toBeUndefined();
    expect(decodeCodeCache(Buffer.from('no newline'), key)).toBeUndefined();
    expect(decodeCodeCache(good, key.replace('"node"', '"nodf"'))).toBeUndefined();
    for (const bad of [good.subarray(0, good.length - 1), Buffer.from('{}\n')]) {
      writeFileSync(file, bad);
      expect(load(bundle(1))).toMatchObject({ cache: 'miss', value: 1 });
    }
  });

  it('runs the source when V8 refuses an entry that passes our checks', () => {
    const { file, key } = codeCacheEntry(dir, bundle(1), bundleFile());
    load(bundle(1)).save();
    writeFileSync(file, encodeCodeCache(key, Buffer.alloc(256, 7)), { mode: 0o600 });
    const refused = load(bundle(1));
    expect(refused).toMatchObject({ cache: 'rejected', value: 1 });
    expect(refused.save()).toBe(true);
    expect(load(bundle(1))).toMatchObject({ cache: 'hit', value: 1 });
  });

  it.skipIf(!POSIX)('does not read an entry others can read or write, or a symlink', () => {
    load(bundle(1)).save();
    const file = path.join(dir, entries()[0]!);
    chmodSync(file, 0o644);
    expect(load(bundle(1)).cache).toBe('miss');
    chmodSync(file, 0o600);
    expect(load(bundle(1)).cache).toBe('hit');
    const elsewhere = path.join(temp, 'elsewhere.bin');
    writeFileSync(elsewhere, readFileSync(file), { mode: 0o600 });
    rmSync(file);
    symlinkSync(elsewhere, file);
    expect(load(bundle(1)).cache).toBe('miss');
    rmSync(file);
    load(bundle(1)).save();
    chmodSync(dir, 0o777);
    expect(load(bundle(1)).cache).toBe('miss');
    chmodSync(dir, 0o700);
  });

  it('keeps an entry per bundle path (Node 20 names a script after the file its cached code came from)', () => {
    load(bundle(1)).save();
    const { file: here } = codeCacheEntry(dir, bundle(1), bundleFile());
    const { file: there } = codeCacheEntry(dir, bundle(1), path.join(temp, 'other', 'start.bundle.cjs'));
    expect(entries()).toEqual([path.basename(here)]);
    expect(there).not.toBe(here);
  });

  it('without a cache folder compiles and runs, and writes nothing', () => {
    const file = bundleFile();
    writeFileSync(file, bundle(3));
    const compiled = compileBundle(file, bundle(3), undefined);
    expect(compiled.cache).toBe('off');
    expect((runBundle(file, compiled) as { value: () => number }).value()).toBe(3);
    expect(compiled.save()).toBe(false);
    expect(readdirSync(temp)).toEqual(['start.bundle.cjs']);
  });
});

describe('the bundle wrapper', () => {
  const body = 'exports.value = () => 5;\n';
  const built = `// vanguard build 0.0.0+test\n${BUNDLE_WRAPPER_OPEN}${body}${BUNDLE_WRAPPER_CLOSE}`;
  const run = (text: string): number => {
    const file = bundleFile();
    const bytes = Buffer.from(text, 'latin1');
    writeFileSync(file, bytes);
    return (runBundle(file, compileBundle(file, bytes, undefined)) as { value: () => number }).value();
  };

  it('knows a bundle the build wrapped, after its build line or without one', () => {
    expect(isWrappedBundle(built)).toBe(true);
    expect(isWrappedBundle(`${BUNDLE_WRAPPER_OPEN}${body}${BUNDLE_WRAPPER_CLOSE}`)).toBe(true);
    // Leaves the text it is given alone when it is wrapped, and wraps it once otherwise.
    expect(wrappedBundle(built)).toBe(built);
    expect(wrappedBundle(body)).toBe(`${BUNDLE_WRAPPER_OPEN}${body}${BUNDLE_WRAPPER_CLOSE}`);
    expect(wrappedBundle(wrappedBundle(body))).toBe(wrappedBundle(body));
  });

  it('reads only the opening: a wrapped bundle whose end differs still runs once, as it is', () => {
    // CRLF line ends, a newline more, a newline less.
    for (const text of [built.replaceAll('\n', '\r\n'), `${built}\n`, built.slice(0, -1)]) {
      expect(isWrappedBundle(text)).toBe(true);
      expect(wrappedBundle(text)).toBe(text);
      expect(run(text)).toBe(5);
    }
    // One whose function is never closed is not wrapped again: it fails to compile.
    const unclosed = built.slice(0, -BUNDLE_WRAPPER_CLOSE.length);
    expect(wrappedBundle(unclosed)).toBe(unclosed);
    expect(() => run(unclosed)).toThrow(SyntaxError);
  });

  it('wraps a bundle the build did not', () => {
    // Closed but not opened, opened after a first line that is code, opened on a third line, and no wrapper at all.
    for (const text of [`${body}${BUNDLE_WRAPPER_CLOSE}`, `var x = 1;\n${BUNDLE_WRAPPER_OPEN}${body}${BUNDLE_WRAPPER_CLOSE}`, `// a\n// b\n${BUNDLE_WRAPPER_OPEN}${body}${BUNDLE_WRAPPER_CLOSE}`, body]) {
      expect(isWrappedBundle(text)).toBe(false);
      expect(wrappedBundle(text)).toBe(`${BUNDLE_WRAPPER_OPEN}${text}${BUNDLE_WRAPPER_CLOSE}`);
    }
    expect(run(body)).toBe(5);
  });

  it('keys the cache of a wrapped bundle by the bytes read, and runs it from the entry', () => {
    const file = bundleFile();
    const wrappedBytes = Buffer.from(built);
    writeFileSync(file, wrappedBytes);
    const compiled = compileBundle(file, wrappedBytes, dir);
    expect(compiled.cache).toBe('miss');
    expect((runBundle(file, compiled) as { value: () => number }).value()).toBe(5);
    expect(compiled.save()).toBe(true);
    expect(entries()).toEqual([path.basename(codeCacheEntry(dir, wrappedBytes, file).file)]);
    const again = compileBundle(file, wrappedBytes, dir);
    expect(again.cache).toBe('hit');
    expect((runBundle(file, again) as { value: () => number }).value()).toBe(5);
  });
});
