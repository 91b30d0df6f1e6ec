/**
 * What may still pass once the audit file cannot be written. A call the audit cannot record
 * must not run: every client request bound for the server (tools/call and every other method
 * the policy decides on) is answered with an error instead of being forwarded. Notifications
 * and the client's answers to the server's own requests still pass, so the server is not
 * left waiting; nothing the server sends is held back (its answers are to requests that
 * were recorded before the failure).
 *
 * Why refuse rather than stop the server: the client then learns, per call, why it was
 * refused; work already running finishes; and nothing runs unrecorded either way.
 */
import type { Outcome, Output } from '../engine/outcome.js';
import { parseJson } from '../protocol/escaped-keys.js';

/** The JSON-RPC error code of a request refused because the audit cannot be written. */
export const AUDIT_UNAVAILABLE_CODE = -32012;

/** The message of that error. */
export const AUDIT_UNAVAILABLE_MESSAGE = 'Refused by Vanguard: the audit trail cannot be written, so no request is forwarded';

/**
 * The outcome with every client request for the server replaced by an error answer. Pure.
 * The shim's own requests (`isOwn`: its tool listings) are not the client's to be answered:
 * they are dropped, and `ownDropped` says so, for the caller to release what waited on them.
 * `refusedIds` are the requests answered here, which the engine must no longer count as
 * waiting for the server (or they would be answered twice when it exits).
 */
export function refuseUnrecorded(outcome: Outcome, isOwn: (id: unknown) => boolean = () => false): Outcome & { ownDropped?: true; refusedIds?: unknown[] } {
  if (!outcome.outputs.some((output) => output.to === 'server')) return outcome;
  let ownDropped = false;
  const refusedIds: unknown[] = [];
  const outputs: Output[] = [];
  let refused = 0;
  for (const output of outcome.outputs) {
    if (output.to !== 'server') {
      outputs.push(output);
      continue;
    }
    const message = parse(output.data);
    const items = Array.isArray(message) ? message : [message];
    const requests = items.filter(isRequest);
    if (requests.length === 0 && message !== undefined) {
      outputs.push(output);
      continue;
    }
    // Unreadable (cannot happen: the engine wrote it) or a request: it does not go out.
    for (const request of requests) {
      if (isOwn(request.id)) {
        ownDropped = true;
        continue;
      }
      refused += 1;
      refusedIds.push(request.id);
      outputs.push({ to: 'client', data: JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code: AUDIT_UNAVAILABLE_CODE, message: AUDIT_UNAVAILABLE_MESSAGE } }) });
    }
    // A batch that mixed requests with notifications keeps only the notifications.
    const rest = items.filter((item) => !isRequest(item));
    if (Array.isArray(message) && rest.length > 0) outputs.push({ to: 'server', data: JSON.stringify(rest) });
  }
  const records = outcome.records.map((record) =>
    record.direction === 'client' && record.id !== undefined && record.method !== undefined && refused > 0
      ? { ...record, verdict: 'block' as const, rules: [...record.rules, 'audit.unavailable'], reason: AUDIT_UNAVAILABLE_MESSAGE }
      : record,
  );
  return { outputs, records, ...(ownDropped && { ownDropped }), ...(refusedIds.length > 0 && { refusedIds }) };
}

function parse(data: Buffer | string): unknown {
  try {
    return parseJson(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRequest(value: unknown): value is { id: string | number; method: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const message = value as Record<string, unknown>;
  return typeof message.method === 'string' && 'id' in message && message.id !== null && message.id !== undefined;
}
