/**
 * Loading a policy for a command: read and validate it, apply command-line overrides,
 * and print warnings. Errors become one VanguardError listing every problem.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { compilePolicy, formatIssue, loadPolicy, nodePolicyIO } from '../config/index.js';
import type { PolicyEdge } from '../config/compile.js';
import type { CompiledPolicy, PolicyDocument } from '../config/policy-types.js';
import { VanguardError } from '../errors.js';

/** Overrides from the command line, applied on top of the effective policy. */
export type PolicyOverrides = Pick<PolicyDocument, 'mode' | 'onBlock'> & { auditFile?: string };

/** Load, validate and compile; warnings go to `warn`, errors throw. */
export function loadCompiledPolicy(file: string | undefined, overrides: PolicyOverrides, warn: (line: string) => void): CompiledPolicy {
  const result = loadPolicy(file, nodePolicyIO());
  for (const warning of result.warnings) warn(formatIssue(warning));
  if (result.errors.length > 0 || !result.compiled || !result.effective) {
    const lines = result.errors.map(formatIssue).join('\n');
    throw new VanguardError('POLICY_INVALID', `the policy is not valid:\n${lines}`, 1);
  }
  const { mode, onBlock, auditFile } = overrides;
  const effective: PolicyDocument = {
    ...result.effective,
    ...(mode ? { mode } : {}),
    ...(onBlock ? { onBlock } : {}),
    ...(auditFile ? { audit: { ...result.effective.audit, file: auditFile } } : {}),
  };
  // Compiled again with the real file system and clock: path constraints follow symlinks.
  return compilePolicy(effective, result.compiled.sources, process.cwd(), NODE_EDGE);
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
