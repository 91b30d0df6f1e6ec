/**
 * Runs a plain `vanguard start` from the start bundles (dist/cli/start.bundle.cjs, what runs
 * up to the server's spawn, and after-spawn.bundle.cjs, compiled while the server boots: two
 * CommonJS files, scripts/bundle-start.mjs) with V8's compiled code kept between starts.
 * Every client start of a wrapped server compiles the first bundle (about 0.4 MB) before the
 * server can be spawned; Node 20 has no compile cache of its own, and a CommonJS script compiled with
 * node:vm can be given the code V8 made last time. The cache lives beside the policy cache
 * (`<cache>/code`, private files only: config/cache-files.ts) and is trusted by content:
 *
 * - an entry is named after, and its header repeats, a key made of the CRC-32 and length of the
 *   bundle's bytes as read this time, its path, Node's and V8's versions and the architecture.
 *   V8's own check compares only the source's length (and its version and flags), so a
 *   same-length edit would otherwise run the old code;
 * - the header holds the CRC-32 of the compiled bytes, compared before V8 sees them (V8's own
 *   checksum is off in release builds, and took a damaged entry in a test): a damaged entry is
 *   a miss;
 * - what V8 still rejects is a miss too. A miss compiles from the source and writes a new
 *   entry once the start is under way (`ready`), so that it holds what starting compiled.
 *
 * CRC-32, not sha256: these digests guard against damage, not against anyone (whoever can
 * write the private cache or the bundle can write any digest), and node:crypto is not loaded
 * before the server is spawned (util/node-crypto.ts).
 *
 * V8 also refuses code made under other V8 flags, and every start sets the linear regex
 * engine's flags (rules/linear-regex.ts) before its first pattern: they are set here before
 * the bundle is compiled, so that the code is made and read back under the same flags; so are
 * the heap's (cli/heap-settings.ts, setHeapFlagsAtStart), which start.ts sets before the entry
 * is written. (Should the proxy have let the young generation grow by then, the entry made is
 * refused once and written again.)
 */
import { isAscii } from 'node:buffer';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { pruneCacheFolder, readPrivateFile, vanguardCacheRoot, writePrivateFile } from '../config/cache-files.js';
import { enableLinearEngine } from '../rules/linear-regex.js';
import { crc32Hex, entryName } from '../util/crc32.js';
import { wrappedBundle } from './bundle-wrapper.js';
import { setHeapFlagsAtStart } from './heap-settings.js';

const FORMAT = 'vanguard-code-cache-3';
/** An entry larger than this is not read (the bundle's is a few hundred kB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** The bundle, next to this file in dist/cli: what a start runs up to the server's spawn. */
export const START_BUNDLE = fileURLToPath(new URL('./start.bundle.cjs', import.meta.url));
/** The rest of the start path, compiled once the server is spawned (scripts/bundle-start.mjs). */
export const AFTER_SPAWN_BUNDLE = fileURLToPath(new URL('./after-spawn.bundle.cjs', import.meta.url));

/** Where a bundle's compiled code is cached under this Node: the entry's file and the key its header must hold. */
export function codeCacheEntry(dir: string, bundle: Uint8Array, bundleFile: string): { file: string; key: string } {
  // The bundle's own path too: Node 20's V8 names a script compiled from cached code after the
  // file it was first compiled from, and stack traces should name this one.
  const key = JSON.stringify({ format: FORMAT, source: `${crc32Hex(bundle)}:${bundle.length}`, file: bundleFile, node: process.version, v8: process.versions.v8, arch: process.arch });
  return { file: path.join(dir, `${entryName(key)}.bin`), key };
}

/** An entry's bytes: one header line (key, digest and length of the data), then the data. */
export function encodeCodeCache(key: string, data: Uint8Array): Buffer {
  const header = JSON.stringify({ key, digest: crc32Hex(data), bytes: data.length });
  return Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), data]);
}

