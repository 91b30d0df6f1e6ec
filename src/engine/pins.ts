/**
 * Comparing a list answer with the lock file (rug pulls), for tools, prompts and resources
 * alike: a changed, new or renamed definition gets the policy's action for that kind of
 * difference; trusting on first use, a definition the lock does not know is recorded the
 * first time and held to that afterwards. Across the pages of one listing the keys seen are
 * gathered, and when the last page has come, pinned definitions that were not in it are
 * reported as removed.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { isObject } from '../protocol/jsonrpc.js';
import { comparePin, definitionKey, pinDefinitions, type DefinitionKind, type LockEntry, type LockFile } from '../pinning/lock.js';
import type { SessionState } from './session.js';
import { admit, MAX_RENAME_PROBES_PER_PAGE, resetTable } from './state-budget.js';

/** One definition that differs from what was pinned, and what the policy does about it. */
export interface PinDifference {
  key: string;
  status: 'changed' | 'new' | 'renamed' | 'removed';
  action: 'warn' | 'hide' | 'block';
  from?: string;
}

function actionFor(status: PinDifference['status'], policy: CompiledPolicy): string {
  const p = policy.pinning;
  return status === 'changed' ? p.onChanged : status === 'new' ? p.onNew : status === 'renamed' ? p.onRenamed : p.onRemoved;
}

/**
 * The differences in one page of a `kind` list. `skip` names entries not to compare (hidden
 * by policy, or for their definition); `firstPage` says whether the request had no cursor.
 */
export function comparePage(
  kind: DefinitionKind,
  entries: readonly unknown[],
  page: { firstPage: boolean; lastPage: boolean },
  policy: CompiledPolicy,
  state: SessionState,
  pins: LockFile | undefined,
  skip: (key: string) => boolean,
): PinDifference[] {
  const tofu = policy.pinning.trustOnFirstUse;
  if (!pins && !tofu) return [];
  const out: PinDifference[] = [];
  const firstSeen = state.firstSeen[kind];
  const seen = state.listing[kind];
  if (page.firstPage) {
    seen.clear();
    resetTable(state, 'listing', kind);
    state.listingOpen.add(kind);
  }
  // Looking for a rename costs one fingerprint per pinned entry: bounded per page, so a large
  // listing against a large lock stays linear (past the bound a new name is simply new).
  const pinnedHere = pins ? pins[kind] : undefined;
  const pinnedCount = pinnedHere ? Object.keys(pinnedHere).length : 0;
  let probes = 0;
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const key = definitionKey(kind, entry);
    if (key === undefined) continue;
    // A key the listing cannot hold is reported as removed at its end: fail closed.
    if (!seen.has(key) && admit(state, 'listing', key.length, kind)) seen.add(key);
    if (skip(key)) continue;
    let status: ReturnType<typeof comparePin>;
    if (!pinnedHere) status = { kind: 'new' };
    else if (Object.hasOwn(pinnedHere, key)) status = comparePin(kind, pinnedHere, key, entry);
    else if ((probes += pinnedCount) <= MAX_RENAME_PROBES_PER_PAGE) status = comparePin(kind, pinnedHere, key, entry);
    else status = { kind: 'new' };
    if (status.kind === 'new' && tofu) {
      const first = Object.hasOwn(firstSeen, key) ? firstSeen[key] : undefined;
      if (first !== undefined) status = comparePin(kind, { [key]: first }, key, entry);
      else {
        // First sight is trusted; after that the first definition is what it must match. A
        // definition the session has no room left to remember cannot be held to anything
        // later, so it counts as changed, not as trusted.
        const pinned = pinDefinitions(kind, [entry])[key];
        if (pinned !== undefined && admit(state, 'firstSeen', key.length + pinned.summary.length + pinned.sha256.length, kind)) {
          Object.defineProperty(firstSeen, key, { value: pinned, enumerable: true, writable: true, configurable: true });
          status = { kind: 'same' };
        } else status = { kind: 'changed' };
      }
    }
    if (status.kind === 'same') continue;
    const action = actionFor(status.kind, policy);
    if (action === 'off') continue;
    out.push({ key, status: status.kind, action: action as PinDifference['action'], ...(status.kind === 'renamed' && { from: status.from }) });
  }
  // The whole list has been seen (one page, or the last of several from the first): what was
  // pinned and is gone is reported. Renamed definitions are not gone.
  if (page.lastPage && state.listingOpen.has(kind)) {
    state.listingOpen.delete(kind);
    const action = actionFor('removed', policy);
    const renamedFrom = new Set(out.map((d) => d.from).filter((f): f is string => f !== undefined));
    const pinned = new Set([...Object.keys(pins?.[kind] ?? {}), ...Object.keys(firstSeen)]);
    if (action !== 'off') {
      for (const key of pinned) {
        if (!seen.has(key) && !renamedFrom.has(key)) out.push({ key, status: 'removed', action: action as PinDifference['action'] });
      }
    }
  }
  return out;
}
