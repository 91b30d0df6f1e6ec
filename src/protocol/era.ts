/**
 * The two protocol eras. Legacy sessions negotiate a version once with `initialize`;
 * modern (2026-07-28) requests carry their version in `_meta` on every request.
 */
import { isObject, type JsonObject } from './jsonrpc.js';

/** The `_meta` key that marks a modern-era request. */
export const MODERN_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The protocol version a modern request names, if any. */
export function modernVersionOf(params: JsonObject | undefined): string | undefined {
  const meta = params?._meta;
  if (!isObject(meta)) return undefined;
  const version = meta[MODERN_VERSION_KEY];
  return typeof version === 'string' ? version : undefined;
}
