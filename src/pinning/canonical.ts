/** Canonical JSON (keys sorted at every depth) and its SHA-256: a definition's fingerprint. */
import { nodeCrypto } from '../util/node-crypto.js';

/** The value as JSON with object keys sorted, so the same definition always reads the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON, in hex. */
export function fingerprint(value: unknown): string {
  return nodeCrypto().createHash('sha256').update(canonicalJson(value)).digest('hex');
}
