/**
 * A call before the list. The checks made on a tool's definition (poisoning, pins, trust on
 * first use, argument schemas) need the definition; a client that calls a tool it never
 * listed in this session (one that caches lists, or a script) would go around them. Such a
 * call is held, and the shim lists the tools itself: its own tools/list requests, in an id
 * space of its own, every page followed (up to a bound), answers read like any listing and
 * never forwarded to the client. Once the listing is complete the held calls are decided as
 * usual; a tool the server does not list is answered as unknown.
 *
 * Fetching rather than refusing ("list the tools first"): clients that cache lists, and
 * SDK scripts that call straight away, keep working, and the checks are the same.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { unknownToolResponse, blockedToolResult, errorResponse } from '../protocol/answers.js';
import { modernVersionOf } from '../protocol/era.js';
import { idKey, isObject, type IdKey, type RequestId, type RequestMessage, type ResponseMessage } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { LockFile } from '../pinning/lock.js';
import type { Output } from './outcome.js';
import type { PendingClientRequest, SessionState } from './session.js';
import type { InspectFunction } from './tool-call.js';
import { decideAskedCall } from './asked-call.js';
import { decideToolList, type DefinitionScan } from './tool-list.js';
import { annotationsOf } from './tool-annotations.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

/** Pages of its own listing the shim follows before deciding with what it has. */
export const MAX_FETCHED_PAGES = 100;
/**
 * What the shim keeps of calls held while it lists, counted in the bytes they are written out
 * as (UTF-8 of the frame the release sends: a character outside ASCII is two to six bytes, and
 * the id counts too): past it, more are refused (limits.held). The release writes them all
 * while the shim reads the server, so they must stay under WRITE_BACK_BYTES_BEFORE_WAIT
 * (proxy.ts), past which that reader waits for the server to read them. The count of held
 * calls is bounded by the calls in flight (SESSION_LIMITS.maxPendingClient), as every held
 * call is one; the bound in bytes keeps large arguments from adding up. The client's input is
 * never paused for held calls: a paused reader would not see a cancel, the end of input, or
 * the answer the server's listing may be waiting for.
 */
export const MAX_HELD_BYTES = 16 * 1024 * 1024;

interface Fetch {
  /** The shim's tools/list in flight, if any, how many pages it has read, and the change it started after. */
  inFlight?: { id: string; page: number; since: number };
  held: RequestMessage[];
  /** The bytes of the held calls as written (MAX_HELD_BYTES). */
  heldBytes: number;
  counter: number;
  /** list_changed notifications seen, and how many of them the last completed listing of the shim's own follows. */
  changes: number;
  listedAfter: number;
}

// (Asked about on every call and answer: see RecentWeakMap.)
const fetches = new RecentWeakMap<SessionState, Fetch>();

function fetchOf(state: SessionState): Fetch {
  let fetch = fetches.get(state);
  if (!fetch) fetches.set(state, (fetch = { held: [], heldBytes: 0, counter: 0, changes: 0, listedAfter: 0 }));
  return fetch;
}


/** What the engine knows that decides whether a call needs the definition first. */
export interface DefinitionChecks {
  scanDefinition?: DefinitionScan;
  pins?: LockFile;
}

/** True when some check the policy makes on a call needs the tool's definition. */
export function checksNeedDefinitions(policy: CompiledPolicy, checks: DefinitionChecks): boolean {
  return (checks.scanDefinition !== undefined && policy.metadata.poisoning !== 'off') || checks.pins !== undefined || policy.pinning.trustOnFirstUse || policy.validateArguments || policy.selectsByAnnotations;
}

/**
 * True when this tools/call names a visible tool no listing in this session has shown, or
 * the server said its tools changed since the last listing (a client calling from the list
 * it has cached would go around the check of the new definition: a rug pull).
 */
export function callBeforeList(request: RequestMessage, state: SessionState, policy: CompiledPolicy): boolean {
  const name = request.params?.name;
  if (typeof name !== 'string') return false;
  // A tool selected by its annotations has no verdict before its definition was listed: an
  // unlisted one is held for the listing, not answered as hidden on a guess.
  const unlisted = !state.schemaKinds.has(name);
  if (!policy.toolVerdict(name, annotationsOf(state, name)).visible && !(policy.selectsByAnnotations && unlisted)) return false;
  const fetch = fetches.get(state);
  // A tool's schema hints are remembered for every named tool of every listing page.
  return !state.schemaKinds.has(name) || (fetch !== undefined && fetch.changes > fetch.listedAfter);
}

/** The server said its tools changed: the next call is held until the shim has listed them again. */
export function toolsChanged(state: SessionState): void {
  fetchOf(state).changes += 1;
}

/** True while calls wait for the shim's own listing. */
export function holdsCalls(state: SessionState): boolean {
  const fetch = fetches.get(state);
  return fetch !== undefined && (fetch.held.length > 0 || fetch.inFlight !== undefined);
}

