/**
 * The one entry point for a decision that says `ask` (a tool action, a constraint, a flow
 * rule): the call is forwarded only with a person's approval. Which way the person is asked
 * depends on the session: a 2026-07-28 client with elicitation gets an input_required
 * answer; a legacy client that declared elicitation gets an elicitation/create while the call
 * is held; any other client is refused with a code for `vanguard approve`. In monitor mode
 * the question is only logged.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { modernVersionOf } from '../protocol/era.js';
import { idKey, isObject, type RequestMessage } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { SessionState } from '../engine/session.js';
import { approvalCode, bindingOf, sameBinding } from './binding.js';
import { questionParams, redactedArguments, supportsFormElicitation, type Answer } from './elicitation.js';
import { approvalRefusal, notApprovedText, outOfBandText } from './refusals.js';
import { issueState } from './request-state.js';
import { approvalsOf, MAX_OPEN_QUESTIONS, rememberCode, type ApprovalSession } from './session.js';
import type { ApprovalDecision, AskRequest, Binding } from './types.js';

/** The key of the shim's entry in inputRequests / inputResponses. */
export const INPUT_KEY = 'vanguard-approval';
/** The ids of the shim's own questions to the client start with this. */
export const QUESTION_ID_PREFIX = 'vanguard-approval-';
const CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';

export interface AskInput {
  request: RequestMessage;
  ask: AskRequest;
  /** The checked call, as it goes to the server once approved. */
  text: string;
  state: SessionState;
  policy: CompiledPolicy;
  /** The call came in a batch (2025-03-26): it is not held; the out-of-band way applies. */
  inBatch?: boolean;
  /** What the person answered on a 2026-07-28 retry (see readRetry). */
  answered?: Answer;
}

/** Decide on an asked call: forward it (approved), answer it (refused, or input_required), or hold it (asked). */
export function requestApproval(input: AskInput): ApprovalDecision {
  const { request, ask, policy, state } = input;
  const session = approvalsOf(state);
  const modern = modernVersionOf(request.params) !== undefined;
  const base = { direction: 'client' as const, method: request.method, id: request.id, tool: ask.tool, args: ask.args };
  const forward = (rule: string, detail?: Record<string, unknown>): ApprovalDecision => ({
    action: { type: 'forward-text', text: input.text },
    record: { ...base, verdict: 'forward', rules: [rule, ask.ruleId], reason: ask.reason, ...(detail && { detail }) },
    approved: { id: request.id, ask },
  });
  const refuse = (rule: string, text: string, detail?: Record<string, unknown>): ApprovalDecision => {
    state.answeredLocally.add(idKey(request.id));
    return { action: { type: 'answer', message: approvalRefusal(request.id, ask.tool, ask.ruleId, text, modern, policy.onBlock) }, record: { ...base, verdict: 'block', rules: [rule, ask.ruleId], reason: text, ...(detail && { detail }) } };
  };

  if (policy.mode === 'monitor') {
    return { action: { type: 'forward-text', text: input.text }, record: { ...base, verdict: 'would-block', rules: ['approval.ask', ask.ruleId], reason: `would have asked a person: ${ask.reason}` }, approved: { id: request.id, ask } };
  }
  if (input.answered) {
    if (!input.answered.approved) return refuse('approval.declined', notApprovedText(ask.tool, ask.ruleId, input.answered.why), { via: 'input-required' });
    if (input.answered.remember) session.remembered.add(ask.tool);
    return forward('approval.approved', { via: 'input-required', remember: input.answered.remember });
  }
  if (session.remembered.has(ask.tool)) return forward('approval.remembered');
  const edge = session.edge;
  if (!edge) return refuse('approval.unavailable', notApprovedText(ask.tool, ask.ruleId, 'this session has no way to ask one', ask.reason));
  const binding = bindingOf(edge.serverName, ask.tool, ask.args);
  const granted = takeOutOfBand(session, binding, edge.nowMs());
  if (granted) return forward('approval.out-of-band', granted);

  const meta = isObject(request.params?._meta) ? request.params._meta : undefined;
  const canElicit = modern ? supportsFormElicitation(meta?.[CAPABILITIES_KEY]) : session.elicitation;
  const shown = redactedArguments(ask.args, policy.audit.redactKeys);
  if (canElicit && modern) {
    const expires = edge.nowMs() + policy.approval.timeoutMs;
    const requestState = issueState(edge.key, binding, expires, ++session.counter);
    const result = { resultType: 'input_required', inputRequests: { [INPUT_KEY]: { method: 'elicitation/create', params: questionParams(edge.serverName, ask, shown) } }, requestState };
    state.answeredLocally.add(idKey(request.id));
    return { action: { type: 'answer', message: { jsonrpc: '2.0', id: request.id, result } }, record: { ...base, verdict: 'drop', rules: ['approval.asked', ask.ruleId], reason: ask.reason, detail: { via: 'input-required', expiresInMs: policy.approval.timeoutMs } } };
  }
  if (canElicit && !input.inBatch) {
    if (session.held.size >= MAX_OPEN_QUESTIONS) return refuse('approval.too-many', notApprovedText(ask.tool, ask.ruleId, 'too many approval questions are open already; retry later', ask.reason));
    const questionId = newQuestionId(session, state);
    session.held.set(questionId, { questionId, request, text: input.text, ask, deadlineMs: edge.nowMs() + policy.approval.timeoutMs });
    session.byCall.set(idKey(request.id), questionId);
    const question = serializeStrict({ jsonrpc: '2.0', id: questionId, method: 'elicitation/create', params: questionParams(edge.serverName, ask, shown) });
    return { action: { type: 'hold', outputs: [{ to: 'client', data: question }] }, record: { ...base, verdict: 'drop', rules: ['approval.asked', ask.ruleId], reason: ask.reason, detail: { via: 'elicitation', question: questionId, timeoutMs: policy.approval.timeoutMs } } };
  }
  return offerCode(input, session, binding, shown, refuse);
}

