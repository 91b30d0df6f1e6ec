/**
 * What the shim writes is one line to every common reader (DESIGN.md invariant 14).
 *
 * Readers split lines differently: Python's universal newlines and Node's readline on
 * "\r", "\n" and "\r\n"; Java's and .NET's ReadLine likewise; Python's str.splitlines
 * also on "\v", "\f", "\x1c", "\x1d", "\x1e", U+0085, U+2028 and U+2029; Go and Rust on
 * "\n" only. A frame the shim checked as one JSON text could otherwise reach a server as
 * two frames, the second never examined. So every output is canonicalised, not refused:
 * - a raw CR can only be whitespace in valid JSON (in a string it must be escaped), so it
 *   is removed;
 * - U+0085, U+2028 and U+2029 can only sit inside strings (they are not JSON whitespace),
 *   so they are written as their \u escapes: the same string to every JSON reader;
 * - a leading byte order mark, which the shim's decoder skipped, is removed;
 * - bytes that are not UTF-8 (server frames are decoded leniently) are replaced by what the
 *   shim decoded, so no decoder can read them differently.
 * "\n", "\v", "\f" and "\x1c"-"\x1e" cannot appear raw in valid JSON at all. Every output
 * is valid JSON (parsed strictly, by JSON.parse, or serialised by the shim), so these
 * rewrites keep its value exactly. A frame with none of these bytes is returned as it is.
 */
import { isUtf8 } from 'node:buffer';

const CR = 0x0d;
// U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8; U+0085 is C2 85.
const LS_PS_PREFIX = Buffer.from([0xe2, 0x80]);
const NEL = Buffer.from([0xc2, 0x85]);
const BOM = 0xfeff;
const SEPARATORS = /[\r\u0085\u2028\u2029]/;
const SEPARATORS_ALL = /[\r\u0085\u2028\u2029]/g;

function escapeSeparator(ch: string): string {
  return ch === '\r' ? '' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The text of a frame, made one line for every reader (see the file comment). */
export function oneLineText(text: string): string {
  const body = text.charCodeAt(0) === BOM ? text.slice(1) : text;
  return SEPARATORS.test(body) ? body.replace(SEPARATORS_ALL, escapeSeparator) : body;
}

/** True when the bytes need no rewrite: UTF-8, no BOM, no CR, no U+0085/U+2028/U+2029. */
export function isOneLine(bytes: Buffer): boolean {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false;
  if (bytes.indexOf(CR) !== -1 || bytes.indexOf(NEL) !== -1) return false;
  for (let at = bytes.indexOf(LS_PS_PREFIX); at !== -1; at = bytes.indexOf(LS_PS_PREFIX, at + 2)) {
    const third = bytes[at + 2];
    if (third === 0xa8 || third === 0xa9) return false;
  }
  return isUtf8(bytes);
}

/** One frame to write, made one line for every reader: the same bytes when nothing needs changing. */
export function oneLine(data: Buffer | string): Buffer | string {
  if (typeof data === 'string') return oneLineText(data);
  return isOneLine(data) ? data : oneLineText(data.toString('utf8'));
}
