/**
 * The hook between the engine and the session flow rules (src/flow): a tools/call the other
 * checks let through is labelled, checked against what the session did before, and then
 * refused, forwarded with a warning, or forwarded; a forwarded call's labels, and later its
 * result's, are put on the session. A call that is refused puts nothing: it did not happen.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { labelCall, type CallLabels, type LabelContext, type Labelled } from '../flow/call-labels.js';
import type { KindHints } from '../inspect/kinds.js';
import { decideFlow } from '../flow/decide.js';
import { labelResult } from '../flow/result-labels.js';
import { flowMemory, noteBurst, noteWritten, putLabel, writtenNamedBy, type FlowMemory } from '../flow/state.js';
import type { FlowDecision } from '../flow/types.js';
import { blockedToolError, blockedToolResult } from '../protocol/answers.js';
import { modernVersionOf } from '../protocol/era.js';
import { idKey, type RequestId, type RequestMessage } from '../protocol/jsonrpc.js';
import type { AskRequest } from '../approval/index.js';
import type { PendingClientRequest, SessionState } from './session.js';
import { annotationsOf } from './tool-annotations.js';
import { policyPaths } from './policy-paths.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';
import type { ToolCallDecision } from './tool-call.js';

// A tool's label context in one session, kept while every part of it is the same object it
// was made from (labelCall only reads it): a call used to make three objects and a closure.
interface KeptContext {
  context: LabelContext;
  memory: FlowMemory;
  paths: LabelContext['paths'];
  byPolicy: KindHints['byPolicy'];
  bySchema: KindHints['bySchema'];
}
// (A process has one session: see RecentWeakMap.)
const keptContexts = new RecentWeakMap<SessionState, Map<string, KeptContext>>();
/** Tools whose label context a session keeps, and the longest name kept. */
const CONTEXTS_KEPT = 1024;
const CONTEXT_NAME_CHARS = 256;

function labelContext(tool: string, policy: CompiledPolicy, state: SessionState, memory: FlowMemory): LabelContext {
  const paths = policyPaths(policy);
  const byPolicy = policy.inspection.overridesFor(tool).kinds;
  const bySchema = state.schemaKinds.get(tool);
  let kept = keptContexts.get(state);
  if (kept === undefined) keptContexts.set(state, (kept = new Map()));
  const known = kept.get(tool);
  if (known !== undefined && known.memory === memory && known.paths === paths && known.byPolicy === byPolicy && known.bySchema === bySchema) return known.context;
  const context: LabelContext = { paths, hints: { byPolicy, bySchema }, namesWritten: (command) => writtenNamedBy(memory, command) };
  if (tool.length <= CONTEXT_NAME_CHARS) {
    if (kept.size >= CONTEXTS_KEPT && !kept.has(tool)) kept.clear();
    kept.set(tool, { context, memory, paths, byPolicy, bySchema });
  }
  return context;
}

