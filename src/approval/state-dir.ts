/**
 * Where out-of-band approvals live: a per-user state folder, owner-only. Edge code (file
 * I/O), used by `vanguard start` and `vanguard approve`, never by the engine.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { VanguardError } from '../errors.js';

/** The approvals folder for this user: VANGUARD_STATE_DIR, else XDG_STATE_HOME or ~/.local/state, %LOCALAPPDATA% on Windows. */
export function approvalsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.VANGUARD_STATE_DIR) return path.join(path.resolve(env.VANGUARD_STATE_DIR), 'approvals');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'vanguard', 'approvals');
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(homedir(), '.local', 'state');
  return path.join(base, 'vanguard', 'approvals');
}

/** Make the folder (0700) if needed, and refuse one another user could write to. */
export function ensureApprovalsDir(dir: string, platform: NodeJS.Platform = process.platform): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') return dir;
  const stat = statSync(dir);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new VanguardError('APPROVALS_UNSAFE', `the approvals folder ${dir} belongs to another user`, 1);
  }
  // Ours: tighten it if something loosened it.
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}
