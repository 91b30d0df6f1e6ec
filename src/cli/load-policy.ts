/**
 * Loading a policy for a command: read and validate it, apply command-line overrides,
 * and print warnings. Errors become one VanguardError listing every problem.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { compilePolicy, type PolicyEdge } from '../config/compile.js';
import { nodePolicyIO } from '../config/io.js';
import { formatIssue, type PolicyIssue } from '../config/issues.js';
import { loadAndCachePolicy, policyCacheDir, readCachedPolicy, type LoadedPolicy } from '../config/policy-cache.js';
import type { CompiledPolicy, PolicyDocument } from '../config/policy-types.js';
import { VanguardError } from '../errors.js';
import { VANGUARD_BUILD } from './build-id.js';

/** Overrides from the command line, applied on top of the effective policy. */
export type PolicyOverrides = Pick<PolicyDocument, 'mode' | 'onBlock'> & { auditFile?: string };

/**
 * Load, validate and compile; warnings go to `warn`, errors throw. A bundled build goes
 * through the per-user policy cache (config/policy-cache.ts) unless VANGUARD_NO_CACHE is set:
 * on a hit neither the loader nor the YAML parser is even imported.
 */
export async function loadCompiledPolicy(file: string | undefined, overrides: PolicyOverrides, warn: (line: string) => void): Promise<CompiledPolicy> {
  return (await loadPolicyAndDocument(file, overrides, warn)).policy;
}

/** {@link loadCompiledPolicy}, with the effective document it compiled (what a session's caches are keyed by). */
export async function loadPolicyAndDocument(file: string | undefined, overrides: PolicyOverrides, warn: (line: string) => void): Promise<{ policy: CompiledPolicy; effective: PolicyDocument }> {
  const result = await loadEffective(file);
  for (const warning of result.warnings) warn(formatIssue(warning));
  if (result.errors.length > 0 || !result.loaded) {
    const lines = result.errors.map(formatIssue).join('\n');
    throw new VanguardError('POLICY_INVALID', `the policy is not valid:\n${lines}`, 1);
  }
  const { effective: loaded, sources } = result.loaded;
  const { mode, onBlock, auditFile } = overrides;
  const effective: PolicyDocument = {
    ...loaded,
    ...(mode ? { mode } : {}),
    ...(onBlock ? { onBlock } : {}),
    ...(auditFile ? { audit: { ...loaded.audit, file: auditFile } } : {}),
  };
  // Compiled again with the real file system and clock: path constraints follow symlinks.
  return { policy: compilePolicy(effective, sources, process.cwd(), NODE_EDGE), effective };
}

// The effective policy, its files and warnings: from the cache, or loaded (and cached).
async function loadEffective(file: string | undefined): Promise<{ loaded?: LoadedPolicy; errors: PolicyIssue[]; warnings: PolicyIssue[] }> {
  const io = nodePolicyIO();
  const dir = VANGUARD_BUILD === undefined ? undefined : policyCacheDir();
  const cache = dir === undefined || VANGUARD_BUILD === undefined ? undefined : { dir, build: VANGUARD_BUILD, cwd: process.cwd() };
  const hit = cache && readCachedPolicy(file, io, cache);
  if (hit) return { loaded: hit, errors: [], warnings: hit.warnings };
  const { loadPolicy } = await import('../config/load.js');
  if (cache) return loadAndCachePolicy(file, io, cache, loadPolicy);
  const result = loadPolicy(file, io);
  if (result.errors.length > 0 || !result.compiled || !result.effective) return { errors: result.errors, warnings: result.warnings };
  return { loaded: { effective: result.effective, sources: result.compiled.sources, warnings: result.warnings }, errors: [], warnings: result.warnings };
}

/** The edge of a running shim: symlinks resolved as the server will, the user's home, the wall clock. */
export const NODE_EDGE: PolicyEdge = {
  realpath(path) {
    try {
      return realpathSync.native(path);
    } catch {
      return undefined;
    }
  },
  home: homedir(),
  nowMs: () => Date.now(),
};