/** True when `id` is the shim's own request in flight (a client may not reuse it). */
export function isOwnId(state: SessionState, id: RequestId): boolean {
  // (Its ids are strings: a number id, most clients', is not looked up.)
  if (typeof id !== 'string') return false;
  const inFlight = fetches.get(state)?.inFlight;
  return inFlight !== undefined && id === inFlight.id;
}

// The shim's own tools/list: an id no client request in flight uses, and for a modern
// session the held call's `_meta` protocol version.
function listRequest(state: SessionState, fetch: Fetch, like: RequestMessage, cursor?: string): { id: string; text: string } {
  let id: string;
  do id = `vanguard-list-${++fetch.counter}`;
  while (state.pendingClient.has(idKey(id)));
  const version = modernVersionOf(like.params);
  const meta = version !== undefined && isObject(like.params?._meta) ? Object.fromEntries(Object.entries(like.params._meta).filter(([k]) => k !== 'progressToken')) : undefined;
  const params = { ...(cursor !== undefined && { cursor }), ...(meta !== undefined && { _meta: meta }) };
  return { id, text: serializeStrict({ jsonrpc: '2.0', id, method: 'tools/list', ...(Object.keys(params).length > 0 && { params }) }) };
}

/**
 * Hold a call until the tools are listed. Returns the text of the shim's own tools/list to
 * send to the server, or undefined when one is already on its way; false when the held calls'
 * calls would pass MAX_HELD_BYTES (the caller refuses this one).
 */
export function holdCall(request: RequestMessage, state: SessionState): string | undefined | false {
  const fetch = fetchOf(state);
  // Only calls waiting for the listing are measured (the first calls of a session), so the
  // serialisation is not paid per call. The first call is always held, however large.
  const bytes = writtenBytes(request);
  if (fetch.held.length > 0 && fetch.heldBytes + bytes > MAX_HELD_BYTES) return false;
  fetch.held.push(request);
  fetch.heldBytes += bytes;
  if (fetch.inFlight) return undefined;
  const { id, text } = listRequest(state, fetch, request);
  fetch.inFlight = { id, page: 1, since: fetch.changes };
  return text;
}

// The bytes of the frame the release writes for a held call (releaseCall: serializeStrict).
function writtenBytes(request: RequestMessage): number {
  try {
    return Buffer.byteLength(serializeStrict(request.message));
  } catch {
    // Nothing the parser made fails to serialise; were it to, count it as over the bound.
    return MAX_HELD_BYTES + 1;
  }
}

/** What the shim does with a server answer to its own listing. */
export interface OwnListDecision {
  outputs: Output[];
  records: Array<Omit<DecisionRecord, 'decisionUs'>>;
}

/** What reading the server's answers needs. */
export interface ListReading {
  scanDefinition?: DefinitionScan;
  pins?: LockFile;
  inspect?: InspectFunction;
  /** The engine's clock (µs), for the flow rules of calls released after the listing. */
  nowUs?(): number;
}

/**
 * Decide on a server answer that belongs to the shim's listing (its own id), or that
 * claims to answer a call still held (the server never saw it: dropped). Undefined for
 * every other answer.
 */
export function decideOwnAnswer(message: ResponseMessage, text: { text(): string }, state: SessionState, policy: CompiledPolicy, reading: ListReading): OwnListDecision | undefined {
  const fetch = fetches.get(state);
  if (!fetch || message.id === null) return undefined;
  // (Calls are held only until the first listing: most answers find none, and make no closure to look.)
  if (fetch.held.length > 0 && fetch.held.some((held) => idKey(held.id) === idKey(message.id as RequestId))) {
    return { outputs: [], records: [{ direction: 'server', id: message.id, verdict: 'drop', rules: ['protocol.unasked'], reason: 'an answer to a call the server has not been sent yet' }] };
  }
  const inFlight = fetch.inFlight;
  if (!inFlight || typeof message.id !== 'string' || message.id !== inFlight.id) return undefined;
  const list = decideToolList(text.text(), message.id, policy, state, reading.scanDefinition, reading.pins, inFlight.page === 1);
  const record = { ...list.record, detail: { ...list.record.detail, ownListing: true, page: inFlight.page } };
  const result = isObject(message.message.result) ? message.message.result : undefined;
  const failed = result === undefined || !Array.isArray(result.tools) ? 'the server answered the listing with an error' : list.record.verdict === 'block' ? (list.record.reason ?? 'the tool list was refused') : undefined;
  const cursor = failed === undefined && typeof result?.nextCursor === 'string' ? result.nextCursor : undefined;
  const like = fetch.held[0];
  if (cursor !== undefined && inFlight.page < MAX_FETCHED_PAGES && like) {
    const next = listRequest(state, fetch, like, cursor);
    fetch.inFlight = { id: next.id, page: inFlight.page + 1, since: inFlight.since };
    return { outputs: [{ to: 'server', data: next.text }], records: [record] };
  }
  fetch.inFlight = undefined;
  if (failed === undefined) fetch.listedAfter = Math.max(fetch.listedAfter, inFlight.since);
  const held = fetch.held.splice(0);
  fetch.heldBytes = 0;
  const nowUs = reading.nowUs?.() ?? 0;
  const decided = held.map((request) => releaseCall(request, state, policy, reading.inspect, failed, nowUs, reading.nowUs));
  return { outputs: decided.flatMap((d) => d.outputs), records: [record, ...decided.flatMap((d) => d.records)] };
}

