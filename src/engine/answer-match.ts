/**
 * Which pending client request a server answer is for, decided the way any client could
 * decide it (DESIGN.md invariant 14). Ids are compared by their loose key (`3`, `"3"`,
 * `" 3"` and `3.0` are one id to some client), and a client request whose key is already
 * in flight is refused, so a key names at most one pending request. An answer is matched
 * only when its top-level id is written once: with two, readers disagree on which it is.
 */
import type { IdReading } from '../protocol/answer-id.js';
import { idKey, type IdKey, type RequestId } from '../protocol/jsonrpc.js';
import type { PendingClientRequest, SessionState } from './session.js';

export type AnswerMatch =
  /** The answer to `pending`; `exact` when its id is written exactly as the client wrote it. */
  | { kind: 'pending'; pending: PendingClientRequest; key: IdKey; exact: boolean }
  /** No pending request any client could match it to (never asked, already answered, no id). */
  | { kind: 'unmatched'; reason: string }
  /** The id is written more than once; `pending` when every reading names that one request. */
  | { kind: 'repeated'; reason: string; pending?: PendingClientRequest; key?: IdKey };

function asId(value: unknown): RequestId | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
}

/** Match the readings of an answer's top-level id to a pending client request. Changes nothing. */
export function matchAnswer(readings: IdReading[] | undefined, state: SessionState): AnswerMatch {
  if (readings === undefined) return { kind: 'unmatched', reason: 'the answer id could not be read' };
  if (readings.length === 0) return { kind: 'unmatched', reason: 'the answer has no id' };
  if (readings.length > 1) {
    const ids = readings.map((r) => asId(r.value));
    const reason = `the answer has ${readings.length} "id" keys (${readings.map((r) => r.raw).join(', ')})`;
    const keys = new Set(ids.map((id) => (id === undefined ? undefined : idKey(id))));
    const [only] = keys;
    const pending = keys.size === 1 && only !== undefined ? state.pendingClient.get(only) : undefined;
    return pending && only !== undefined ? { kind: 'repeated', reason, pending, key: only } : { kind: 'repeated', reason };
  }
  const id = asId(readings[0]!.value);
  if (id === undefined) return { kind: 'unmatched', reason: `the answer id ${readings[0]!.raw} names no request` };
  const key = idKey(id);
  const pending = state.pendingClient.get(key);
  if (!pending) return { kind: 'unmatched', reason: `no request ${readings[0]!.raw} is pending (never asked, or already answered)` };
  return { kind: 'pending', pending, key, exact: isWrittenAs(readings[0]!.raw, pending.id) };
}

/**
 * True when `raw` is the id as the client wrote it: `String(id)` for a number,
 * `JSON.stringify(id)` for a string. An integer from 0 to 2^31 - 1 (most ids) is compared digit
 * by digit, with no string made for it.
 */
export function isWrittenAs(raw: string, id: RequestId): boolean {
  if (typeof id !== 'number') return raw === JSON.stringify(id);
  if ((id | 0) !== id || id < 0 || Object.is(id, -0)) return raw === String(id);
  // The digits of id from the last, none left over; a leading zero only in "0" itself.
  let rest = id;
  for (let i = raw.length - 1; i >= 0; i--) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit !== rest % 10) return false;
    rest = (rest - digit) / 10;
    if (rest === 0 && i > 0) return false;
  }
  return raw.length > 0 && rest === 0;
}
