/**
 * A policy entry that names no tool the server has: `tools.deny: [wirte_file]` hides
 * nothing, and nothing says so. Over a whole listing (every page from the first) the names
 * are gathered, and the tools.deny globs and tools.actions keys that matched none of them
 * are reported once per session, as a warning in the audit trail.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { isObject } from '../protocol/jsonrpc.js';
import type { SessionState } from './session.js';

/** Names gathered per listing, at most this many bytes: past it the check is skipped, not guessed. */
const MAX_NAME_BYTES = 1 << 20;

interface Gathering {
  names: Set<string>;
  bytes: number;
  open: boolean;
  done: boolean;
}

const gatherings = new WeakMap<SessionState, Gathering>();

/** An entry that matched no listed tool, and where it is. */
export interface UnmatchedName {
  where: 'tools.deny' | 'tools.actions';
  glob: string;
}

/**
 * Take one page of a tools/list answer; on the last page of a listing read from its first,
 * the entries that matched nothing, the first time in the session there are any.
 */
export function unmatchedNames(tools: readonly unknown[], page: { firstPage: boolean; lastPage: boolean }, policy: CompiledPolicy, state: SessionState): UnmatchedName[] {
  const named = policy.namedTools ?? [];
  if (named.length === 0) return [];
  let g = gatherings.get(state);
  if (g === undefined) gatherings.set(state, (g = { names: new Set(), bytes: 0, open: false, done: false }));
  if (g.done) return [];
  if (page.firstPage) {
    g.names.clear();
    g.bytes = 0;
    g.open = true;
  }
  if (!g.open) return [];
  for (const tool of tools) {
    const name = isObject(tool) ? tool.name : undefined;
    if (typeof name !== 'string' || g.names.has(name)) continue;
    g.bytes += name.length;
    // A listing too large to keep cannot say what is missing from it.
    if (g.bytes > MAX_NAME_BYTES) {
      g.open = false;
      g.names.clear();
      return [];
    }
    g.names.add(name);
  }
  if (!page.lastPage) return [];
  g.open = false;
  const names = [...g.names];
  g.names.clear();
  // An empty listing says nothing about names (a server still starting, or one with no tools).
  if (names.length === 0) return [];
  const unmatched = named.filter((n) => !names.some((name) => n.match(name))).map(({ where, glob }) => ({ where, glob }));
  if (unmatched.length > 0) g.done = true;
  return unmatched;
}
