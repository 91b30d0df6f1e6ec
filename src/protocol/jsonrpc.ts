/**
 * JSON-RPC 2.0 message shapes as the shim sees them, and their classification.
 * Classification never throws: anything that is not a well-formed message is `invalid`.
 */
import { idKeyOf, type IdKey } from './id-key.js';

export type { IdKey } from './id-key.js';

/** A request id: opaque, string or integer (numbers are kept as parsed). */
export type RequestId = string | number;

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

export interface RequestMessage {
  kind: 'request';
  id: RequestId;
  method: string;
  params: JsonObject | undefined;
  message: JsonObject;
}

export interface NotificationMessage {
  kind: 'notification';
  method: string;
  params: JsonObject | undefined;
  message: JsonObject;
}

export interface ResponseMessage {
  kind: 'response';
  /** null when the peer could not tell which request failed. */
  id: RequestId | null;
  message: JsonObject;
}

export interface InvalidMessage {
  kind: 'invalid';
  /** The id, when one could be read, so an error can still be addressed. */
  id: RequestId | null;
  reason: string;
}

export type Classified = RequestMessage | NotificationMessage | ResponseMessage | InvalidMessage;

/** True for a JSON object that is not an array or null. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Ids are opaque, but a fractional or non-finite number is not an id any peer can echo.
// An integer beyond 2^53 (a RawNumber from the strict parser) is refused too: the
// server's answer, read with JSON.parse, would carry a rounded id that no longer
// matches, and its answer would escape the checks made on it.
function readId(value: unknown): RequestId | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  return undefined;
}

/** Classify one parsed JSON value (not an array: batches are split before). */
export function classify(value: unknown): Classified {
  if (!isObject(value)) return { kind: 'invalid', id: null, reason: 'a message must be a JSON object' };
  const rawId = value.id;
  const hasId = 'id' in value && rawId !== undefined;
  const id = hasId ? readId(rawId) : undefined;
  if (value.jsonrpc !== '2.0') return { kind: 'invalid', id: id ?? null, reason: 'jsonrpc must be "2.0"' };
  const params = value.params;
  if (params !== undefined && !isObject(params) && !Array.isArray(params)) {
    return { kind: 'invalid', id: id ?? null, reason: 'params must be an object or an array' };
  }
  if (typeof value.method === 'string') {
    if ('result' in value || 'error' in value) {
      return { kind: 'invalid', id: id ?? null, reason: 'a request cannot carry result or error' };
    }
    const objectParams = isObject(params) ? params : undefined;
    if (!hasId) return { kind: 'notification', method: value.method, params: objectParams, message: value };
    if (id === undefined) return { kind: 'invalid', id: null, reason: 'id must be a string or an integer between -(2^53-1) and 2^53-1' };
    return { kind: 'request', id, method: value.method, params: objectParams, message: value };
  }
  if ('method' in value) return { kind: 'invalid', id: id ?? null, reason: 'method must be a string' };
  if ('result' in value || 'error' in value) {
    if ('result' in value && 'error' in value) {
      return { kind: 'invalid', id: id ?? null, reason: 'a response cannot carry both result and error' };
    }
    if (rawId === null) return { kind: 'response', id: null, message: value };
    if (id === undefined) return { kind: 'invalid', id: null, reason: 'response id must be a string or an integer' };
    return { kind: 'response', id, message: value };
  }
  return { kind: 'invalid', id: id ?? null, reason: 'not a request, notification or response' };
}

/**
 * The key of an id in one id space. It is loose ({@link idKeyOf}): `"1"` and `1` share a
 * key, because clients match answers that way, so two requests in flight never share one
 * and an answer is matched the way any client could match it (invariant 14).
 */
export function idKey(id: RequestId): IdKey {
  return idKeyOf(id);
}

/** True when two ids are the very same JSON value (type and value): no rewrite is needed. */
export function sameId(a: RequestId, b: RequestId): boolean {
  return a === b;
}