/** The compiled code an entry holds when it is for `key` and intact; else undefined. */
export function decodeCodeCache(entry: Buffer, key: string): Buffer | undefined {
  const newline = entry.indexOf(10);
  if (newline === -1) return undefined;
  try {
    const header = JSON.parse(entry.subarray(0, newline).toString('utf8')) as { key?: unknown; digest?: unknown; bytes?: unknown };
    const data = entry.subarray(newline + 1);
    if (header.key !== key || header.bytes !== data.length || header.digest !== crc32Hex(data)) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

/** A compiled bundle and how its cache fared. */
export interface CompiledBundle {
  script: vm.Script;
  /** hit: compiled from the entry; miss: no valid entry; rejected: V8 refused a valid-looking one. */
  cache: 'hit' | 'miss' | 'rejected' | 'off';
  /** Write the entry for the next start (after a miss or a rejection); false when nothing was written. */
  save(): boolean;
}

/** Compile a CommonJS bundle (its bytes as read), with the cached code from `dir` when it is valid. */
export function compileBundle(file: string, bytes: Buffer, dir: string | undefined): CompiledBundle {
  // The bundle is plain ASCII when esbuild escaped everything; a one-byte string then, read directly.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const entry = dir === undefined ? undefined : codeCacheEntry(dir, bytes, file);
  const stored = entry && readPrivateFile(entry.file, MAX_ENTRY_BYTES);
  const cachedData = entry && stored && decodeCodeCache(stored, entry.key);
  // (Written inside its wrapper by the build, the text is compiled as read: bundle-wrapper.ts.)
  const script = new vm.Script(wrappedBundle(source), {
    filename: file,
    ...(cachedData && { cachedData }),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache = entry === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  return {
    script,
    cache,
    save: () => entry !== undefined && cache !== 'hit' && saveEntry(entry, script),
  };
}

// One entry per bundle (two per build), install path and Node version: a few in use at once, the rest left by upgrades.
const KEEP_CODE_ENTRIES = 16;

function saveEntry(entry: { file: string; key: string }, script: vm.Script): boolean {
  if (!writePrivateFile(entry.file, encodeCodeCache(entry.key, script.createCachedData()))) return false;
  pruneCacheFolder(path.dirname(entry.file), '.bin', KEEP_CODE_ENTRIES);
  return true;
}

/**
 * How the two start bundles reach each other's modules (scripts/bundle-start.mjs): a module of
 * one that the other imports is required through the other's table, by its id there.
 */
export interface BundleLinks {
  beforeSpawn(id: string): unknown;
  afterSpawn(id: string): unknown;
}

const NO_LINKS: BundleLinks = {
  beforeSpawn: (id) => {
    throw new Error(`start bundle: no module ${id} before the spawn`);
  },
  afterSpawn: (id) => {
    throw new Error(`start bundle: no module ${id} after the spawn`);
  },
};

/** Run a compiled CommonJS bundle as Node would run the file, with the links to the other bundle; its exports. */
export function runBundle(file: string, compiled: CompiledBundle, links: BundleLinks = NO_LINKS): Record<string, unknown> {
  const wrapper = compiled.script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown> };
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), links.beforeSpawn, links.afterSpawn);
  return module.exports;
}

/**
 * The modules of Node's own that a start loads before it spawns the server, beyond those the
 * loader itself imports, loaded before the flags below are set.
 *
 * Node compiles its own modules with code V8 made when Node was built, and V8 takes compiled
 * code only under the flags it was made with: once any flag is set (the linear engine's, the
 * heap's), every builtin loaded after it is compiled from its source instead. Loading
 * child_process, perf_hooks and crypto took 5-6 ms with that code and 13-16 ms without on Node
 * 20, 6-9 against 21-26 ms on Node 24; in a start, the builtins loaded between the flags and the
 * spawn took 10-15 ms on Node 24, against 3-4 loaded first.
 *
 * zlib gives the caches' CRC-32 (util/crc32.ts); on Node 20, diagnostics_channel and `process`
 * are modules of their own that bundled packages require.
 * test/cli/start-builtins.test.ts fails when a start loads one between its first flag and the spawn.
 */
const START_BUILTINS = ['node:child_process', 'node:perf_hooks', 'node:zlib', 'node:diagnostics_channel', 'node:process'] as const;

function loadStartBuiltins(): void {
  for (const id of START_BUILTINS) process.getBuiltinModule(id);
}

/**
 * Whether the second bundle begins with the same build line as the first (its bytes): both
 * begin `// vanguard build <version>+<hash>` (scripts/bundle-start.mjs). Reads one line.
 */
export function sameBuild(first: Buffer, secondFile: string): boolean {
  const end = first.indexOf(10);
  if (end <= 0 || end > 200 || !first.subarray(0, end).toString('latin1').startsWith('// vanguard build ')) return false;
  const head = Buffer.alloc(end + 1);
  let fd: number | undefined;
  try {
    fd = openSync(secondFile, 'r');
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(first.subarray(0, end + 1));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// What a start says of a second bundle from another build than the first.
const anotherBuild = (second: string, first: string): string =>
  `${path.basename(second)} is from another build than ${path.basename(first)} (an install or upgrade under way?); start again once it is done`;

/** The two start bundles, linked: the first's exports, and each bundle as compiled so far (the second once asked for). */
export interface LinkedStartBundles {
  exports: Record<string, unknown>;
  compiled: CompiledBundle[];
  links: BundleLinks;
}

/**
 * Compile and run the first start bundle (its bytes as read), with links to the second, which
 * is read and compiled when the first asks it for a module: once the server is spawned.
 */
export function linkStartBundles(first: { file: string; bytes: Buffer }, secondFile: string, codeDir: string | undefined): LinkedStartBundles {
  const compiled = [compileBundle(first.file, first.bytes, codeDir)];
  // The links hold the first bundle's name, not its bytes (0.4 MB kept for the whole session).
  const firstFile = first.file;
  let exports: Record<string, unknown> = {};
  let beforeSpawn: Record<string, () => unknown> = {};
  let afterSpawn: Record<string, () => unknown> | undefined;
  const links: BundleLinks = {
    beforeSpawn: (id) => linked(beforeSpawn, id, firstFile),
    afterSpawn(id) {
      if (afterSpawn === undefined) {
        let secondExports: Record<string, unknown>;
        try {
          const second = compileBundle(secondFile, readFileSync(secondFile), codeDir);
          compiled.push(second);
          secondExports = runBundle(secondFile, second, links);
        } catch (error) {
          throw new Error(`${path.basename(secondFile)} cannot be run (${error instanceof Error ? error.message : String(error)}); reinstall Vanguard`);
        }
        // Both from one build, or neither is used: an install replacing the files one by one
        // must not run a start half old, half new (checked by their first lines before the
        // spawn, and here by what they say once run).
        if (secondExports.build !== exports.build) {
          throw new Error(anotherBuild(secondFile, firstFile));
        }
        const table = secondExports.afterSpawnModules;
        if (typeof table !== 'object' || table === null) throw new Error(`${path.basename(secondFile)} has no table of modules; reinstall Vanguard`);
        afterSpawn = table as Record<string, () => unknown>;
      }
      return linked(afterSpawn, id, secondFile);
    },
  };
  exports = runBundle(firstFile, compiled[0]!, links);
  beforeSpawn = exports.beforeSpawnModules as Record<string, () => unknown>;
  return { exports, compiled, links };
}

type RunStart = (argv: string[], hooks: { ready?: () => void }) => Promise<number | undefined>;

/**
 * Run `argv` (after `vanguard`) as a plain start from the bundle: its exit code, or undefined
 * when it is not one (or there is no bundle), for the full CLI to take.
 */
export async function runBundledStart(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(START_BUNDLE);
  } catch {
    return undefined;
  }
  // A build has both bundles; without the second, the full CLI runs the start. Two from
  // different builds (an install under way) stop it before the server is spawned.
  if (!existsSync(AFTER_SPAWN_BUNDLE)) return undefined;
  if (!sameBuild(bytes, AFTER_SPAWN_BUNDLE)) {
    process.stderr.write(`vanguard: ${anotherBuild(AFTER_SPAWN_BUNDLE, START_BUNDLE)}\n`);
    return 1;
  }
  const root = vanguardCacheRoot(env);
  const codeDir = root === undefined ? undefined : path.join(root, 'code');
  loadStartBuiltins();
  enableLinearEngine();
  setHeapFlagsAtStart();
  const { exports, compiled } = linkStartBundles({ file: START_BUNDLE, bytes }, AFTER_SPAWN_BUNDLE, codeDir);
  // (A bundle run by a loader of another build that wraps it again, or a damaged one, exports nothing.)
  if (typeof exports.runStart !== 'function') {
    process.stderr.write(`vanguard: ${path.basename(START_BUNDLE)} has no start to run (damaged, or from another build than the loader); reinstall Vanguard\n`);
    return 1;
  }
  const runStart = exports.runStart as RunStart;
  return runStart(argv, {
    ready() {
      // After the start's own work, off its path: the entries then hold what starting compiled.
      const unsaved = compiled.filter((bundle) => bundle.cache !== 'hit' && bundle.cache !== 'off');
      if (unsaved.length === 0) return;
      setTimeout(() => {
        for (const bundle of unsaved) {
          try {
            bundle.save();
          } catch {
            // Only the next start's compile is lost; the session goes on.
          }
        }
      }, 0).unref();
    },
  });
}

// A module of the other bundle, from its table; a build whose two bundles disagree stops here.
function linked(table: Record<string, () => unknown>, id: string, file: string): unknown {
  const load = Object.hasOwn(table, id) ? table[id] : undefined;
  if (load === undefined) throw new Error(`start bundle: ${path.basename(file)} has no module ${id}`);
  return load();
}
