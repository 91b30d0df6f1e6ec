/**
 * Filtering of a tools/list answer: tools the policy hides are removed from each page;
 * everything else (cursors, other fields) stays as the server sent it.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { isObject, type RequestId } from '../protocol/jsonrpc.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';
import { schemaKinds } from '../inspect/kinds.js';
import type { ArgumentKind } from '../inspect/types.js';
import { SESSION_LIMITS, type SessionState } from './session.js';

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
    if (typeof name !== 'string' || !policy.toolVerdict(name).visible) hidden.push(typeof name === 'string' ? name : '(unnamed)');
  }
  return hidden;
}

// What each tool's input schema says its arguments are, for inspecting later calls.
function rememberSchemas(tools: unknown[], state: SessionState): void {
  for (const tool of tools) {
    if (!isObject(tool) || typeof tool.name !== 'string') continue;
    const properties = isObject(tool.inputSchema) && isObject(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
    const kinds = new Map<string, ReadonlySet<ArgumentKind>>();
    for (const [name, property] of Object.entries(properties)) {
      const found = schemaKinds(property);
      // An array of paths: the items' schema speaks for every element.
      if (isObject(property) && isObject(property.items)) for (const kind of schemaKinds(property.items)) found.add(kind);
      if (found.size > 0) kinds.set(name, found);
    }
    if (state.schemaKinds.size >= SESSION_LIMITS.maxToolSchemas && !state.schemaKinds.has(tool.name)) continue;
    state.schemaKinds.set(tool.name, kinds);
    if (isObject(tool.inputSchema)) state.inputSchemas.set(tool.name, tool.inputSchema);
    else state.inputSchemas.delete(tool.name);
  }
}

/**
 * Decide on the server's answer to a tools/list. The answer is re-read with the strict
 * parser: a list with duplicate keys could read differently to the client, so it is
 * refused rather than passed.
 */
export function decideToolList(text: string, id: RequestId, policy: CompiledPolicy, state: SessionState): ToolListDecision {
  const base = { direction: 'server' as const, method: 'tools/list', id };
  const parsed = parseStrict(text);
  if (!parsed.ok) {
    const reason = `the server's tool list could not be read safely (${parsed.message})`;
    return {
      action: { type: 'rewrite', text: serializeStrict(errorResponse(id, JsonRpcCode.internalError, `Vanguard: ${reason}`)) },
      record: { ...base, verdict: 'block', rules: ['protocol.strict-json'], reason },
    };
  }
  const message = parsed.value;
  const result = isObject(message) ? message.result : undefined;
  const tools = isObject(result) ? result.tools : undefined;
  if (!isObject(result) || !Array.isArray(tools)) {
    // An error answer, or a result without tools: nothing to filter.
    return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
  }
  rememberSchemas(tools, state);
  const hidden = hiddenNames(tools, policy);
  if (hidden.length === 0) {
    return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [], detail: { tools: tools.length } } };
  }
  if (policy.mode === 'monitor') {
    return {
      action: { type: 'forward' },
      record: { ...base, verdict: 'would-block', rules: ['tools.policy'], detail: { tools: tools.length, wouldHide: hidden } },
    };
  }
  result.tools = tools.filter((tool) => isObject(tool) && typeof tool.name === 'string' && policy.toolVerdict(tool.name).visible);
  return {
    action: { type: 'rewrite', text: serializeStrict(message) },
    record: { ...base, verdict: 'rewrite', rules: ['tools.policy'], detail: { tools: tools.length, hidden } },
  };
}
