/**
 * The decision on a client's tools/call: forward it re-serialised from the object that
 * was inspected (invariant 8), or answer it here: as an unknown tool when the policy
 * hides it (invariant 9), or as a refusal the model can act on (invariant 10).
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy, ToolVerdict } from '../config/policy-types.js';
import { blockedToolError, blockedToolResult, errorResponse, unknownToolResponse, type Refusal } from '../protocol/answers.js';
import { modernVersionOf } from '../protocol/era.js';
import { JsonRpcCode } from '../protocol/errors.js';
import type { RequestMessage } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { InspectionInput, InspectionResult } from '../inspect/inspect.js';
import type { KindHints } from '../inspect/kinds.js';
import { checkArguments } from '../inspect/schema-arguments.js';
import type { Finding } from '../inspect/types.js';
import type { SessionState } from './session.js';
import { mentionsApproval, type AskRequest } from '../approval/index.js';
import { annotationsOf } from './tool-annotations.js';
import { afterToolCall, limitDecision } from './tool-call-limits.js';
import { applyFlow } from './tool-flow.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

// A finding as the audit log keeps it (the evidence of secrets is already masked).
function describeFinding(f: Finding): Record<string, string> {
  return { rule: f.ruleId, category: f.category, severity: f.severity, path: f.path, evidence: f.evidence };
}

/**
 * Forward the inspected object, answer the client without the server, or ask a person first
 * (src/approval). (A forward reads as the client decision's and the approval's: most calls are
 * passed on as they are decided.)
 */
export type ToolCallAction =
  | { type: 'forward-text'; text: string }
  | { type: 'answer'; message: Record<string, unknown> }
  | { type: 'ask'; text: string; ask: AskRequest };

export interface ToolCallDecision {
  action: ToolCallAction;
  record: Omit<DecisionRecord, 'decisionUs'>;
}

/** Inspects a call's arguments (see src/inspect); absent, arguments are not inspected. */
export type InspectFunction = (input: InspectionInput) => InspectionResult;

/**
 * Decide on one tools/call request at `nowUs` (the engine's clock, for the flow rules; `putUs`,
 * read once it is decided, dates the labels it puts: see applyFlow).
 * Throws nothing: a failure while deciding blocks the call.
 */
export function decideToolCall(request: RequestMessage, policy: CompiledPolicy, state: SessionState, inspect: InspectFunction | undefined, nowUs: number, putUs?: () => number): ToolCallDecision {
  const name = request.params?.name;
  const limited = typeof name === 'string' && policy.callLimits.active ? policy.callLimits.admit(state, name) : undefined;
  const decision = limited && typeof name === 'string' ? limitDecision(request, policy, name, limited) : decideWithinLimits(request, policy, state, inspect);
  return afterToolCall(flowChecked(decision, request, policy, state, nowUs, putUs), policy, state);
}

// The flow rules see only calls every other check let through; like them, a failure refuses the call.
function flowChecked(decision: ToolCallDecision, request: RequestMessage, policy: CompiledPolicy, state: SessionState, nowUs: number, putUs: (() => number) | undefined): ToolCallDecision {
  try {
    return applyFlow(decision, request, policy, state, nowUs, putUs);
  } catch (error) {
    const reason = `internal error while checking the session flow: ${error instanceof Error ? error.message : String(error)}`;
    const refusal: Refusal = { tool: String(request.params?.name ?? ''), ruleId: 'engine.error', reason: 'the call could not be checked, so it was refused.' };
    const modern = modernVersionOf(request.params) !== undefined;
    return { action: { type: 'answer', message: blockedToolResult(request.id, refusal, modern) }, record: { ...decision.record, verdict: 'block', rules: ['engine.error'], reason } };
  }
}

// The record of a call every check let through: `{ ...withTool, verdict: 'forward', rules }`,
// the same keys in the same order, as one literal. Most calls end here, and a spread of a
// record costs more than all the rest of the decision around the inspection.
function passRecord(request: RequestMessage, tool: string, args: unknown, rules: string[]): ToolCallDecision['record'] {
  return { direction: 'client', method: request.method, id: request.id, tool, args, verdict: 'forward', rules };
}

