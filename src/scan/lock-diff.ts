/**
 * A listing compared with a lock file, whole: every definition that is new, changed or
 * renamed since it was pinned, and every pinned one that is gone. Used by `pin --check`
 * and `scan --lock`; the comparison of one definition is the lock's own (comparePin), the
 * one `start` makes.
 */
import { comparePin, definitionKey, DEFINITION_KINDS, type DefinitionKind, type LockFile } from '../pinning/lock.js';

/** One difference from the lock. */
export interface LockDifference {
  kind: DefinitionKind;
  key: string;
  status: 'new' | 'changed' | 'renamed' | 'removed';
  /** For a rename: the name it was pinned under. */
  from?: string;
}

/** Differences between the live definitions and the lock: per kind, in listing order, then the removed ones. */
export function diffLock(live: Record<DefinitionKind, ReadonlyArray<Record<string, unknown>>>, lock: LockFile): LockDifference[] {
  const out: LockDifference[] = [];
  for (const kind of DEFINITION_KINDS) {
    const pinned = lock[kind];
    const seen = new Set<string>();
    const renamedFrom = new Set<string>();
    for (const definition of live[kind]) {
      const key = definitionKey(kind, definition);
      // A second definition under the same key is compared too: the client may take either.
      if (key === undefined) continue;
      seen.add(key);
      const status = comparePin(kind, pinned, key, definition);
      if (status.kind === 'same') continue;
      if (status.kind === 'renamed') renamedFrom.add(status.from);
      out.push({ kind, key, status: status.kind, ...(status.kind === 'renamed' && { from: status.from }) });
    }
    for (const key of Object.keys(pinned)) {
      if (!seen.has(key) && !renamedFrom.has(key)) out.push({ kind, key, status: 'removed' });
    }
  }
  return out;
}

/** One line per difference, for a terminal: `tools echo: changed since pinned`. */
export function describeDifference(d: LockDifference): string {
  const what = d.status === 'renamed' ? `renamed from ${JSON.stringify(d.from)}` : d.status === 'removed' ? 'pinned but no longer listed' : d.status === 'new' ? 'not in the lock' : 'changed since pinned';
  return `${d.kind} ${JSON.stringify(d.key)}: ${what}`;
}
