/**
 * The hook between the engine and the session flow rules (src/flow): a tools/call the other
 * checks let through is labelled, checked against what the session did before, and then
 * refused, forwarded with a warning, or forwarded; a forwarded call's labels, and later its
 * result's, are put on the session. A call that is refused puts nothing: it did not happen.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { labelCall, type CallLabels } from '../flow/call-labels.js';
import { approvalRequired, decideFlow } from '../flow/decide.js';
import { labelResult } from '../flow/result-labels.js';
import { expectResult, flowMemory, noteBurst, noteWritten, putLabel, writtenNamedBy } from '../flow/state.js';
import type { FlowDecision } from '../flow/types.js';
import { blockedToolError, blockedToolResult } from '../protocol/answers.js';
import { modernVersionOf } from '../protocol/era.js';
import { idKey, type RequestMessage } from '../protocol/jsonrpc.js';
import type { SessionState } from './session.js';
import { annotationsOf } from './tool-annotations.js';
import type { ToolCallDecision } from './tool-call.js';

// The labels of one call: inferred, then the policy's own for its name.
function labelsOf(tool: string, args: unknown, policy: CompiledPolicy, state: SessionState): CallLabels {
  const memory = flowMemory(state);
  const overrides = policy.inspection.overridesFor(tool);
  const found = labelCall(tool, args, annotationsOf(state, tool), {
    paths: { ...policy.inspection.paths, home: policy.constraints.home },
    hints: { byPolicy: overrides.kinds, bySchema: state.schemaKinds.get(tool) },
    namesWritten: (command) => writtenNamedBy(memory, command),
  });
  for (const label of policy.flow.policyLabels(tool)) {
    const why = `flow.labels gives "${tool}" this label`;
    if (!found.labels.some((l) => l.label === label)) found.labels.push({ label, why });
    if (label === 'untrusted-source' && !found.resultLabels.some((l) => l.label === label)) found.resultLabels.push({ label, why });
  }
  return found;
}

// A refusal the model can act on, or (monitor mode) the call forwarded and the refusal noted.
function refused(decision: ToolCallDecision, request: RequestMessage, policy: CompiledPolicy, flow: FlowDecision, reason: string): ToolCallDecision {
  const record = { ...decision.record, rules: [flow.rule], reason, detail: { ...decision.record.detail, flow: flow.detail } };
  if (policy.mode === 'monitor') return { action: decision.action, record: { ...record, verdict: 'would-block' } };
  const refusal = { tool: String(request.params?.name), ruleId: flow.rule, reason };
  const modern = modernVersionOf(request.params) !== undefined;
  const message = policy.onBlock === 'error' ? blockedToolError(request.id, refusal) : blockedToolResult(request.id, refusal, modern);
  return { action: { type: 'answer', message }, record: { ...record, verdict: 'block' } };
}

/** Check a call the other checks let through against the session's flow; note it when it goes on. */
export function applyFlow(decision: ToolCallDecision, request: RequestMessage, policy: CompiledPolicy, state: SessionState, nowUs: number): ToolCallDecision {
  if (!policy.flow.active || decision.action.type !== 'forward') return decision;
  const tool = request.params?.name;
  if (typeof tool !== 'string') return decision;
  const memory = flowMemory(state);
  const found = labelsOf(tool, request.params?.arguments, policy, state);
  const labels = found.labels.map((l) => l.label);
  const flow = decideFlow(policy.flow, memory, found.labels, nowUs);
  let out = decision;
  if (flow?.action === 'block') out = refused(decision, request, policy, flow, flow.reason);
  // ask: until approvals are built (issue 11, `ask`), an asked sequence is refused with a reason saying approval is required.
  else if (flow?.action === 'ask') out = refused(decision, request, policy, flow, approvalRequired(flow));
  else if (flow?.action === 'warn') out = { ...decision, record: { ...decision.record, rules: [...decision.record.rules, flow.rule], reason: flow.reason, detail: { ...decision.record.detail, flow: flow.detail } } };
  else if (labels.length > 0) out = { ...decision, record: { ...decision.record, detail: { ...decision.record.detail, flow: { labels } } } };
  if (out.action.type === 'forward') noteCall(found, tool, request, policy, state, nowUs);
  return out;
}

// The call goes on: its labels are on the session from now.
function noteCall(found: CallLabels, tool: string, request: RequestMessage, policy: CompiledPolicy, state: SessionState, nowUs: number): void {
  const memory = flowMemory(state);
  for (const { label, why } of found.labels) putLabel(memory, { label, tool, source: 'call', atUs: nowUs, why });
  noteWritten(memory, found.writes);
  const burst = policy.flow.burst;
  if (burst && found.labels.some((l) => burst.labels.has(l.label))) noteBurst(memory, nowUs, burst.max);
  // Fail closed: a result whose call cannot be remembered could carry anything.
  if (!expectResult(memory, idKey(request.id), tool, found.resultLabels)) memory.full = true;
}

/** Put the labels of a decided tools/call result on the session; returns the record with them noted. */
export function noteResult(state: SessionState, policy: CompiledPolicy, key: string, record: Omit<DecisionRecord, 'decisionUs'>, nowUs: number): Omit<DecisionRecord, 'decisionUs'> {
  if (!policy.flow.active) return record;
  const memory = flowMemory(state);
  const expected = memory.pending.get(key);
  memory.pending.delete(key);
  if (expected === undefined) return record;
  const labels = labelResult(expected.labels, record);
  for (const { label, why } of labels) putLabel(memory, { label, tool: expected.tool, source: 'result', atUs: nowUs, why });
  if (labels.length === 0) return record;
  return { ...record, detail: { ...record.detail, flow: { labels: labels.map((l) => l.label) } } };
}
