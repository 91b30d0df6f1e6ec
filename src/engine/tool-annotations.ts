/**
 * The annotations each tool declared in the last tools/list that showed it, per session,
 * for selectors in tools.allow/deny/actions. Kept beside the session state (keyed by it)
 * rather than in it, and bounded like the other per-tool memories.
 */
import { SESSION_LIMITS, type SessionState } from './session.js';

const bySession = new WeakMap<SessionState, Map<string, unknown>>();

/** Remember a listed tool's annotations (undefined when it declared none). */
export function rememberAnnotations(state: SessionState, tool: string, annotations: unknown): void {
  let map = bySession.get(state);
  if (!map) bySession.set(state, (map = new Map()));
  if (map.size >= SESSION_LIMITS.maxToolSchemas && !map.has(tool)) return;
  map.set(tool, annotations ?? null);
}

/** The annotations of the tool's last listed definition; undefined when it was never listed. */
export function annotationsOf(state: SessionState, tool: string): unknown {
  // (A process has one session, and each call reads this twice: its table is found again
  // without a look-up. A table, once made, is never replaced.)
  const map = state === lastState ? lastMap : bySession.get(state);
  if (map !== undefined) {
    lastState = state;
    lastMap = map;
  }
  return map?.get(tool) ?? undefined;
}
let lastState: SessionState | undefined;
let lastMap: Map<string, unknown> | undefined;
