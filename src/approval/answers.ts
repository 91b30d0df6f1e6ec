/**
 * What becomes of a held call: the client's answer to the shim's question forwards or
 * refuses it; a cancel from the client withdraws the question; a deadline passed (the edge
 * calls expire with its clock) or a server gone refuses it. Every end is audited.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { idKey, type RequestId, type ResponseMessage } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { SessionState } from '../engine/session.js';
import { formatWait } from '../limits/parse.js';
import { readAnswer } from './elicitation.js';
import { approvalRefusal, notApprovedText } from './refusals.js';
import { approvalsOf, type HeldCall } from './session.js';
import type { ApprovalDecision, ApprovalEvents } from './types.js';

function release(state: SessionState, held: HeldCall): void {
  const session = approvalsOf(state);
  session.held.delete(held.questionId);
  session.byCall.delete(idKey(held.request.id));
}

function baseOf(held: HeldCall) {
  return { direction: 'client' as const, method: 'tools/call', id: held.request.id, tool: held.ask.tool, args: held.ask.args };
}

// The question is withdrawn from the client (its dialog can close).
function withdraw(questionId: string, reason: string): string {
  return serializeStrict({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: questionId, reason } });
}

/** The client's answer to one of the shim's questions: the held call forwarded or refused. Undefined for any other answer. */
export function answerQuestion(message: ResponseMessage, state: SessionState, policy: CompiledPolicy): ApprovalDecision | undefined {
  if (message.id === null) return undefined;
  const session = approvalsOf(state);
  const key = idKey(message.id);
  const held = [...session.held.values()].find((h) => idKey(h.questionId) === key);
  if (!held) return undefined;
  release(state, held);
  const answer = readAnswer(message.message.result, message.message.error);
  const base = baseOf(held);
  const detail = { via: 'elicitation', question: held.questionId };
  if (answer.approved) {
    if (answer.remember) session.remembered.add(held.ask.tool);
    state.pendingClient.set(idKey(held.request.id), { id: held.request.id, method: 'tools/call', tool: held.ask.tool, modern: false, cancelled: false });
    return { action: { type: 'forward-text', text: held.text }, record: { ...base, verdict: 'forward', rules: ['approval.approved', held.ask.ruleId], reason: held.ask.reason, detail: { ...detail, remember: answer.remember } }, approved: { id: held.request.id, ask: held.ask } };
  }
  const text = notApprovedText(held.ask.tool, held.ask.ruleId, answer.why);
  state.answeredLocally.add(idKey(held.request.id));
  return {
    action: { type: 'answer', message: approvalRefusal(held.request.id, held.ask.tool, held.ask.ruleId, text, false, policy.onBlock) },
    record: { ...base, verdict: 'block', rules: ['approval.declined', held.ask.ruleId], reason: answer.why, detail },
  };
}

/** The client cancelled a held call: the question is withdrawn, nothing is answered. Undefined when the id is not held. */
export function cancelHeld(requestId: RequestId, state: SessionState): ApprovalEvents | undefined {
  const session = approvalsOf(state);
  const questionId = session.byCall.get(idKey(requestId));
  const held = questionId === undefined ? undefined : session.held.get(questionId);
  if (!held) return undefined;
  release(state, held);
  state.answeredLocally.add(idKey(requestId));
  return {
    outputs: [{ to: 'client', data: withdraw(held.questionId, 'the client cancelled the call') }],
    records: [{ ...baseOf(held), verdict: 'drop', rules: ['approval.cancelled', held.ask.ruleId], reason: 'the client cancelled the call while approval was asked', detail: { question: held.questionId } }],
  };
}

/** Refuse every held call whose question is past its deadline at `nowMs`. */
export function expireHeld(state: SessionState, policy: CompiledPolicy, nowMs: number): ApprovalEvents {
  const events: ApprovalEvents = { outputs: [], records: [] };
  for (const held of [...approvalsOf(state).held.values()]) {
    if (held.deadlineMs > nowMs) continue;
    release(state, held);
    const why = `nobody answered the approval question within ${formatWait(policy.approval.timeoutMs)}`;
    const text = notApprovedText(held.ask.tool, held.ask.ruleId, why);
    state.answeredLocally.add(idKey(held.request.id));
    events.outputs.push({ to: 'client', data: withdraw(held.questionId, 'no answer in time') });
    events.outputs.push({ to: 'client', data: serializeStrict(approvalRefusal(held.request.id, held.ask.tool, held.ask.ruleId, text, false, policy.onBlock)) });
    events.records.push({ ...baseOf(held), verdict: 'block', rules: ['approval.timeout', held.ask.ruleId], reason: why, detail: { question: held.questionId } });
  }
  return events;
}

/** The server is gone: every held call is answered with an error (invariant 6). */
export function failHeld(state: SessionState, reason: string): ApprovalEvents {
  const events: ApprovalEvents = { outputs: [], records: [] };
  for (const held of [...approvalsOf(state).held.values()]) {
    release(state, held);
    state.answeredLocally.add(idKey(held.request.id));
    events.outputs.push({ to: 'client', data: withdraw(held.questionId, 'the server is gone') });
    events.outputs.push({ to: 'client', data: serializeStrict(errorResponse(held.request.id, JsonRpcCode.connectionClosed, `MCP server ${reason} before answering`)) });
    events.records.push({ ...baseOf(held), verdict: 'block', rules: ['server.gone'], reason, detail: { question: held.questionId } });
  }
  return events;
}
