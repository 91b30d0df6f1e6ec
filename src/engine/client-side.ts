/**
 * Decisions on messages from the client, one JSON-RPC message at a time. Anything not
 * understood is refused, never forwarded (invariant 7).
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { errorResponse } from '../protocol/answers.js';
import { modernVersionOf } from '../protocol/era.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { idKey, isObject, type Classified, type RequestId } from '../protocol/jsonrpc.js';
import { SESSION_LIMITS, type BatchGroup, type SessionState } from './session.js';
import { hiddenEntryOf, unknownEntryAnswer } from './hidden-entries.js';
import { decideChannelRequest, decideClientAnswer } from './channel-arguments.js';
import { callBeforeList, holdCall, isOwnId } from './list-fetch.js';
import type { InspectFunction } from './tool-call.js';
import { decideAskedCall } from './asked-call.js';
import { noteApproved } from './tool-flow.js';
import type { Output } from './outcome.js';
import { answerQuestion, approvalsOf, cancelHeld, isHeldCall, supportsFormElicitation, type ApprovalDecision } from '../approval/index.js';

/** What to do with one client message. `forward` sends the message's own text or bytes. */
export type ClientAction =
  | { type: 'forward' }
  | { type: 'forward-text'; text: string }
  | { type: 'answer'; message: Record<string, unknown> }
  /** Not forwarded, not answered: the shim writes these frames of its own (the approval question, or its withdrawal). */
  | { type: 'emit'; outputs: Output[] }
  | { type: 'drop' };

export interface ClientDecision {
  action: ClientAction;
  record: Omit<DecisionRecord, 'decisionUs'>;
}

// An approval decision as a client decision: a held call emits the question and waits. Any
// other is one already (its action and record read alike): most calls, passed on as they are.
function fromApproval(decision: ApprovalDecision): ClientDecision {
  const action = decision.action;
  if (action.type !== 'hold') return decision as ClientDecision;
  return { action: { type: 'emit', outputs: action.outputs }, record: decision.record };
}

function cancelledRequestId(params: Record<string, unknown> | undefined): RequestId | undefined {
  const requestId = params?.requestId;
  return typeof requestId === 'string' || typeof requestId === 'number' ? requestId : undefined;
}

function refuse(id: RequestId | null, code: number, message: string, rule: string, method?: string): ClientDecision {
  return {
    action: { type: 'answer', message: errorResponse(id, code, message) },
    record: { direction: 'client', method, id, verdict: 'block', rules: [rule], reason: message },
  };
}

/**
 * Decide on one classified client message and update the session. `batch` is set when
 * the message came inside a batch, so the server's answer can be gathered into it.
 */
export function decideClientMessage(
  message: Classified,
  state: SessionState,
  policy: CompiledPolicy,
  batch?: BatchGroup,
  inspect?: InspectFunction,
  listsFirst = false,
  nowUs = 0,
  putUs?: () => number,
): ClientDecision {
  switch (message.kind) {
    case 'invalid':
      return refuse(message.id, JsonRpcCode.invalidRequest, `Invalid Request: ${message.reason}`, 'protocol.invalid');
    case 'notification': {
      const base = { direction: 'client' as const, method: message.method };
      // A tools/call without an id expects no answer, but a lax server might still run
      // it; it is never forwarded unchecked.
      if (message.method === 'tools/call') {
        const reason = 'a tools/call without an id (a notification) is not forwarded';
        return { action: { type: 'drop' }, record: { ...base, verdict: 'drop', rules: ['protocol.call-without-id'], reason } };
      }
      if (message.method === 'notifications/cancelled') {
        const target = cancelledRequestId(message.params);
        if (target !== undefined) {
          const key = idKey(target);
          // The shim answered that request itself; the server never saw it (invariant 10).
          if (state.answeredLocally.has(key)) {
            return { action: { type: 'drop' }, record: { ...base, verdict: 'drop', rules: ['protocol.cancel-answered'], detail: { requestId: target } } };
          }
          // A call held for a person's approval: the server never saw it; the question is withdrawn.
          const withdrawn = cancelHeld(target, state);
          if (withdrawn) return { action: { type: 'emit', outputs: withdrawn.outputs }, record: withdrawn.records[0] ?? { ...base, verdict: 'drop', rules: ['approval.cancelled'] } };
          state.pendingClient.cancel(key);
        }
      }
      return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
    }
    case 'response': {
      // The answer to the shim's own question (an approval): never forwarded to the server.
      const approval = answerQuestion(message, state, policy);
      if (approval?.approved) noteApproved(approval.approved.ask, approval.approved.id, policy, state, nowUs, putUs);
      if (approval) return fromApproval(approval);
      const answered = message.id === null ? undefined : state.pendingServer.get(idKey(message.id));
      if (message.id !== null) state.pendingServer.delete(idKey(message.id));
      // The client's answer to a server request (a sampling result, what the user typed, roots) is inspected like arguments.
      const checked = answered && message.id !== null ? decideClientAnswer(message.id, answered.method, message.message, policy, inspect) : undefined;
      return checked ?? { action: { type: 'forward' }, record: { direction: 'client', id: message.id, verdict: 'forward', rules: [] } };
    }
    case 'request':
      return decideClientRequest(message, state, policy, batch, inspect, listsFirst, nowUs, putUs);
  }
}

