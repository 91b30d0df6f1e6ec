/**
 * The server's `instructions` (in its answer to initialize, or to server/discover in the
 * 2026-07-28 era): text clients put in the model's system prompt, so it is scanned like a
 * tool's definition. Poisoned instructions are dropped from the answer (hide), logged
 * (warn), or the answer is refused and the session cannot start (block).
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { atLeast } from '../inspect/types.js';
import { isObject, type RequestId } from '../protocol/jsonrpc.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';
import { refusedListAnswer } from './list-answer.js';
import type { DefinitionScan } from './tool-list.js';

/** The answers that carry the server's instructions. */
export const INSTRUCTION_ANSWERS: ReadonlySet<string> = new Set(['initialize', 'server/discover']);

export interface InstructionsDecision {
  action: { type: 'forward' } | { type: 'rewrite'; text: string };
  record: Omit<DecisionRecord, 'decisionUs'>;
}

/** Decide on the server's answer to initialize or server/discover. */
export function decideInstructions(text: string, id: RequestId, method: string, policy: CompiledPolicy, scan: DefinitionScan): InstructionsDecision {
  const base = { direction: 'server' as const, method, id };
  const parsed = parseStrict(text);
  if (!parsed.ok) {
    const reason = `the server's ${method} answer could not be read safely (${parsed.message})`;
    return { action: { type: 'rewrite', text: refusedListAnswer(id, reason) }, record: { ...base, verdict: 'block', rules: ['protocol.strict-json'], reason } };
  }
  const message = parsed.value;
  const result = isObject(message) ? message.result : undefined;
  const act = policy.metadata.poisoning;
  if (!isObject(result) || typeof result.instructions !== 'string' || act === 'off') return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
  const findings = scan({ instructions: result.instructions }).filter((f) => atLeast(f.severity, policy.metadata.minSeverity));
  if (findings.length === 0) return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
  const rules = [...new Set(findings.map((f) => f.ruleId))];
  const detail = { instructions: findings.map((f) => ({ rule: f.ruleId, severity: f.severity, evidence: f.evidence })) };
  if (act === 'warn' || policy.mode === 'monitor') {
    return { action: { type: 'forward' }, record: { ...base, verdict: policy.mode === 'monitor' ? 'would-block' : 'forward', rules: ['metadata.instructions', ...rules], detail } };
  }
  if (act === 'block') {
    const reason = `the server's instructions are poisoned (${rules.join(', ')}); the server was refused`;
    return { action: { type: 'rewrite', text: refusedListAnswer(id, reason) }, record: { ...base, verdict: 'block', rules: ['metadata.instructions', ...rules], reason, detail } };
  }
  const { instructions: _dropped, ...kept } = result;
  return {
    action: { type: 'rewrite', text: serializeStrict({ ...(message as Record<string, unknown>), result: kept }) },
    record: { ...base, verdict: 'rewrite', rules: ['metadata.instructions', ...rules], reason: 'poisoned instructions removed', detail },
  };
}
