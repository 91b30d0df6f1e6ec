/**
 * Filtering of a tools/list answer: tools the policy hides are removed from each page;
 * everything else (cursors, other fields) stays as the server sent it.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { isObject, type RequestId } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import { readListAnswer, refusedListAnswer } from './list-answer.js';
import { schemaKinds } from '../inspect/kinds.js';
import { isLookedUpAddress, LOOKED_UP_ADDRESS, type SchemaHint } from '../inspect/looked-up-address.js';
import { atLeast, type Finding } from '../inspect/types.js';
import type { DefinitionContext } from '../inspect/definitions/steering.js';
import type { LockFile } from '../pinning/lock.js';
import { comparePage } from './pins.js';
import type { SessionState } from './session.js';
import { admitKeyed, releaseKeyed } from './state-budget.js';
import { rememberAnnotations } from './tool-annotations.js';
import { unmatchedNames } from './unmatched-names.js';

export type ToolListAction =
  | { type: 'forward' }
  | { type: 'rewrite'; text: string };

export interface ToolListDecision {
  action: ToolListAction;
  record: Omit<DecisionRecord, 'decisionUs'>;
}

function hiddenNames(tools: unknown[], policy: CompiledPolicy): string[] {
  const hidden: string[] = [];
  for (const tool of tools) {
    const name = isObject(tool) ? tool.name : undefined;
    if (typeof name !== 'string' || !policy.toolVerdict(name, isObject(tool) ? tool.annotations : undefined).visible) hidden.push(typeof name === 'string' ? name : '(unnamed)');
  }
  return hidden;
}

// What each tool's input schema says its arguments are, for inspecting later calls. Returns
// the first tool it had no room for (the caller refuses the list: calls to a tool whose
// schema is forgotten would be inspected without its hints).
function rememberSchemas(tools: unknown[], state: SessionState): string | undefined {
  for (const tool of tools) {
    if (!isObject(tool) || typeof tool.name !== 'string') continue;
    rememberAnnotations(state, tool.name, tool.annotations);
    const properties = isObject(tool.inputSchema) && isObject(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
    const kinds = new Map<string, ReadonlySet<SchemaHint>>();
    for (const [name, property] of Object.entries(properties)) {
      const found: Set<SchemaHint> = schemaKinds(property);
      if (isLookedUpAddress(tool as { name: string; description?: unknown }, name, property)) found.add(LOOKED_UP_ADDRESS);
      // An array of paths: the items' schema speaks for every element.
      if (isObject(property) && isObject(property.items)) for (const kind of schemaKinds(property.items)) found.add(kind);
      if (found.size > 0) kinds.set(name, found);
    }
    const bytes = isObject(tool.inputSchema) ? jsonBytes(tool.inputSchema) : 0;
    if (!admitKeyed(state, 'schemas', tool.name, bytes)) return tool.name;
    state.schemaKinds.set(tool.name, kinds);
    if (isObject(tool.inputSchema)) state.inputSchemas.set(tool.name, tool.inputSchema);
    else state.inputSchemas.delete(tool.name);
  }
  return undefined;
}

// The size of a parsed value as JSON text, to bound what is kept of it.
function jsonBytes(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

/** Decide on the server's answer to a tools/list (read as readListAnswer reads it). */
export function decideToolList(text: string, id: RequestId, policy: CompiledPolicy, state: SessionState, scan?: DefinitionScan, pins?: LockFile, firstPage = true): ToolListDecision {
  const base = { direction: 'server' as const, method: 'tools/list', id };
  const answer = readListAnswer(text, 'tools');
  if (answer.kind === 'unreadable') {
    return { action: { type: 'rewrite', text: refusedListAnswer(id, answer.reason) }, record: { ...base, verdict: 'block', rules: ['protocol.strict-json'], reason: answer.reason } };
  }
  if (answer.kind === 'none') return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
  const { message, result, entries: tools } = answer;
  const unremembered = rememberSchemas(tools, state);
  if (unremembered !== undefined) return tooLarge(base, id, `the schema of tool ${JSON.stringify(unremembered.slice(0, 200))}`);
  const hidden = hiddenNames(tools, policy);
  const poisoned = scanDefinitions(tools, policy, scan, state);
  const act = policy.metadata.poisoning;
  // Tools the policy hides are not compared; one hidden for its definition is not trusted on first use either.
  const skip = new Set([...hidden, ...(act === 'off' || act === 'warn' ? [] : poisoned.map((p) => p.tool))]);
  const lastPage = !(typeof result.nextCursor === 'string');
  const pinned = comparePage('tools', tools, { firstPage, lastPage }, policy, state, pins, (key) => skip.has(key)).map(({ key, ...rest }) => ({ tool: key, ...rest }));
  const unknownArgs = constrainedButUnknown(tools, policy);
  // A warning about the policy, not a verdict on the list: in the detail only (logged at warn).
  const unmatched = unmatchedNames(tools, { firstPage, lastPage }, policy, state);
  const rules = [
    ...(unknownArgs.length > 0 ? ['constraint.unknown-argument'] : []),
    ...(hidden.length > 0 ? ['tools.policy'] : []),
    ...(poisoned.length > 0 ? ['metadata.poisoning'] : []),
    ...new Set(pinned.map((p) => `pin.${p.status}`)),
  ];
  const detail = { tools: tools.length, ...(unknownArgs.length > 0 && { constrainedButUnknown: unknownArgs }), ...(unmatched.length > 0 && { matchedNoTool: unmatched }), ...(hidden.length > 0 && { hidden }), ...(poisoned.length > 0 && { poisoned }), ...(pinned.length > 0 && { pinned }) };
  if (rules.length === 0) return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [], detail } };
  const refusing = (poisoned.length > 0 && act === 'block') || pinned.some((p) => p.action === 'block');
  const refused = new Map<string, string>([
    ...pinned.filter((p) => p.action === 'hide' && p.status !== 'removed').map((p): [string, string] => [p.tool, `pin.${p.status}`]),
    ...(act === 'hide' ? poisoned.map((p): [string, string] => [p.tool, 'metadata.poisoning']) : []),
  ]);
  const dropped = new Set([...hidden, ...refused.keys()]);
  // Tools hidden for what their definitions say are remembered, so a call to one is answered
  // as unknown; a tool that comes back clean is forgotten.
  if (policy.mode !== 'monitor') {
    for (const tool of tools) {
      if (!isObject(tool) || typeof tool.name !== 'string') continue;
      const rule = refused.get(tool.name);
      if (rule === undefined) {
        state.refusedTools.delete(tool.name);
        releaseKeyed(state, 'refused', tool.name, 'tools');
      } else if (admitKeyed(state, 'refused', tool.name, rule.length, 'tools')) state.refusedTools.set(tool.name, rule);
      // A hidden tool the session cannot remember could be called as if never hidden.
      else return tooLarge(base, id, `the tools hidden for their definitions (${tool.name.slice(0, 200)})`);
    }
  }
  if (policy.mode === 'monitor' || (!refusing && dropped.size === 0)) {
    return { action: { type: 'forward' }, record: { ...base, verdict: policy.mode === 'monitor' ? 'would-block' : 'forward', rules, detail } };
  }
  if (refusing) {
    const why = [
      ...poisoned.map((p) => `${p.tool}: ${p.rules.join(', ')}`),
      ...pinned.filter((p) => p.action === 'block').map((p) => `${p.tool}: ${p.status} since pinned`),
    ];
    const reason = `the server's tool list was refused (${why.join('; ')})`;
    return { action: { type: 'rewrite', text: refusedListAnswer(id, reason) }, record: { ...base, verdict: 'block', rules, reason, detail } };
  }
  result.tools = tools.filter((tool) => isObject(tool) && typeof tool.name === 'string' && !dropped.has(tool.name));
  return { action: { type: 'rewrite', text: serializeStrict(message) }, record: { ...base, verdict: 'rewrite', rules, detail } };
}

