/**
 * Reading a server's answer to a list method (tools/list, prompts/list, …) for inspection.
 * The answer is re-read with the strict parser: a list with duplicate keys could read
 * differently to the client, so it is refused rather than passed.
 */
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { isObject, type JsonObject, type RequestId } from '../protocol/jsonrpc.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';

export type ListAnswer =
  | { kind: 'unreadable'; reason: string }
  /** An error answer, or a result without the list: nothing to look at. */
  | { kind: 'none' }
  | { kind: 'list'; message: unknown; result: JsonObject; entries: unknown[] };

/** The list under `field` in the answer's result. */
export function readListAnswer(text: string, field: string): ListAnswer {
  const parsed = parseStrict(text);
  if (!parsed.ok) return { kind: 'unreadable', reason: `the server's ${field} list could not be read safely (${parsed.message})` };
  const message = parsed.value;
  const result = isObject(message) ? message.result : undefined;
  const entries = isObject(result) ? result[field] : undefined;
  if (!isObject(result) || !Array.isArray(entries)) return { kind: 'none' };
  return { kind: 'list', message, result, entries };
}

/** The answer that replaces a list the shim refuses, serialised. */
export function refusedListAnswer(id: RequestId, reason: string): string {
  return serializeStrict(errorResponse(id, JsonRpcCode.internalError, `Vanguard: ${reason}`));
}
