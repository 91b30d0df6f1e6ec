/**
 * Argument inspection for every client → server channel besides tools/call: the URIs of
 * resources/read, subscribe and unsubscribe, the arguments of prompts/get and of
 * completion/complete, and the client's answers to the server's own requests (sampling
 * results, elicitation results, roots). Each goes through the same inspector as a tool's
 * arguments, with kinds inferred the same way; a URI is a path when it is a `file:` URI and
 * a URL otherwise.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import type { KindHints } from '../inspect/kinds.js';
import type { ArgumentKind, Category, Finding } from '../inspect/types.js';
import { errorResponse, refusalText } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { idKey, isObject, type RequestId } from '../protocol/jsonrpc.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';
import type { DecisionRecord } from '../audit/types.js';
import type { SessionState } from './session.js';
import type { ClientDecision } from './client-side.js';
import type { InspectFunction } from './tool-call.js';

/** What one channel hands the inspector: the values, and the kinds the protocol gives them. */
export interface ChannelInput {
  args: unknown;
  /** Kinds by argument name that the protocol itself says (a `uri` is a URI). */
  kinds: ReadonlyMap<string, ReadonlySet<ArgumentKind>>;
  /**
   * Categories that do not apply: a `file:` URI is a path, read by the path checks; the
   * network checks would take its scheme for a URL that reads local files.
   */
  exempt?: readonly Category[];
}

const isFileUri = (uri: unknown): boolean => typeof uri === 'string' && /^\s*file:/i.test(uri);

const PATH: ReadonlySet<ArgumentKind> = new Set(['path', 'text']);
const URL_KIND: ReadonlySet<ArgumentKind> = new Set(['url', 'text']);

/** The kinds of a URI: a `file:` URI names a path; anything else is read as a URL. */
export function uriKinds(uri: unknown): ReadonlySet<ArgumentKind> {
  return isFileUri(uri) ? PATH : URL_KIND;
}

/** The values of a client request to inspect, or undefined when the method carries none. */
export function requestArguments(method: string, params: Record<string, unknown> | undefined): ChannelInput | undefined {
  if (params === undefined) return undefined;
  switch (method) {
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return { args: { uri: params.uri }, kinds: new Map([['uri', uriKinds(params.uri)]]), ...(isFileUri(params.uri) && { exempt: ['ssrf'] }) };
    case 'prompts/get':
      return params.arguments === undefined ? undefined : { args: params.arguments, kinds: new Map() };
    case 'completion/complete': {
      // The value is read under its argument's own name, so `path: "../.."` is a path.
      const argument = isObject(params.argument) ? params.argument : {};
      const name = typeof argument.name === 'string' ? argument.name : 'value';
      const context = isObject(params.context) ? params.context.arguments : undefined;
      return { args: { argument: { [name]: argument.value }, ...(context !== undefined && { context }) }, kinds: new Map() };
    }
    default:
      return undefined;
  }
}

/** The values of the client's answer to a server request of `method`. */
export function answerArguments(method: string, result: unknown): ChannelInput | undefined {
  if (result === undefined) return undefined;
  switch (method) {
    case 'roots/list': {
      // Roots are file: URIs the server will work under.
      const roots = isObject(result) && Array.isArray(result.roots) ? result.roots : [];
      const allFiles = roots.every((root) => isObject(root) && isFileUri(root.uri));
      return { args: result, kinds: new Map([['uri', PATH]]), ...(allFiles && { exempt: ['ssrf'] }) };
    }
    case 'elicitation/create':
      // What the user typed, under the names the server asked for.
      return { args: isObject(result) && result.content !== undefined ? result.content : result, kinds: new Map() };
    default:
      // sampling/createMessage (the model's answer) and whatever else a client answers.
      return { args: result, kinds: new Map() };
  }
}

function describeFinding(f: Finding): Record<string, string> {
  return { rule: f.ruleId, category: f.category, severity: f.severity, path: f.path, evidence: f.evidence };
}

/** The verdict of inspecting one channel's values. */
export type ChannelVerdict =
  | { type: 'allow'; rules: string[]; detail?: Record<string, unknown> }
  | { type: 'refuse'; rules: string[]; reason: string; detail?: Record<string, unknown> };

