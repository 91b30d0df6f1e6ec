/**
 * The retry of a 2026-07-28 call answered with input_required: a new id, the person's answer
 * in `inputResponses`, and the `requestState` the shim issued. The state is checked (issued
 * here, for this tool and these arguments, not expired, not used before); the shim's entries
 * are taken out, so the server sees the call as the client first made it.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { idKey, isObject, type RequestMessage } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { SessionState } from '../engine/session.js';
import { INPUT_KEY } from './ask.js';
import { bindingOf } from './binding.js';
import { readAnswer, type Answer } from './elicitation.js';
import { approvalRefusal } from './refusals.js';
import { checkState, isShimState } from './request-state.js';
import { approvalsOf } from './session.js';
import type { ApprovalDecision } from './types.js';

export type RetryRead =
  /** Not a retry of the shim's question (no state, or the server's own). */
  | { kind: 'none' }
  /** A forged, edited, expired or reused state: refused. */
  | { kind: 'refused'; decision: ApprovalDecision }
  /** The call without the shim's entries, and what the person answered. */
  | { kind: 'answered'; request: RequestMessage; answer: Answer };

// What most calls read as: one frozen object (the reader only looks at its kind).
const NOT_A_RETRY: RetryRead = Object.freeze({ kind: 'none' as const });

/** Read a tools/call for a retry of the shim's question. */
export function readRetry(request: RequestMessage, state: SessionState, policy: CompiledPolicy): RetryRead {
  const params = request.params;
  if (!params || !isShimState(params.requestState)) return NOT_A_RETRY;
  const tool = typeof params.name === 'string' ? params.name : '';
  const session = approvalsOf(state);
  const edge = session.edge;
  const stripped = strip(request);
  let why: string | undefined;
  if (!edge) why = 'this session issued no requestState';
  else {
    const check = checkState(edge.key, params.requestState, bindingOf(edge.serverName, tool, params.arguments), edge.nowMs());
    if (!check.ok) why = check.why;
    else if (session.usedNonces.has(check.nonce)) why = 'the requestState was already used';
    else session.usedNonces.add(check.nonce);
  }
  if (why === undefined) {
    const responses = isObject(params.inputResponses) ? params.inputResponses : undefined;
    return { kind: 'answered', request: stripped, answer: readAnswer(responses?.[INPUT_KEY]) };
  }
  const base = { direction: 'client' as const, method: request.method, id: request.id, tool, args: params.arguments };
  if (policy.mode === 'monitor') {
    return { kind: 'refused', decision: { action: { type: 'forward-text', text: serializeStrict(stripped.message) }, record: { ...base, verdict: 'would-block', rules: ['approval.state'], reason: why } } };
  }
  const text = `Vanguard refused this call (rule approval.state): ${why}. Call the tool again without requestState to be asked anew.`;
  state.answeredLocally.add(idKey(request.id));
  return {
    kind: 'refused',
    decision: { action: { type: 'answer', message: approvalRefusal(request.id, tool, 'approval.state', text, true, policy.onBlock) }, record: { ...base, verdict: 'block', rules: ['approval.state'], reason: why } },
  };
}

// The call as first made: without the shim's requestState and its inputResponses entry.
function strip(request: RequestMessage): RequestMessage {
  const { requestState: _state, inputResponses, ...rest } = request.params ?? {};
  const others = isObject(inputResponses) ? Object.fromEntries(Object.entries(inputResponses).filter(([k]) => k !== INPUT_KEY)) : undefined;
  const params = { ...rest, ...(others && Object.keys(others).length > 0 && { inputResponses: others }) };
  return { ...request, params, message: { ...request.message, params } };
}
