/**
 * JSON Web Tokens: three base64url parts, the first a JSON header naming its algorithm.
 * Decoding the header is what tells a real token from three dotted base64 runs.
 */
import { parseJson } from '../../protocol/escaped-keys.js';

const PART = /^[A-Za-z0-9_-]+$/;
const MAX_HEADER = 2048;

/** Decode base64url (padding optional) to text; undefined when it is not base64url. */
export function decodeBase64Url(part: string): string | undefined {
  let end = part.length;
  while (end > 0 && part[end - 1] === '=') end--;
  const bare = part.slice(0, end);
  if (!PART.test(bare) || bare.length % 4 === 1) return undefined;
  return Buffer.from(bare, 'base64url').toString('utf8');
}

// The JSON object a part decodes to, or undefined.
function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  if (part.length > MAX_HEADER * 2) return undefined;
  const text = decodeBase64Url(part);
  if (text === undefined) return undefined;
  try {
    const value: unknown = parseJson(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `token` (header.payload.signature; the signature may be empty, as with
 * `alg: none`) has a header that decodes to a JSON object with a string `alg`, and a
 * payload that is base64url.
 */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [header, payload, signature] = parts as [string, string, string];
  if (signature !== '' && !PART.test(signature)) return false;
  if (decodeBase64Url(payload) === undefined) return false;
  const decoded = decodeJsonObject(header);
  return decoded !== undefined && typeof decoded.alg === 'string';
}