/** Inspect one channel's values as the policy asks (overrides are looked up by method name). */
export function inspectChannel(subject: string, input: ChannelInput, policy: CompiledPolicy, inspect: InspectFunction): ChannelVerdict {
  const overrides = policy.inspection.overridesFor(subject);
  const hints: KindHints = { byPolicy: new Map([...input.kinds, ...overrides.kinds]) };
  const exempt = input.exempt ? new Set<Category>([...overrides.exempt, ...input.exempt]) : overrides.exempt;
  const result = inspect({ tool: subject, args: input.args, exempt, hints });
  const detail = result.findings.length > 0 ? { findings: result.findings.map(describeFinding) } : undefined;
  if (result.verdict === 'block') {
    const first = result.blocking[0];
    const rules = result.blocking.length > 0 ? [...new Set(result.blocking.map((f) => f.ruleId))] : ['inspect.failure'];
    const reason = first
      ? `${first.message.trim().replace(/[.!?]$/, '')} (in "${first.path}").`
      : `the values could not be inspected: ${result.failure ?? 'unknown error'}; the message was refused.`;
    return { type: 'refuse', rules, reason, detail };
  }
  return { type: 'allow', rules: result.verdict === 'warn' ? [...new Set(result.findings.map((f) => f.ruleId))] : [], detail };
}

/**
 * Decide on a client request of another channel than tools/call, by its values. Undefined
 * when there is nothing to inspect: the caller forwards it as usual. A refusal answers the
 * request at once with a JSON-RPC error (its id); in monitor mode it is forwarded and noted.
 */
export function decideChannelRequest(
  id: RequestId,
  method: string,
  params: Record<string, unknown> | undefined,
  message: Record<string, unknown>,
  policy: CompiledPolicy,
  inspect: InspectFunction | undefined,
): ClientDecision | undefined {
  const input = inspect ? requestArguments(method, params) : undefined;
  if (!input || !inspect) return undefined;
  const base = { direction: 'client' as const, method, id, args: input.args };
  const verdict = inspectChannel(method, input, policy, inspect);
  // What was inspected is what is sent (invariant 8).
  const forward = { type: 'forward-text' as const, text: serializeStrict(message) };
  if (verdict.type === 'allow') return { action: forward, record: { ...base, verdict: 'forward', rules: verdict.rules, detail: verdict.detail } };
  const { rules, reason, detail } = verdict;
  if (policy.mode === 'monitor') return { action: forward, record: { ...base, verdict: 'would-block', rules, reason, detail } };
  const text = refusalText({ tool: method, ruleId: rules[0] ?? 'inspect.failure', reason });
  return { action: { type: 'answer', message: errorResponse(id, JsonRpcCode.blockedByPolicy, text, { rule: rules[0] }) }, record: { ...base, verdict: 'block', rules, reason, detail } };
}

/**
 * Decide on the client's answer to a server request of `method`. A refused answer is not
 * forwarded: the server gets a JSON-RPC error for its request instead, so it is not left
 * waiting for an answer that will never come, and learns nothing of what the client said.
 */
export function decideClientAnswer(
  id: RequestId,
  method: string,
  message: Record<string, unknown>,
  policy: CompiledPolicy,
  inspect: InspectFunction | undefined,
): ClientDecision | undefined {
  const input = inspect && message.result !== undefined ? answerArguments(method, message.result) : undefined;
  if (!input || !inspect) return undefined;
  const base = { direction: 'client' as const, method, id, args: input.args };
  const verdict = inspectChannel(method, input, policy, inspect);
  const forward = { type: 'forward-text' as const, text: serializeStrict(message) };
  if (verdict.type === 'allow') return { action: forward, record: { ...base, verdict: 'forward', rules: verdict.rules, detail: verdict.detail } };
  const { rules, reason, detail } = verdict;
  if (policy.mode === 'monitor') return { action: forward, record: { ...base, verdict: 'would-block', rules, reason, detail } };
  const text = `Vanguard: the client's answer was refused. ${refusalText({ tool: method, ruleId: rules[0] ?? 'inspect.failure', reason })}`;
  return {
    action: { type: 'forward-text', text: serializeStrict(errorResponse(id, JsonRpcCode.blockedByPolicy, text, { rule: rules[0] })) },
    record: { ...base, verdict: 'block', rules, reason, detail },
  };
}

/**
 * A client frame refused for duplicate keys that is the client's answer to a server request:
 * the server gets an error for its request (it would otherwise wait forever), and the
 * client, which expects nothing back for an answer, gets nothing. Undefined otherwise.
 */
export function refusedClientAnswer(text: string, state: SessionState): { text: string; record: Omit<DecisionRecord, 'decisionUs'> } | undefined {
  const lenient = parseStrict(text, { rejectDuplicateKeys: false });
  if (!lenient.ok || !isObject(lenient.value) || 'method' in lenient.value) return undefined;
  const id = lenient.value.id;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  const pending = state.pendingServer.get(idKey(id));
  if (!pending) return undefined;
  state.pendingServer.delete(idKey(id));
  const reason = "the client's answer could not be read one way only (duplicate keys), so it was not forwarded";
  return {
    text: serializeStrict(errorResponse(id, JsonRpcCode.invalidRequest, `Vanguard: ${reason}.`)),
    record: { direction: 'client', method: pending.method, id, verdict: 'block', rules: ['protocol.duplicate-key'], reason },
  };
}
