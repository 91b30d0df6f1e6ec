/**
 * What wraps the tools/call decision: rate limits and lockout before it (a call over a limit
 * is refused without being looked at), refusals counted after it for the lockout, and the
 * facts `policy learn` needs attached to the record (see src/learn/facts.ts).
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import type { KindHints } from '../inspect/kinds.js';
import { learnFacts } from '../learn/facts.js';
import type { LimitBreach } from '../limits/types.js';
import { blockedToolError, blockedToolResult, type Refusal } from '../protocol/answers.js';
import { modernVersionOf } from '../protocol/era.js';
import type { RequestMessage } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import { policyPaths } from './policy-paths.js';
import type { SessionState } from './session.js';
import type { ToolCallDecision } from './tool-call.js';

const REFUSED = new Set(['block', 'hide', 'would-block']);

/** The decision for a call a limit refuses: answered with the reason, or forwarded and noted in monitor mode. */
export function limitDecision(request: RequestMessage, policy: CompiledPolicy, tool: string, breach: LimitBreach): ToolCallDecision {
  const record = { direction: 'client' as const, method: request.method, id: request.id, tool, args: request.params?.arguments, rules: [breach.ruleId], reason: breach.reason, detail: breach.detail };
  if (policy.mode === 'monitor') return { action: { type: 'forward-text', text: serializeStrict(request.message) }, record: { ...record, verdict: 'would-block' } };
  const refusal: Refusal = { tool, ruleId: breach.ruleId, reason: breach.reason };
  const modern = modernVersionOf(request.params) !== undefined;
  const message = policy.onBlock === 'error' ? blockedToolError(request.id, refusal) : blockedToolResult(request.id, refusal, modern);
  return { action: { type: 'answer', message }, record: { ...record, verdict: 'block' } };
}

// The hints of the last call, made again only when either part is another object: calls
// repeat their tool, and learnFacts only reads them.
let lastHints: { byPolicy: KindHints['byPolicy']; bySchema: KindHints['bySchema'] } | undefined;

function hintsOf(byPolicy: KindHints['byPolicy'], bySchema: KindHints['bySchema']): KindHints {
  if (lastHints === undefined || lastHints.byPolicy !== byPolicy || lastHints.bySchema !== bySchema) lastHints = { byPolicy, bySchema };
  return lastHints;
}

/** Count a refusal towards the lockout (not the lockout's own: it would never end), and attach the learnable facts. */
export function afterToolCall(decision: ToolCallDecision, policy: CompiledPolicy, state: SessionState): ToolCallDecision {
  const { record } = decision;
  if (record.tool === undefined) return decision;
  if (REFUSED.has(record.verdict) && !record.rules.includes('limits.lockout')) policy.callLimits.noteRefusal(state);
  let learn;
  try {
    learn = learnFacts(record.args, hintsOf(policy.inspection.overridesFor(record.tool).kinds, state.schemaKinds.get(record.tool)), policyPaths(policy));
  } catch {
    // Learning is a convenience for later; it never changes the decision.
  }
  if (learn === undefined) return decision;
  return { ...decision, record: { ...record, detail: { ...record.detail, learn } } };
}