// The fields a named call's records begin with, written out (see passRecord).
function withToolFields(request: RequestMessage, tool: string, args: unknown): Pick<DecisionRecord, 'direction' | 'method' | 'id' | 'tool' | 'args'> {
  return { direction: 'client', method: request.method, id: request.id, tool, args };
}

// Every refusal reads the same way: forwarded and noted in monitor mode, answered with a reason otherwise.
function refuseCall(request: RequestMessage, policy: CompiledPolicy, tool: string, args: unknown, forward: ToolCallAction, ruleIds: string[], reason: string, detail?: Record<string, unknown>): ToolCallDecision {
  const withTool = withToolFields(request, tool, args);
  if (policy.mode === 'monitor') return { action: forward, record: { ...withTool, verdict: 'would-block', rules: ruleIds, reason, detail } };
  const refusal: Refusal = { tool, ruleId: ruleIds[0] ?? 'engine.error', reason };
  const modern = modernVersionOf(request.params) !== undefined;
  const message = policy.onBlock === 'error' ? blockedToolError(request.id, refusal) : blockedToolResult(request.id, refusal, modern);
  return { action: { type: 'answer', message }, record: { ...withTool, verdict: 'block', rules: ruleIds, reason, detail } };
}

// A call every check let through: forwarded, or put to a person first when a rule asks.
function passCall(forward: ToolCallAction & { type: 'forward-text' }, asked: AskRequest | undefined, record: ToolCallDecision['record']): ToolCallDecision {
  if (!asked) return { action: forward, record };
  return { action: { type: 'ask', text: forward.text, ask: asked }, record: { ...record, verdict: 'drop', rules: [asked.ruleId, ...record.rules.filter((r) => r !== asked.ruleId)], reason: asked.reason } };
}

// The rules of a call its tool verdict lets through, made once per verdict (the policy keeps
// its verdicts) and frozen: every reader of a record's rules copies them to add to them.
// (Calls repeat their tool: see RecentWeakMap.)
const rulesByVerdict = new RecentWeakMap<ToolVerdict, string[]>();
function rulesOf(verdict: ToolVerdict): string[] {
  let rules = rulesByVerdict.get(verdict);
  if (rules === undefined) {
    rules = Object.freeze([verdict.pattern === undefined ? verdict.ruleId : `${verdict.ruleId}:${verdict.pattern}`]) as string[];
    rulesByVerdict.set(verdict, rules);
  }
  return rules;
}

// What a call hands the inspection, one object filled in again for each call: the inspection
// runs to its end within the call and keeps neither of them (its scratch lets go of the hints
// when the next reading starts), and the arguments are let go once it returns.
const inspectHints: { byPolicy: KindHints['byPolicy']; bySchema: KindHints['bySchema'] } = { byPolicy: undefined, bySchema: undefined };
const inspectInput: InspectionInput = { tool: '', args: undefined, exempt: new Set(), hints: inspectHints };

function inspectCall(inspect: InspectFunction, tool: string, args: unknown, overrides: ReturnType<CompiledPolicy['inspection']['overridesFor']>, bySchema: KindHints['bySchema']): InspectionResult {
  inspectInput.tool = tool;
  inspectInput.args = args;
  inspectInput.exempt = overrides.exempt;
  inspectHints.byPolicy = overrides.kinds;
  inspectHints.bySchema = bySchema;
  try {
    return inspect(inspectInput);
  } finally {
    inspectInput.args = undefined;
    inspectHints.byPolicy = undefined;
    inspectHints.bySchema = undefined;
  }
}

