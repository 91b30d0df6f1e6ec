/**
 * The per-user cache folder and its files, shared by the policy cache (policy-cache.ts) and
 * the start bundle's compiled-code cache (cli/start-loader.ts). A file is trusted only when it
 * is ours: a private folder we own, a regular file (a planted symlink is not followed) that we
 * own and nobody else can read or write, of a bounded size. Writes go to a private temporary
 * file renamed into place, so a reader sees a whole entry or none. Any failure is a miss.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

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
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
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
