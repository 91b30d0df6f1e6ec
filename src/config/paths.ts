/**
 * File names inside a policy: where `extends` points and where `audit.file` goes.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { PolicyIO } from './io.js';

/** A bare preset name: no slash, no extension (letters, digits, `-`, `_`). */
export function isPresetName(ref: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(ref);
}

/** The file an `extends` entry names, seen from the file that says it. */
export function extendsTarget(ref: string, fromFile: string, io: PolicyIO): string {
  if (isPresetName(ref)) return join(io.presetsDir, `${ref}.yaml`);
  return isAbsolute(ref) ? ref : join(dirname(fromFile), ref);
}

/**
 * `audit.file` made absolute: a leading `~` or `~/` is the home folder (from
 * the env passed in, HOME then USERPROFILE); anything else relative is taken
 * from the policy file's folder, not the working directory, so a policy means
 * the same wherever the client starts the shim.
 */
export function resolveAuditFile(value: string, policyFile: string, env: PolicyIO['env']): { path: string } | { error: string } {
  let path = value;
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) {
    const home = env.HOME ?? env.USERPROFILE;
    if (home === undefined || home === '') return { error: `cannot expand "~" in "audit.file": HOME is not set` };
    path = join(home, value.slice(1));
  } else if (value.startsWith('~')) {
    return { error: `only "~" and "~/" are expanded in "audit.file" (got "${value}")` };
  }
  return { path: resolve(dirname(policyFile), path) };
}

/** A read failure in words. */
export function readFailure(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return err instanceof Error ? err.message : String(err);
}