// An approval given with `vanguard approve` for a code this session offered for exactly this call.
function takeOutOfBand(session: ApprovalSession, binding: Binding, nowMs: number): Record<string, unknown> | undefined {
  const store = session.edge?.store;
  if (!store) return undefined;
  for (const [code, offered] of session.offered) {
    if (!sameBinding(offered, binding)) continue;
    let granted;
    try {
      granted = store.consume(code, binding, nowMs);
    } catch {
      granted = undefined;
    }
    if (!granted) continue;
    session.offered.delete(code);
    return { via: 'out-of-band', code, approvedAt: new Date(granted.approvedAtMs).toISOString() };
  }
  return undefined;
}

// Refuse with a code the user can approve out of band (the same code while it is pending).
function offerCode(input: AskInput, session: ApprovalSession, binding: Binding, shown: unknown, refuse: (rule: string, text: string, detail?: Record<string, unknown>) => ApprovalDecision): ApprovalDecision {
  const { ask, policy } = input;
  const edge = session.edge;
  if (!edge?.store) return refuse('approval.unavailable', notApprovedText(ask.tool, ask.ruleId, 'this client cannot show a question and no approval folder is available', ask.reason));
  const now = edge.nowMs();
  const code = [...session.offered].find(([, b]) => sameBinding(b, binding))?.[0] ?? approvalCode(edge.key, binding, ++session.counter);
  rememberCode(session, code, binding, now + policy.approval.ttlMs);
  try {
    edge.store.offer({ ...binding, code, args: shown, reason: ask.reason, rule: ask.ruleId, createdAtMs: now, expiresAtMs: now + policy.approval.ttlMs, ttlMs: policy.approval.ttlMs });
  } catch (error) {
    session.offered.delete(code);
    return refuse('approval.unavailable', notApprovedText(ask.tool, ask.ruleId, `the approval code could not be recorded (${error instanceof Error ? error.message : String(error)})`, ask.reason));
  }
  return refuse('approval.code', outOfBandText(ask.tool, ask.ruleId, ask.reason, code, policy.approval.ttlMs), { via: 'out-of-band', code });
}

// An id no server request in flight uses (the client sees both in one space) and no open question uses.
function newQuestionId(session: ApprovalSession, state: SessionState): string {
  let id: string;
  do id = `${QUESTION_ID_PREFIX}${++session.counter}`;
  while (state.pendingServer.has(idKey(id)) || session.held.has(id));
  return id;
}
