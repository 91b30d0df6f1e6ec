/**
 * Decisions on the server's answers to client requests. An answer reaches the client only
 * as the decided answer to exactly one pending request (DESIGN.md invariant 14): matched
 * as any client could match it, inspected as that request's answer (lists filtered,
 * results scanned), and sent with the id the client wrote. Anything else is dropped.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { errorResponse } from '../protocol/answers.js';
import type { IdReading } from '../protocol/answer-id.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { isObject, type RequestId, type ResponseMessage } from '../protocol/jsonrpc.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';
import { matchAnswer } from './answer-match.js';
import { decideDefinitionList, definitionListFor } from './definition-list.js';
import { INSTRUCTION_ANSWERS, decideInstructions } from './instructions.js';
import { SCANNED_RESULTS, decideResult } from './result-answer.js';
import type { FrameText, ServerAction, ServerDecision, ServerInspection } from './server-side.js';
import type { PendingClientRequest, SessionState } from './session.js';
import { decideToolList } from './tool-list.js';
import { noteResult } from './tool-flow.js';

/** The readings of an id taken from a parsed message, where the frame's bytes are not at hand (batch elements). */
export function readingsOf(id: RequestId | null): IdReading[] {
  return [{ value: id, raw: serializeStrict(id) }];
}

/** Decide on one server answer, given every reading of its top-level id. */
export function decideAnswer(message: ResponseMessage, readings: IdReading[] | undefined, text: FrameText, state: SessionState, policy: CompiledPolicy, inspection: ServerInspection): ServerDecision {
  const match = matchAnswer(readings, state);
  if (match.kind === 'repeated' && match.pending && match.key !== undefined) {
    // Every reading names one request, so its client is told at once rather than left to
    // time out; the server took it as answered and will not answer again.
    state.pendingClient.delete(match.key);
    const id = match.pending.id;
    const reason = `Vanguard withheld the server's answer: ${match.reason}`;
    return {
      action: { type: 'forward-text', text: serializeStrict(errorResponse(id, JsonRpcCode.internalError, reason)) },
      record: { direction: 'server', method: match.pending.method, id, tool: match.pending.tool, verdict: 'block', rules: ['protocol.answer-repeated-id'], reason },
      answers: match.pending,
    };
  }
  if (match.kind !== 'pending') {
    const rule = match.kind === 'repeated' ? 'protocol.answer-repeated-id' : 'protocol.answer-unmatched';
    return { action: { type: 'drop' }, record: { direction: 'server', id: message.id, verdict: 'drop', rules: [rule], reason: match.reason } };
  }
  const { pending, key, exact } = match;
  state.pendingClient.delete(key);
  const decided = decideFor(pending, text, state, policy, inspection);
  // A tool's result puts its labels on the session (src/flow/result-labels.ts), at the time it
  // is decided: the clock is read then, and only when it puts any.
  const noted = pending.method === 'tools/call' ? noteResult(state, policy, pending, decided.record, inspection) : decided.record;
  const decision = noted === decided.record ? decided : { ...decided, record: noted };
  if (exact) return decision;
  // Matched loosely ("3" for 3): sent on with the client's own id, so every client reads it
  // as the answer it was decided to be.
  const rewritten = withClientId(decision.action.type === 'forward-text' ? decision.action.text : text.text(), pending);
  const action: ServerAction = decision.action.type === 'drop' ? decision.action : { type: 'forward-text', text: rewritten };
  return { ...decision, action, record: { ...decision.record, detail: { ...decision.record.detail, serverId: message.id } } };
}

// (A forward is passed on as the decider made it: it is made for this answer, and holds nothing else.)
function rewrite(action: { type: 'forward' } | { type: 'rewrite'; text: string }): ServerAction {
  return action.type === 'rewrite' ? { type: 'forward-text', text: action.text } : action;
}

function decideFor(pending: PendingClientRequest, text: FrameText, state: SessionState, policy: CompiledPolicy, inspection: ServerInspection): ServerDecision {
  const { scanDefinition: scan, pins, scanResult } = inspection;
  const id = pending.id;
  if (definitionListFor(pending.method) !== undefined) {
    const list = decideDefinitionList(pending.method, text.text(), id, policy, state, scan, pins, pending.firstPage ?? true);
    return { action: rewrite(list.action), record: list.record, answers: pending };
  }
  if (pending.method === 'tools/list') {
    const list = decideToolList(text.text(), id, policy, state, scan, pins, pending.firstPage ?? true);
    return { action: rewrite(list.action), record: list.record, answers: pending };
  }
  if (scan && INSTRUCTION_ANSWERS.has(pending.method)) {
    const decision = decideInstructions(text.text(), id, pending.method, policy, scan);
    return { action: rewrite(decision.action), record: decision.record, answers: pending };
  }
  if (scanResult && SCANNED_RESULTS.has(pending.method)) {
    // (Made as a server decision: most answers are results, passed on as decided.)
    return decideResult(text.text(), id, pending, policy, scanResult, text);
  }
  return { action: { type: 'forward' }, record: { direction: 'server', method: pending.method, id, tool: pending.tool, verdict: 'forward', rules: [] }, answers: pending };
}

// The answer text with its top-level id replaced by the client's, key order kept. Nested
// duplicate keys collapse to the last, as JSON.parse (which the decision read) keeps them.
function withClientId(text: string, pending: PendingClientRequest): string {
  const parsed = parseStrict(text, { rejectDuplicateKeys: false });
  if (parsed.ok && isObject(parsed.value)) {
    parsed.value.id = pending.id;
    return serializeStrict(parsed.value);
  }
  const reason = `Vanguard withheld the server's answer: it could not be read safely (${parsed.ok ? 'not an object' : parsed.message})`;
  return serializeStrict(errorResponse(pending.id, JsonRpcCode.internalError, reason));
}
