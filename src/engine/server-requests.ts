/**
 * The server's own requests and notifications on their way to the client: what they carry
 * reaches the model or the user as surely as a tool result does (a sampling request's
 * messages and system prompt, an elicitation's message and schema, log data, progress and
 * task status messages). Each is read with the strict parser (duplicate keys are refused,
 * never passed raw) and its params go through the result scan: hidden characters
 * stripped, secrets redacted, instructions aimed at the model refused or flagged per
 * policy. A refused request is answered to the server with an error for its id and not
 * forwarded; a refused notification is dropped. Both are audited.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { idKey, isObject, type NotificationMessage, type RequestMessage } from '../protocol/jsonrpc.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';
import { injectionNotice, prefixAt, type ResultScan } from './result-answer.js';
import type { FrameText, ServerDecision } from './server-side.js';
import type { SessionState } from './session.js';
import { toolsChanged } from './list-fetch.js';

// `{ ...base, verdict, rules }` as one literal, the same keys in the same order.
function plainRecord(method: string, id: RequestMessage['id'] | undefined, verdict: 'forward' | 'would-block' | 'rewrite', rules: string[]): ServerDecision['record'] {
  return id === undefined ? { direction: 'server', method, verdict, rules } : { direction: 'server', method, id, verdict, rules };
}

/** Decide on one request or notification from the server. */
export function decideServerChannel(
  message: RequestMessage | NotificationMessage,
  text: FrameText,
  state: SessionState,
  policy: CompiledPolicy,
  scan: ResultScan | undefined,
): ServerDecision {
  const id = message.kind === 'request' ? message.id : undefined;
  const base = { direction: 'server' as const, method: message.method, ...(id !== undefined && { id }) };
  const refuse = (rules: string[], reason: string, detail?: Record<string, unknown>, strict = false): ServerDecision => {
    // A frame that reads two ways is never passed, not even in monitor mode.
    if (policy.mode === 'monitor' && !strict) return forward('would-block', rules, reason, detail);
    if (id === undefined) return { action: { type: 'drop' }, record: { ...base, verdict: 'drop', rules, reason, detail } };
    const answer = errorResponse(id, JsonRpcCode.blockedByPolicy, `Vanguard refused this request: ${reason}`, { rule: rules[0] });
    return { action: { type: 'answer-server', text: serializeStrict(answer) }, record: { ...base, verdict: 'block', rules, reason, detail } };
  };
  const forward = (verdict: 'forward' | 'would-block', rules: string[], reason?: string, detail?: Record<string, unknown>, rewritten?: string): ServerDecision => {
    if (id !== undefined) state.pendingServer.set(idKey(id), { id, method: message.method });
    return {
      action: rewritten === undefined ? { type: 'forward' } : { type: 'forward-text', text: rewritten },
      record:
        reason === undefined && detail === undefined
          ? // Most server messages (progress, logging): the same keys as below, as one literal rather than spreads.
            plainRecord(message.method, id, rewritten === undefined ? verdict : 'rewrite', rules)
          : { ...base, verdict: rewritten === undefined ? verdict : 'rewrite', rules, ...(reason !== undefined && { reason }), ...(detail !== undefined && { detail }) },
    };
  };

  // Calls made from a list cached before this are held until the shim has listed again (list-fetch.ts).
  if (message.method === 'notifications/tools/list_changed') toolsChanged(state);
  const parsed = text.strict?.() ?? parseStrict(text.text());
  if (!parsed.ok) {
    const rule = parsed.code === 'duplicate-key' ? 'protocol.duplicate-key' : 'protocol.strict-json';
    return refuse([rule], `the ${message.kind} could not be read one way only (${parsed.message}).`, undefined, true);
  }
  const strict = parsed.value;
  if (!scan || !isObject(strict) || strict.params === undefined) return forward('forward', []);

  const outcome = scan(strict.params, text.plain ? { plain: true } : undefined);
  const injectionRules = [...new Set(outcome.injection.map((f) => f.ruleId))];
  const detail: Record<string, unknown> = {
    ...(outcome.injection.length > 0 && { findings: outcome.injection.map((f) => ({ rule: f.ruleId, severity: f.severity, path: f.path, evidence: f.evidence })) }),
    ...(Object.keys(outcome.redacted).length > 0 && { redacted: outcome.redacted }),
    ...(Object.keys(outcome.hidden).length > 0 && { hidden: outcome.hidden }),
  };
  const shown = Object.keys(detail).length > 0 ? detail : undefined;
  if (outcome.failure !== undefined) return refuse(['result.failure'], `it could not be scanned (${outcome.failure}).`, shown);
  const action = policy.results.injection.action;
  if (injectionRules.length > 0 && action === 'block') {
    const first = outcome.injection[0];
    // Where, not what: quoting it would pass on what was withheld.
    return refuse(injectionRules, `it contains instructions aimed at the model (rule ${first?.ruleId ?? injectionRules[0]}, at params.${first?.path || ''}).`, shown);
  }
  const rules = [
    ...injectionRules,
    ...Object.keys(outcome.redacted).map((kind) => `result.redact:${kind}`),
    ...(Object.keys(outcome.hidden).length > 0 ? ['result.hidden'] : []),
  ];
  const flag = injectionRules.length > 0 && action === 'flag';
  if (policy.mode === 'monitor' || (!outcome.changed && !flag)) return forward('forward', rules, undefined, shown);
  const params = flag ? prefixAt(outcome.value, outcome.injection[0]?.at ?? [], injectionNotice(injectionRules)) : outcome.value;
  return forward('forward', rules, undefined, shown, serializeStrict({ ...strict, params }));
}
