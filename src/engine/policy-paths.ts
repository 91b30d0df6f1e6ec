/**
 * The path facts label inference and policy learning read (the policy's roots, denies and cwd,
 * and the home directory), as one object per policy: made once, not spread anew on every call,
 * and stable, so what is compiled from it can be kept (see src/flow/call-labels.ts).
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

/** The policy's path facts with its home directory. Read only: it is shared. */
export type PolicyPaths = CompiledPolicy['inspection']['paths'] & { home: string };

// Checked against what it was made from, so a policy object changed in place is read anew.
// (Each call reads it twice, of the one policy of a process: see RecentWeakMap.)
const made = new RecentWeakMap<CompiledPolicy, { from: CompiledPolicy['inspection']['paths']; home: string; paths: PolicyPaths }>();

/** `{ ...policy.inspection.paths, home: policy.constraints.home }`, one object per policy. */
export function policyPaths(policy: CompiledPolicy): PolicyPaths {
  const from = policy.inspection.paths;
  const home = policy.constraints.home;
  const known = made.get(policy);
  if (known !== undefined && known.from === from && known.home === home) return known.paths;
  const paths = { ...from, home };
  made.set(policy, { from, home, paths });
  return paths;
}