// A listing larger than the session can remember is refused whole (fail closed).
function tooLarge(base: { direction: 'server'; method: string; id: RequestId }, id: RequestId, what: string): ToolListDecision {
  const reason = `the server's tool list is larger than Vanguard can remember for this session (no room for ${what}); it was refused`;
  return { action: { type: 'rewrite', text: refusedListAnswer(id, reason) }, record: { ...base, verdict: 'block', rules: ['limits.state'], reason } };
}

// Constraints on arguments the tool's input schema does not declare: a typo in the policy, or
// a server that renamed the argument (the constraint then never applies). A warning only.
function constrainedButUnknown(tools: unknown[], policy: CompiledPolicy): Array<{ tool: string; arguments: string[] }> {
  const out: Array<{ tool: string; arguments: string[] }> = [];
  for (const tool of tools) {
    if (!isObject(tool) || typeof tool.name !== 'string' || !isObject(tool.inputSchema) || !isObject(tool.inputSchema.properties)) continue;
    const declared = tool.inputSchema.properties;
    const missing = policy.constraints.namedArguments(tool.name).filter((a) => !Object.hasOwn(declared, a));
    if (missing.length > 0) out.push({ tool: tool.name, arguments: missing });
  }
  return out;
}

/** Scans a tool's definition, knowing the names of the tools listed with it; returns what it found (see src/inspect/build.ts). */
export type DefinitionScan = (definition: unknown, context?: DefinitionContext) => Finding[];


// Which visible tools have poisoned definitions, by the policy's floor. A definition is read
// knowing the other tools of the session: this page's and those remembered from earlier pages.
function scanDefinitions(tools: unknown[], policy: CompiledPolicy, scan: DefinitionScan | undefined, state: SessionState): Array<{ tool: string; rules: string[] }> {
  if (!scan || policy.metadata.poisoning === 'off') return [];
  const toolNames = [...new Set([...state.schemaKinds.keys(), ...tools.flatMap((t) => (isObject(t) && typeof t.name === 'string' ? [t.name] : []))])];
  const poisoned: Array<{ tool: string; rules: string[] }> = [];
  for (const tool of tools) {
    if (!isObject(tool) || typeof tool.name !== 'string' || !policy.toolVerdict(tool.name, tool.annotations).visible) continue;
    const findings = scan(tool, { toolNames }).filter((f) => atLeast(f.severity, policy.metadata.minSeverity));
    if (findings.length > 0) poisoned.push({ tool: tool.name, rules: [...new Set(findings.map((f) => f.ruleId))] });
  }
  return poisoned;
}
