/**
 * The `requestState` of a 2026-07-28 input_required answer. The client hands it back on its
 * retry, so it must prove the shim issued it, for this tool and these arguments, lately:
 * an HMAC over its contents with a per-process key (a forged or edited state fails), the
 * tool and the argument hash inside it (a retry with other arguments fails), an expiry,
 * and a nonce that is accepted once.
 */
import { nodeCrypto } from '../util/node-crypto.js';
import type { Binding } from './types.js';

/** Every state the shim issues starts with this; others are the server's own. */
export const STATE_PREFIX = 'vanguard.approval.1.';

interface StatePayload {
  s: string;
  t: string;
  h: string;
  /** Expires at (ms). */
  e: number;
  /** Nonce. */
  n: number;
}

function mac(key: Uint8Array, payload: string): Buffer {
  return nodeCrypto().createHmac('sha256', key).update(`vanguard-request-state\u0000${payload}`).digest();
}

/** A state for this binding, valid until `expiresAtMs`. */
export function issueState(key: Uint8Array, binding: Binding, expiresAtMs: number, nonce: number): string {
  const payload = Buffer.from(JSON.stringify({ s: binding.server, t: binding.tool, h: binding.argsHash, e: expiresAtMs, n: nonce } satisfies StatePayload)).toString('base64url');
  return `${STATE_PREFIX}${payload}.${mac(key, payload).toString('base64url')}`;
}

/** True when the state claims to be the shim's (whether or not it is genuine). */
export function isShimState(state: unknown): state is string {
  return typeof state === 'string' && state.startsWith(STATE_PREFIX);
}

export type StateCheck = { ok: true; nonce: number } | { ok: false; why: string };

/** Check a state handed back against the call it comes with. */
export function checkState(key: Uint8Array, state: string, binding: Binding, nowMs: number): StateCheck {
  const [payload, signature, extra] = state.slice(STATE_PREFIX.length).split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return { ok: false, why: 'the requestState is malformed' };
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !nodeCrypto().timingSafeEqual(given, expected)) return { ok: false, why: 'the requestState was not issued by this shim' };
  let read: StatePayload;
  try {
    read = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as StatePayload;
  } catch {
    return { ok: false, why: 'the requestState is malformed' };
  }
  if (read.s !== binding.server || read.t !== binding.tool) return { ok: false, why: 'the requestState was issued for another tool' };
  if (read.h !== binding.argsHash) return { ok: false, why: 'the arguments changed since approval was asked' };
  if (!(read.e > nowMs)) return { ok: false, why: 'the approval question expired' };
  return { ok: true, nonce: read.n };
}
