/**
 * A per-user cache of loaded policies, so a start need not load the YAML parser, parse with
 * positions, validate against the schema and check meaning every time a client starts a
 * wrapped server. What is kept is the outcome of loadPolicy for a policy without errors: the
 * effective document, the files it came from, and its warnings (said again on every start).
 * Compiling (globs, constraints, symlinks) is not cached: it runs on every start.
 *
 * An entry is used only when everything loading depended on is as it was: the same Vanguard
 * build, `--policy` value, working folder and presets folder (the entry's name and its key),
 * the same text in every file loading read or failed to read (kept whole in the entry and
 * compared after reading them again), and the same value for every environment variable it
 * looked at. An entry's body carries its CRC-32, which catches a damaged file; nothing here
 * needs node:crypto, which a start would otherwise load before spawning the server
 * (util/node-crypto.ts). Anything else
 * (a missing, unreadable, corrupt, foreign or loosely permitted entry) is a miss: the policy
 * is loaded as if there were no cache, and the cache never stops a start.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { crc32Hex, entryName } from '../util/crc32.js';
import { pruneCacheFolder, readPrivateFile, vanguardCacheRoot, writePrivateFile } from './cache-files.js';
import type { PolicyIO } from './io.js';
import type { PolicyIssue } from './issues.js';
import type { PolicyDocument } from './policy-types.js';
import { parseJson } from '../protocol/escaped-keys.js';

/** What loading a policy gives when it has no errors, and what an entry holds. */
export interface LoadedPolicy {
  effective: PolicyDocument;
  sources: string[];
  warnings: PolicyIssue[];
}

/** The load the cache stands in for: errors mean nothing is cached. */
export type PolicyLoader = (file: string | undefined, io: PolicyIO) => { effective?: PolicyDocument; compiled?: { sources: string[] }; errors: PolicyIssue[]; warnings: PolicyIssue[] };

/** Where entries live and what, besides the inputs loading reads, they depend on. */
export interface PolicyCacheOptions {
  /** The cache folder (made 0700 if missing); see {@link policyCacheDir}. */
  dir: string;
  /** Identifies the code that loads: Vanguard's version and a hash of its build. */
  build: string;
  /** The working folder: relative names are read from it. */
  cwd: string;
}

/** Everything loading read, with what it found. */
interface Inputs {
  /** [path as read, its text, or null when it could not be read]. */
  files: Array<[string, string | null]>;
  /** [variable, value, or null when unset]. */
  env: Array<[string, string | null]>;
}

const FORMAT = 'vanguard-policy-cache-2';
/** An entry larger than this is not read (policies are a few kB). */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

/** The per-user cache folder: VANGUARD_CACHE_DIR, else XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows; undefined when VANGUARD_NO_CACHE is set. */
export function policyCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const root = vanguardCacheRoot(env, platform);
  return root === undefined ? undefined : path.join(root, 'policies');
}

// The entry for one start: its file name comes from everything but the inputs' contents.
function entryOf(file: string | undefined, io: PolicyIO, options: PolicyCacheOptions): { key: string; entryFile: string } {
  const key = JSON.stringify({ format: FORMAT, build: options.build, file: file ?? null, cwd: options.cwd, presets: io.presetsDir, platform: process.platform });
  return { key, entryFile: path.join(options.dir, `${entryName(key)}.json`) };
}

/** The cached outcome of loading `file`, when a valid entry holds it; else undefined (load, then {@link loadAndCachePolicy}). */
export function readCachedPolicy(file: string | undefined, io: PolicyIO, options: PolicyCacheOptions): LoadedPolicy | undefined {
  const { key, entryFile } = entryOf(file, io, options);
  return readEntry(entryFile, key, io);
}

/** Load with `load` and, when there are no errors, store the outcome for the next start. */
export function loadAndCachePolicy(file: string | undefined, io: PolicyIO, options: PolicyCacheOptions, load: PolicyLoader): { loaded?: LoadedPolicy; errors: PolicyIssue[]; warnings: PolicyIssue[] } {
  const recorder = recordingIO(io);
  const result = load(file, recorder.io);
  if (result.errors.length > 0 || result.effective === undefined || result.compiled === undefined) return { errors: result.errors, warnings: result.warnings };
  const loaded: LoadedPolicy = { effective: result.effective, sources: result.compiled.sources, warnings: result.warnings };
  const inputs = recorder.inputs();
  if (inputs !== undefined) {
    const { key, entryFile } = entryOf(file, io, options);
    writeEntry(entryFile, key, inputs, loaded);
  }
  return { loaded, errors: [], warnings: result.warnings };
}

