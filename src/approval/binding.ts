/** What an approval is bound to, and the short codes that name one for `vanguard approve`. */
import { nodeCrypto } from '../util/node-crypto.js';
import { canonicalJson } from '../pinning/canonical.js';
import type { Binding } from './types.js';

/** sha256 (hex) of the arguments as canonical JSON: equal arguments, however ordered, hash alike. */
export function argumentsHash(args: unknown): string {
  return nodeCrypto().createHash('sha256').update(canonicalJson(args ?? {})).digest('hex');
}

/** The binding of a call to this server. */
export function bindingOf(server: string, tool: string, args: unknown): Binding {
  return { server, tool, argsHash: argumentsHash(args) };
}

/** True when both name the same server, tool and arguments. */
export function sameBinding(a: Binding, b: Binding): boolean {
  return a.server === b.server && a.tool === b.tool && a.argsHash === b.argsHash;
}

// Crockford's base32 without I, L, O, U: easy to read aloud and type.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters in a code. */
export const CODE_LENGTH = 8;
/** What `vanguard approve` accepts as a code. */
export const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** A short code for the n-th offer of this binding, from the per-process key (unguessable without it). */
export function approvalCode(key: Uint8Array, binding: Binding, n: number): string {
  const mac = nodeCrypto().createHmac('sha256', key).update(`vanguard-code\u0000${binding.server}\u0000${binding.tool}\u0000${binding.argsHash}\u0000${n}`).digest();
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[(mac[i] as number) % 32];
  return code;
}