function decideWithinLimits(request: RequestMessage, policy: CompiledPolicy, state: SessionState, inspect?: InspectFunction): ToolCallDecision {
  try {
    const name = request.params?.name;
    if (typeof name !== 'string') {
      return {
        action: { type: 'answer', message: errorResponse(request.id, JsonRpcCode.invalidParams, 'tools/call needs params.name, a string') },
        record: { direction: 'client', method: request.method, id: request.id, verdict: 'block', rules: ['protocol.tool-name'], reason: 'params.name missing or not a string' },
      };
    }
    const args = request.params?.arguments;
    const verdict = policy.toolVerdict(name, annotationsOf(state, name));
    const refusedFor = verdict.visible ? state.refusedTools.get(name) : undefined;
    const rules = refusedFor ? [refusedFor] : rulesOf(verdict);
    // The frame as it came when it reads the same to every reader (the engine checked it,
    // and this is that very object), else the inspected object re-serialised (invariant 8).
    const asWritten = state.asWritten?.message === request.message ? state.asWritten.text : undefined;
    const forward = { type: 'forward-text' as const, text: asWritten ?? serializeStrict(request.message) };
    // Refusals and the pass are module functions (refuseCall, passCall): no closures per call.

    if (!verdict.visible || refusedFor) {
      const why = refusedFor ? `tool is hidden for its definition (${refusedFor})` : 'tool is hidden by policy';
      const withTool = withToolFields(request, name, args);
      if (policy.mode === 'monitor') return { action: forward, record: { ...withTool, verdict: 'would-block', rules, reason: why } };
      return {
        action: { type: 'answer', message: unknownToolResponse(request.id, name, modernVersionOf(request.params) !== undefined) },
        record: { ...withTool, verdict: 'hide', rules, reason: why },
      };
    }
    if (verdict.action === 'block') return refuseCall(request, policy, name, args, forward, rules, verdict.reason ?? `the tool "${name}" may not be called in this session.`);
    if (mentionsApproval(state, args)) return refuseCall(request, policy, name, args, forward, ['approval.self-approve'], 'the arguments mention a pending approval code or the approve command; only the user approves, in their own terminal.');
    // An asked call is still checked in full: what would be refused anyway is not put to a person.
    let asked: AskRequest | undefined = verdict.action === 'ask' ? { tool: name, args, ruleId: rules[0] ?? 'tools.actions', reason: verdict.reason ?? `the policy asks a person before "${name}" runs.` } : undefined;
    const schema = policy.validateArguments ? state.inputSchemas.get(name) : undefined;
    if (schema) {
      const check = checkArguments(schema, args);
      if (!check.ok) return refuseCall(request, policy, name, args, forward, ['schema.arguments'], `${check.message}. Call the tool with arguments that match its input schema.`);
    }
    const breach = policy.constraints.check(name, args);
    if (breach?.ask) asked ??= { tool: name, args, ruleId: breach.ruleId, reason: breach.reason };
    else if (breach) return refuseCall(request, policy, name, args, forward, [breach.ruleId], breach.reason);
    if (inspect) {
      const overrides = policy.inspection.overridesFor(name);
      const result = inspectCall(inspect, name, args, overrides, state.schemaKinds.get(name));
      const detail = result.findings.length > 0 ? { findings: result.findings.map(describeFinding) } : undefined;
      if (result.verdict === 'block') {
        const first = result.blocking[0];
        const ruleIds = result.blocking.length > 0 ? [...new Set(result.blocking.map((f) => f.ruleId))] : ['inspect.failure'];
        const reason = first
          ? `${first.message.trim().replace(/[.!?]$/, '')} (in argument "${first.path}").`
          : `the arguments could not be inspected: ${result.failure ?? 'unknown error'}; the call was refused.`;
        return refuseCall(request, policy, name, args, forward, ruleIds, reason, detail);
      }
      if (result.verdict === 'warn') {
        return passCall(forward, asked, { ...withToolFields(request, name, args), verdict: 'forward', rules: [...rules, ...new Set(result.findings.map((f) => f.ruleId))], detail });
      }
    }
    return passCall(forward, asked, passRecord(request, name, args, rules));
  } catch (error) {
    // Fail closed (invariant 7): whatever went wrong, the call does not reach the server.
    const reason = `internal error while deciding: ${error instanceof Error ? error.message : String(error)}`;
    const refusal: Refusal = { tool: String(request.params?.name ?? ''), ruleId: 'engine.error', reason: 'the call could not be checked, so it was refused.' };
    return {
      action: { type: 'answer', message: blockedToolResult(request.id, refusal, modernVersionOf(request.params) !== undefined) },
      record: { direction: 'client', method: request.method, id: request.id, verdict: 'block', rules: ['engine.error'], reason },
    };
  }
}