/** A PolicyIO that notes every file read (and its hash) and every variable looked at. Undefined inputs: something was used that cannot be compared later. */
function recordingIO(io: PolicyIO): { io: PolicyIO; inputs(): Inputs | undefined } {
  const files = new Map<string, string | null>();
  const env = new Map<string, string | null>();
  let unknown = false;
  const note = (name: string | symbol): void => {
    if (typeof name !== 'string') unknown = true;
    else if (!env.has(name)) env.set(name, io.env[name] ?? null);
  };
  const recorded: PolicyIO = {
    presetsDir: io.presetsDir,
    readFile(file) {
      try {
        const text = io.readFile(file);
        files.set(file, text);
        return text;
      } catch (error) {
        if (!files.has(file)) files.set(file, null);
        throw error;
      }
    },
    env: new Proxy(io.env, {
      get: (target, name) => (note(name), Reflect.get(target, name)),
      has: (target, name) => (note(name), Reflect.has(target, name)),
      ownKeys: (target) => ((unknown = true), Reflect.ownKeys(target)),
      getOwnPropertyDescriptor: (target, name) => (note(name), Reflect.getOwnPropertyDescriptor(target, name)),
    }),
    ...(io.listDir && {
      listDir(dir) {
        unknown = true;
        return io.listDir!(dir);
      },
    }),
  };
  return { io: recorded, inputs: () => (unknown ? undefined : { files: [...files], env: [...env] }) };
}

/** The entry's policy when the entry is ours, intact, for this key, and every input is unchanged. */
function readEntry(entryFile: string, key: string, io: PolicyIO): LoadedPolicy | undefined {
  const bytes = readPrivateFile(entryFile, MAX_ENTRY_BYTES);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  try {
    const entry = JSON.parse(text) as { format?: unknown; key?: unknown; digest?: unknown; body?: unknown };
    if (entry.format !== FORMAT || entry.key !== key || typeof entry.body !== 'string' || entry.digest !== crc32Hex(entry.body)) return undefined;
    const body = parseJson(entry.body) as { inputs: Inputs; loaded: LoadedPolicy };
    if (!unchanged(body.inputs, io)) return undefined;
    const { effective, sources, warnings } = body.loaded;
    if (typeof effective !== 'object' || effective === null || !Array.isArray(sources) || !Array.isArray(warnings)) return undefined;
    return { effective, sources, warnings };
  } catch {
    return undefined;
  }
}

// Every file reads as it did (or still cannot be read) and every variable has its value.
function unchanged(inputs: Inputs, io: PolicyIO): boolean {
  if (!Array.isArray(inputs.files) || !Array.isArray(inputs.env) || inputs.files.length === 0) return false;
  for (const [name, value] of inputs.env) if ((io.env[name] ?? null) !== value) return false;
  for (const [file, text] of inputs.files) {
    let now: string | null;
    try {
      now = io.readFile(file);
    } catch {
      now = null;
    }
    if (now !== text) return false;
  }
  return true;
}

/** Write an entry (0600, in a 0700 folder, renamed into place whole); any failure only costs the next start a load. */
function writeEntry(entryFile: string, key: string, inputs: Inputs, loaded: LoadedPolicy): void {
  let body: string;
  try {
    body = JSON.stringify({ inputs, loaded });
    // Only what JSON gives back unchanged is kept (an undefined-valued key, say, would not be).
    if (!isDeepStrictEqual(parseJson(body), { inputs, loaded })) return;
  } catch {
    return;
  }
  if (writePrivateFile(entryFile, JSON.stringify({ format: FORMAT, key, digest: crc32Hex(body), body }))) pruneCacheFolder(path.dirname(entryFile), '.json', KEEP_ENTRIES);
}

// One entry per policy, pack set and Vanguard version in use: enough for many servers' policies at once.
const KEEP_ENTRIES = 64;
