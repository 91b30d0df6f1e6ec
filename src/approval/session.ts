/**
 * What one session remembers about approvals: the calls held while a question is open
 * (keyed by the shim's own request id, which goes to the client), the tools approved for
 * the rest of the session, the codes offered for out-of-band approval, the requestState
 * nonces already used, and whether the client declared form elicitation. Kept beside the
 * engine's SessionState, bounded like it.
 */
import type { RequestMessage } from '../protocol/jsonrpc.js';
import { idKey, type IdKey, type RequestId } from '../protocol/jsonrpc.js';
import { BoundedSet } from '../engine/bounded-set.js';
import type { SessionState } from '../engine/session.js';
import type { ApprovalEdge, AskRequest, Binding } from './types.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

/** Questions open at once; more asked calls are refused. */
export const MAX_OPEN_QUESTIONS = 64;
/** Codes remembered for out-of-band approval; the oldest are forgotten (their approval no longer counts). */
export const MAX_OFFERED_CODES = 256;

/** A call held until the person answers. */
export interface HeldCall {
  /** The shim's own id of the elicitation/create sent to the client. */
  questionId: string;
  request: RequestMessage;
  /** The checked call, as it goes to the server when approved. */
  text: string;
  ask: AskRequest;
  deadlineMs: number;
}

export interface ApprovalSession {
  edge?: ApprovalEdge;
  /** By question id. */
  held: Map<string, HeldCall>;
  /** Question id by the held call's id key. */
  byCall: Map<IdKey, string>;
  counter: number;
  remembered: Set<string>;
  /** Offered code -> its binding and when it stops counting (insertion order: oldest first). */
  offered: Map<string, Binding & { expiresAtMs: number }>;
  usedNonces: BoundedSet<number>;
  /** The client declared form elicitation in initialize (legacy sessions). */
  elicitation: boolean;
}

// (Asked about on every call: see RecentWeakMap.)
const sessions = new RecentWeakMap<SessionState, ApprovalSession>();

/** The approval state of a session (made on first use). */
export function approvalsOf(state: SessionState): ApprovalSession {
  let session = sessions.get(state);
  if (!session) {
    session = { held: new Map(), byCall: new Map(), counter: 0, remembered: new Set(), offered: new Map(), usedNonces: new BoundedSet(4_096), elicitation: false };
    sessions.set(state, session);
  }
  return session;
}

/** Give a session what the edge knows (the engine does this once, at construction). */
export function bindApprovalEdge(state: SessionState, edge: ApprovalEdge | undefined): void {
  approvalsOf(state).edge = edge;
}

/** True when the id is a client call held for approval (a new request may not reuse it). */
export function isHeldCall(state: SessionState, id: RequestId): boolean {
  // (No call held, most of the time: no key made to look for one.)
  const byCall = sessions.get(state)?.byCall;
  return byCall !== undefined && byCall.size > 0 && byCall.has(idKey(id));
}

/** True when the id is one of the shim's own questions in flight (a server request may not reuse it). */
export function isQuestionId(state: SessionState, id: RequestId): boolean {
  const held = sessions.get(state)?.held;
  return held !== undefined && held.size > 0 && [...held.keys()].some((q) => idKey(q) === idKey(id));
}

/** The earliest deadline of an open question, if any: when the edge should call expire. */
export function nextDeadline(state: SessionState): number | undefined {
  const held = sessions.get(state)?.held;
  if (!held || held.size === 0) return undefined;
  return Math.min(...[...held.values()].map((h) => h.deadlineMs));
}

/** Remember a code offered for a binding, forgetting the oldest past the bound. */
export function rememberCode(session: ApprovalSession, code: string, binding: Binding, expiresAtMs: number): void {
  session.offered.delete(code);
  session.offered.set(code, { ...binding, expiresAtMs });
  while (session.offered.size > MAX_OFFERED_CODES) session.offered.delete(session.offered.keys().next().value as string);
}
