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

/**
 * Decide on the server's answer to a tools/list. The answer is re-read with the strict
 * parser: a list with duplicate keys could read differently to the client, so it is
 * refused rather than passed.
 */
export function decideToolList(text: string, id: RequestId, policy: CompiledPolicy): ToolListDecision {
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
