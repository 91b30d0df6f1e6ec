/**
 * The annotations each tool declared in the last tools/list that showed it, per session,
 * for selectors in tools.allow/deny/actions. Kept beside the session state (keyed by it)
 * rather than in it, and bounded like the other per-tool memories.
 */
import { SESSION_LIMITS, type SessionState } from './session.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

// (Each call reads it twice: see RecentWeakMap.)
const bySession = new RecentWeakMap<SessionState, Map<string, unknown>>();

/** Remember a listed tool's annotations (undefined when it declared none). */
export function rememberAnnotations(state: SessionState, tool: string, annotations: unknown): void {
  let map = bySession.get(state);
  if (!map) bySession.set(state, (map = new Map()));
  if (map.size >= SESSION_LIMITS.maxToolSchemas && !map.has(tool)) return;
  map.set(tool, annotations ?? null);
}

/** The annotations of the tool's last listed definition; undefined when it was never listed. */
export function annotationsOf(state: SessionState, tool: string): unknown {
  return bySession.get(state)?.get(tool) ?? undefined;
}