// The labels of one call: inferred, then the policy's own for its name.
function labelsOf(tool: string, args: unknown, policy: CompiledPolicy, state: SessionState, memory: FlowMemory): CallLabels {
  const found = labelCall(tool, args, annotationsOf(state, tool), labelContext(tool, policy, state, memory));
  // (Index loops here and below: most calls have no label, and make no iterator to find none.)
  const policyLabels = policy.flow.policyLabels(tool);
  if (policyLabels.length === 0) return found;
  // What labelCall returned is read only (often shared): the policy's labels go on copies.
  const labels = found.labels.slice();
  const resultLabels = found.resultLabels.slice();
  for (let i = 0; i < policyLabels.length; i++) {
    const label = policyLabels[i] as string;
    const why = `flow.labels gives "${tool}" this label`;
    if (!labels.some((l) => l.label === label)) labels.push({ label, why });
    if (label === 'untrusted-source' && !resultLabels.some((l) => l.label === label)) resultLabels.push({ label, why });
  }
  return { labels, resultLabels, writes: found.writes, commands: found.commands };
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

/**
 * Check a call the other checks let through (or put to a person) against the session's flow;
 * note it when it goes on. A flow rule that says `ask` hands the call to src/approval; an
 * asked call's labels travel with the question and are put on the session only when it is
 * approved and sent (noteApproved), so a declined call leaves no trace in the flow.
 */
/**
 * `nowUs` is the clock at the call's arrival, which the rules are checked at (the earliest
 * reading: a window is never found shorter than it is); `putUs`, read once the call is decided,
 * is when its labels go on the session. A client decides how long its call takes to inspect
 * (it can pad its arguments), and that time must not count against a later call's window.
 */
export function applyFlow(decision: ToolCallDecision, request: RequestMessage, policy: CompiledPolicy, state: SessionState, nowUs: number, putUs?: () => number): ToolCallDecision {
  const action = decision.action;
  if (!policy.flow.active || action.type === 'answer') return decision;
  const tool = request.params?.name;
  if (typeof tool !== 'string') return decision;
  const memory = flowMemory(state);
  const found = labelsOf(tool, request.params?.arguments, policy, state, memory);
  const flow = decideFlow(policy.flow, memory, found.labels, nowUs);
  if (flow?.action === 'block') return refused(decision, request, policy, flow, flow.reason);
  let out = decision;
  if (flow?.action === 'ask') out = asked(decision, request, tool, flow, action.text);
  else if (flow?.action === 'warn') out = { ...decision, record: { ...decision.record, rules: [...decision.record.rules, flow.rule], reason: flow.reason, detail: { ...decision.record.detail, flow: flow.detail } } };
  else if (found.labels.length > 0) out = { ...decision, record: { ...decision.record, detail: { ...decision.record.detail, flow: { labels: found.labels.map((l) => l.label) } } } };
  if (out.action.type === 'forward-text') noteCall(found, tool, request.id, policy, state, memory, nowUs, putUs);
  else if (out.action.type === 'ask') out = { ...out, action: { ...out.action, ask: { ...out.action.ask, flowLabels: found } } };
  return out;
}

// A flow rule asks: the call waits for a person (a call another rule already asks about keeps that question, with the flow rule noted).
function asked(decision: ToolCallDecision, request: RequestMessage, tool: string, flow: FlowDecision, text: string): ToolCallDecision {
  const record = { ...decision.record, detail: { ...decision.record.detail, flow: flow.detail } };
  if (decision.action.type === 'ask') return { action: decision.action, record: { ...record, rules: [...record.rules, flow.rule] } };
  const ask = { tool, args: request.params?.arguments, ruleId: flow.rule, reason: flow.reason };
  return { action: { type: 'ask', text, ask }, record: { ...record, verdict: 'drop', rules: [flow.rule, ...record.rules], reason: flow.reason } };
}

/** An asked call was approved and goes to the server now: its flow labels go on the session. */
export function noteApproved(ask: AskRequest, id: RequestId, policy: CompiledPolicy, state: SessionState, nowUs: number, putUs?: () => number): void {
  if (!policy.flow.active || ask.flowLabels === undefined) return;
  noteCall(ask.flowLabels, ask.tool, id, policy, state, flowMemory(state), nowUs, putUs);
}

// When a decided call's labels go on the session: a reading taken now, never before the arrival's.
function labelTime(nowUs: number, putUs: (() => number) | undefined): number {
  return putUs === undefined ? nowUs : Math.max(nowUs, putUs());
}

// The call goes on: its labels are on the session from now.
function noteCall(found: CallLabels, tool: string, id: RequestId, policy: CompiledPolicy, state: SessionState, memory: FlowMemory, arrivedUs: number, putUs: (() => number) | undefined): void {
  // The clock is read only for a call that puts labels (most put none).
  const nowUs = found.labels.length > 0 ? labelTime(arrivedUs, putUs) : arrivedUs;
  for (let i = 0; i < found.labels.length; i++) {
    const { label, why } = found.labels[i] as Labelled;
    putLabel(memory, { label, tool, source: 'call', atUs: nowUs, why });
  }
  noteWritten(memory, found.writes);
  const burst = policy.flow.burst;
  if (burst && carriesAny(found.labels, burst.labels)) noteBurst(memory, nowUs, burst.max);
  // Fail closed: a result whose call cannot be remembered could carry anything.
  // (What the result will label is kept with the call in flight: src/engine/pending-requests.ts.)
  if (!state.pendingClient.expectResult(idKey(id), tool, found.resultLabels)) memory.full = true;
}

// Whether any of the call's labels is one of `labels` (a loop: most calls carry none, and make no closure to find so).
function carriesAny(found: readonly Labelled[], labels: ReadonlySet<string>): boolean {
  for (let i = 0; i < found.length; i++) if (labels.has((found[i] as Labelled).label)) return true;
  return false;
}

/**
 * Put the labels of a decided tools/call result on the session (`pending`: the call it answers,
 * no longer in flight); returns the record with them
 * noted. They are put at a reading of the clock taken once the result is decided (only when it
 * puts any): not at the frame's arrival, for the server decides how long its answer takes to
 * read, and that time must not count against a rule's window before the client has the result.
 */
export function noteResult(state: SessionState, policy: CompiledPolicy, pending: PendingClientRequest, record: Omit<DecisionRecord, 'decisionUs'>, clock: { nowUs?(): number }): Omit<DecisionRecord, 'decisionUs'> {
  // (What the call led its result to expect went with the request, which the answer took.)
  const expected = pending.expected;
  if (!policy.flow.active || expected === undefined) return record;
  const labels = labelResult(expected.labels, record);
  if (labels.length === 0) return record;
  const memory = flowMemory(state);
  const nowUs = clock.nowUs?.() ?? 0;
  for (let i = 0; i < labels.length; i++) {
    const { label, why } = labels[i] as Labelled;
    putLabel(memory, { label, tool: expected.tool, source: 'result', atUs: nowUs, why });
  }
  return { ...record, detail: { ...record.detail, flow: { labels: labels.map((l) => l.label) } } };
}