// A held call answered by the shim (inside its batch, if it came in one).
function answerHeld(state: SessionState, key: IdKey, pending: PendingClientRequest, message: Record<string, unknown>, record: Omit<DecisionRecord, 'decisionUs'>): OwnListDecision {
  state.pendingClient.delete(key);
  state.answeredLocally.add(key);
  const text = serializeStrict(message);
  const batch = pending.batch;
  if (!batch) return { outputs: [{ to: 'client', data: text }], records: [record] };
  // A call from a batch is answered inside it, as the engine gathers a batch's answers.
  batch.answers.push(text);
  batch.waiting--;
  return { outputs: batch.waiting === 0 ? [{ to: 'client', data: `[${batch.answers.join(',')}]` }] : [], records: [record] };
}

/**
 * The shim's listing in flight will not be sent (the audit trail failed, so no request goes
 * out): every held call is answered with this error instead of waiting for it.
 */
export function abandonListing(state: SessionState, code: number, message: string, rule: string): OwnListDecision {
  const fetch = fetches.get(state);
  const out: OwnListDecision = { outputs: [], records: [] };
  if (!fetch) return out;
  fetch.inFlight = undefined;
  fetch.heldBytes = 0;
  for (const request of fetch.held.splice(0)) {
    const key = idKey(request.id);
    const pending = state.pendingClient.get(key);
    const base = { direction: 'client' as const, method: 'tools/call', id: request.id, tool: String(request.params?.name ?? ''), verdict: 'block' as const, rules: [rule], reason: message };
    if (!pending) continue;
    const answered = answerHeld(state, key, pending, errorResponse(request.id, code, message), base);
    out.outputs.push(...answered.outputs);
    out.records.push(...answered.records);
  }
  return out;
}

// A held call, decided now that the listing is done (or failed).
function releaseCall(request: RequestMessage, state: SessionState, policy: CompiledPolicy, inspect: InspectFunction | undefined, failed: string | undefined, nowUs: number, putUs: (() => number) | undefined): OwnListDecision {
  const key = idKey(request.id);
  const pending = state.pendingClient.get(key);
  const name = String(request.params?.name ?? '');
  const base = { direction: 'client' as const, method: 'tools/call', id: request.id, tool: name, args: request.params?.arguments };
  // Cancelled while held, or answered already (the server went away): nothing more to do.
  // (A batch waits for every answer, so a cancelled call of one is still decided.)
  if (!pending || (pending.cancelled && !pending.batch)) {
    state.pendingClient.delete(key);
    return { outputs: [], records: [{ ...base, verdict: 'drop', rules: ['tools.held-cancelled'] }] };
  }
  const modern = pending.modern;
  const answer = (message: Record<string, unknown>, record: Omit<DecisionRecord, 'decisionUs'>): OwnListDecision => answerHeld(state, key, pending, message, record);
  if (failed !== undefined || !state.schemaKinds.has(name)) {
    const reason = failed !== undefined ? `the tools could not be listed before the call (${failed})` : 'the server does not list this tool';
    const rule = failed !== undefined ? 'tools.list-failed' : 'tools.unlisted';
    if (policy.mode === 'monitor') return { outputs: [{ to: 'server', data: serializeStrict(request.message) }], records: [{ ...base, verdict: 'would-block', rules: [rule], reason }] };
    if (failed !== undefined) {
      return answer(blockedToolResult(request.id, { tool: name, ruleId: rule, reason: `${reason}; list the tools and try again.` }, modern), { ...base, verdict: 'block', rules: [rule], reason });
    }
    // Answered like a tool the server does not have, which, by its own list, it does not.
    return answer(unknownToolResponse(request.id, name, modern), { ...base, verdict: 'hide', rules: [rule], reason });
  }
  const call = decideAskedCall(request, state, policy, inspect, pending.batch !== undefined, nowUs, putUs);
  if (call.action.type === 'answer') return answer(call.action.message, call.record);
  if (call.action.type === 'hold') {
    // Now held for a person's approval instead (src/approval): not sent, not pending.
    state.pendingClient.delete(key);
    return { outputs: call.action.outputs, records: [call.record] };
  }
  return { outputs: [{ to: 'server', data: call.action.text }], records: [call.record] };
}