function decideClientRequest(
  request: Extract<Classified, { kind: 'request' }>,
  state: SessionState,
  policy: CompiledPolicy,
  batch: BatchGroup | undefined,
  inspect: InspectFunction | undefined,
  listsFirst: boolean,
  nowUs: number,
  putUs: (() => number) | undefined,
): ClientDecision {
  const key = idKey(request.id);
  // A second request with an id still in flight would make the answers ambiguous: an
  // unfiltered tools/list could be taken for the other one.
  if (state.pendingClient.has(key) || isOwnId(state, request.id) || isHeldCall(state, request.id)) {
    return refuse(request.id, JsonRpcCode.invalidRequest, `Invalid Request: id ${JSON.stringify(request.id)} is already in use by a request in flight`, 'protocol.duplicate-id', request.method);
  }
  if (state.pendingClient.size >= SESSION_LIMITS.maxPendingClient) {
    return refuse(request.id, JsonRpcCode.internalError, 'Vanguard: too many requests in flight; retry later', 'limits.pending', request.method);
  }
  const modern = modernVersionOf(request.params) !== undefined;
  if (request.method === 'initialize') {
    state.era = 'legacy';
    approvalsOf(state).elicitation = supportsFormElicitation(isObject(request.params) ? request.params.capabilities : undefined);
  } else if (modern) state.era = 'modern';

  let decision: ClientDecision;
  const hiddenEntry = hiddenEntryOf(request.method, request.params, state);
  if (hiddenEntry) {
    const record = { direction: 'client' as const, method: request.method, id: request.id, rules: ['metadata.poisoning'], reason: `${hiddenEntry.key} is hidden for its definition` };
    decision =
      policy.mode === 'monitor'
        ? { action: { type: 'forward' }, record: { ...record, verdict: 'would-block' } }
        : { action: { type: 'answer', message: unknownEntryAnswer(request.id, hiddenEntry) }, record: { ...record, verdict: 'hide' } };
  } else if (request.method === 'tools/call' && listsFirst && callBeforeList(request, state, policy)) {
    decision = holdForList(request, state);
  } else if (request.method === 'tools/call') {
    decision = fromApproval(decideAskedCall(request, state, policy, inspect, batch !== undefined, nowUs, putUs));
  } else {
    decision = decideChannelRequest(request.id, request.method, request.params, request.message, policy, inspect) ?? {
      action: { type: 'forward' },
      record: { direction: 'client', method: request.method, id: request.id, verdict: 'forward', rules: [] },
    };
  }
  if (decision.action.type === 'answer') {
    state.answeredLocally.add(key);
  } else if (decision.action.type !== 'emit') {
    const tool = request.method === 'tools/call' && isObject(request.params) && typeof request.params.name === 'string' ? request.params.name : undefined;
    const firstPage = request.method.endsWith('/list') ? !(isObject(request.params) && request.params.cursor !== undefined) : undefined;
    // (The request is made only when it is not kept shared: see setRequest.)
    state.pendingClient.setRequest(key, request.id, request.method, tool, modern, batch, firstPage);
  }
  return decision;
}

// A call to a tool no listing has shown yet waits for the shim's own listing (list-fetch.ts).
function holdForList(request: Extract<Classified, { kind: 'request' }>, state: SessionState): ClientDecision {
  const base = { direction: 'client' as const, method: request.method, id: request.id, tool: String(request.params?.name) };
  const held = holdCall(request, state);
  if (held === false) {
    return refuse(request.id, JsonRpcCode.internalError, 'Vanguard: too many calls are waiting for the tool list; list the tools (tools/list) first, then call.', 'limits.held', request.method);
  }
  const record = { ...base, verdict: 'drop' as const, rules: ['tools.held-for-list'], reason: 'held until the shim has listed the tools' };
  return { action: held === undefined ? { type: 'drop' } : { type: 'forward-text', text: held }, record };
}
