/**
 * The per-user cache folder and its files, shared by the policy cache (policy-cache.ts) and
 * the start bundle's compiled-code cache (cli/start-loader.ts). A file is trusted only when it
 * is ours: a private folder we own, a regular file (a planted symlink is not followed) that we
 * own and nobody else can read or write, of a bounded size. Writes go to a private temporary
 * file renamed into place, so a reader sees a whole entry or none. Any failure is a miss.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { nodeCrypto } from '../util/node-crypto.js';

/** Vanguard's per-user cache folder: VANGUARD_CACHE_DIR, else XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows; undefined when VANGUARD_NO_CACHE is set. */
export function vanguardCacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.VANGUARD_NO_CACHE) return undefined;
  if (env.VANGUARD_CACHE_DIR) return path.resolve(env.VANGUARD_CACHE_DIR);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'vanguard', 'cache');
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'vanguard');
}

/** The bytes of a cache file when it is ours and private and at most `maxBytes`; else undefined. */
export function readPrivateFile(file: string, maxBytes: number): Buffer | undefined {
  try {
    if (!privateFolder(path.dirname(file))) return undefined;
    // O_NOFOLLOW: a symlink planted in the folder is not followed; the checks are on what was opened.
    const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile() || stat.size > maxBytes || !ownedPrivately(stat)) return undefined;
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Write a cache file (0600, in a 0700 folder made if missing, renamed into place whole); false when it could not be. */
export function writePrivateFile(file: string, data: string | Uint8Array): boolean {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateFolder(dir)) return false;
    const temp = `${file}.${process.pid}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, data, { flag: 'wx', mode: 0o600 });
      renameSync(temp, file);
      return true;
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // Nothing was written.
      }
      return false;
    }
  } catch {
    // A cache that cannot be written is only slower.
    return false;
  }
}

/**
 * Keep a cache folder to its `keep` newest entries (files named as the caches name them: a hex
 * digest and `suffix`, by modification time) and remove such entries' temporary files older
 * than an hour, left by a writer that died. Any other file is left. Called after
 * an entry is written, which happens only on a miss: without it every upgrade, Node version and
 * install path added an entry that nothing ever removed. A removed entry is only a miss for a
 * shim that wanted it; a file we cannot stat or remove is left; nothing here fails a start.
 */
export function pruneCacheFolder(dir: string, suffix: string, keep: number, nowMs: number = Date.now()): number {
  let removed = 0;
  try {
    if (!privateFolder(dir)) return 0;
    const entries: { file: string; mtimeMs: number }[] = [];
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      let stat;
      try {
        stat = lstatSync(file);
      } catch {
        continue;
      }
      if (!stat.isFile() || !ownedByUs(stat)) continue;
      // Only what the caches write: the folder may hold files that are not ours to remove
      // (VANGUARD_CACHE_DIR may name a folder that already had a policies/ of its own).
      if (isTempName(name, suffix)) {
        if (nowMs - stat.mtimeMs > STALE_TEMP_MS && remove(file)) removed++;
      } else if (isEntryName(name, suffix)) {
        entries.push({ file, mtimeMs: stat.mtimeMs });
      }
    }
    entries.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? -1 : 1));
    for (const entry of entries.slice(keep)) if (remove(entry.file)) removed++;
  } catch {
    // A folder we cannot read is only bigger.
  }
  return removed;
}

const STALE_TEMP_MS = 60 * 60 * 1000;

// An entry's name is a digest in hex (policy-cache.ts, start-loader.ts) and the suffix; a
// temporary file's is an entry's name, the writer's pid and twelve hex digits (writePrivateFile).
const DIGEST = /^[0-9a-f]{16,64}$/;
const TEMP = /^(.+)\.[0-9]+\.[0-9a-f]{12}\.tmp$/;

function isEntryName(name: string, suffix: string): boolean {
  return name.endsWith(suffix) && DIGEST.test(name.slice(0, name.length - suffix.length));
}

function isTempName(name: string, suffix: string): boolean {
  const match = TEMP.exec(name);
  return match !== null && isEntryName(match[1] as string, suffix);
}

function remove(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

// The folder is ours and nobody else can write into it (POSIX; on Windows it is under the user's profile).
function privateFolder(dir: string): boolean {
  const stat = statSync(dir);
  return stat.isDirectory() && ownedByUs(stat) && (process.platform === 'win32' || (stat.mode & 0o022) === 0);
}

// A file: ours, and neither readable nor writable by anyone else (0600).
function ownedPrivately(stat: { uid: number; mode: number }): boolean {
  return ownedByUs(stat) && (process.platform === 'win32' || (stat.mode & 0o077) === 0);
}

function ownedByUs(stat: { uid: number }): boolean {
  return typeof process.getuid !== 'function' || stat.uid === process.getuid();
}
