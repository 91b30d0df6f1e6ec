/**
 * Prompts and resources hidden for their definitions, looked up the way a server finds
 * them: a resource by the identity of its URI (every spelling of it), or by a hidden
 * template that could produce it; a prompt by its name. Every request that names one
 * (prompts/get, resources/read, resources/subscribe and unsubscribe, completion/complete's
 * `ref`) is answered as if it did not exist.
 */
import { JsonRpcCode } from '../protocol/errors.js';
import { isObject, type RequestId } from '../protocol/jsonrpc.js';
import { isUriTemplate, MAX_TEMPLATE_STEPS, templateMatches, uriIdentity } from './resource-identity.js';
import type { SessionState } from './session.js';

/** The key a hidden entry is remembered under: a URI's identity, a template as written, a prompt's name. */
export function refusedKey(kind: 'prompts' | 'resources', key: string): string {
  return kind === 'resources' && !isUriTemplate(key) ? uriIdentity(key) : key;
}

/** What a request names that is hidden, and how the official SDK server answers for one it lacks. */
export interface HiddenEntry {
  kind: 'prompts' | 'resources' | 'templates';
  key: string;
}

// The hidden resource (or template) a URI reaches, if any.
function hiddenResource(uri: string, state: SessionState, asTemplate: boolean): string | undefined {
  const refused = state.refused.resources;
  if (refused.size === 0) return undefined;
  if (refused.has(uri)) return uri;
  const identity = uriIdentity(uri);
  if (refused.has(identity)) return uri;
  // Work over all hidden templates is bounded as one template's is: past it, the URI counts as hidden (fail closed).
  let steps = 0;
  for (const entry of refused) {
    if (!isUriTemplate(entry)) continue;
    steps += (identity.length + 1) * (entry.length + 1);
    if (steps > MAX_TEMPLATE_STEPS) return uri;
    // A completion names a template by its text; a read names a URI the template expands to.
    if (asTemplate ? uriIdentity(entry) === identity : templateMatches(entry, identity)) return uri;
  }
  return undefined;
}

/** The hidden prompt or resource a client request names, if any. */
export function hiddenEntryOf(method: string, params: Record<string, unknown> | undefined, state: SessionState): HiddenEntry | undefined {
  if (method === 'prompts/get') {
    const name = params?.name;
    return typeof name === 'string' && state.refused.prompts.has(name) ? { kind: 'prompts', key: name } : undefined;
  }
  if (method === 'resources/read' || method === 'resources/subscribe' || method === 'resources/unsubscribe') {
    const uri = params?.uri;
    const hidden = typeof uri === 'string' ? hiddenResource(uri, state, false) : undefined;
    return hidden === undefined ? undefined : { kind: 'resources', key: hidden };
  }
  if (method === 'completion/complete' && isObject(params?.ref)) {
    const ref = params.ref;
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string' && state.refused.prompts.has(ref.name)) return { kind: 'prompts', key: ref.name };
    if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
      const hidden = hiddenResource(ref.uri, state, isUriTemplate(ref.uri)) ?? (isUriTemplate(ref.uri) ? undefined : hiddenResource(ref.uri, state, true));
      return hidden === undefined ? undefined : { kind: 'templates', key: hidden };
    }
  }
  return undefined;
}

/**
 * The answer for a prompt or resource hidden for its definition: what servers built on the
 * official SDK answer for one they do not have.
 */
export function unknownEntryAnswer(id: RequestId, entry: HiddenEntry): Record<string, unknown> {
  const what = entry.kind === 'prompts' ? `Prompt ${entry.key}` : entry.kind === 'templates' ? `Resource template ${entry.key}` : `Resource ${entry.key}`;
  return { jsonrpc: '2.0', id, error: { code: JsonRpcCode.invalidParams, message: `MCP error ${JsonRpcCode.invalidParams}: ${what} not found` } };
}
