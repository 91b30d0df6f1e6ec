/**
 * A tools/call decided with approval in the loop: a retry of the shim's own approval
 * question is read first (its requestState checked, its entries taken out), then the call
 * is decided as usual, and a decision that says `ask` goes to src/approval. Used for calls
 * decided at once and for calls released after the shim's own listing alike.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import type { RequestMessage } from '../protocol/jsonrpc.js';
import { readRetry, requestApproval, type ApprovalDecision } from '../approval/index.js';
import type { SessionState } from './session.js';
import { decideToolCall, type InspectFunction } from './tool-call.js';
import { noteApproved } from './tool-flow.js';

/** Decide on one tools/call: forward (text), answer, or hold while a person is asked. */
export function decideAskedCall(request: RequestMessage, state: SessionState, policy: CompiledPolicy, inspect: InspectFunction | undefined, inBatch: boolean, nowUs: number, putUs?: () => number): ApprovalDecision {
  const retry = readRetry(request, state, policy);
  if (retry.kind === 'refused') return retry.decision;
  const call = retry.kind === 'answered' ? retry.request : request;
  const decided = decideToolCall(call, policy, state, inspect, nowUs, putUs);
  const action = decided.action;
  // A call forwarded or answered is an approval decision as it is (the same action and record).
  if (action.type !== 'ask') return decided as ApprovalDecision;
  const asked = requestApproval({ request: call, ask: action.ask, text: action.text, state, policy, inBatch, ...(retry.kind === 'answered' && { answered: retry.answer }) });
  if (asked.approved) noteApproved(asked.approved.ask, asked.approved.id, policy, state, nowUs, putUs);
  // What the checks found (warnings, the facts policy learn reads) stays on the record.
  const found = decided.record.detail;
  return found === undefined ? asked : { ...asked, record: { ...asked.record, detail: { ...found, ...asked.record.detail } } };
}
