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
import { asciiFrame, KEEP_FROM_BYTES } from './ascii-frame.js';

const CR = 0x0d;
// U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8; U+0085 is C2 85. Their last bytes are
// found with memchr and their lead bytes checked; where those last bytes are common (é is
// C3 A9), after a few of them the frame is scanned once by a regex over its bytes instead.
const SEPARATOR_ENDS: Array<[number, number, number | undefined]> = [
  [0xa8, 0x80, 0xe2],
  [0xa9, 0x80, 0xe2],
  [0x85, 0xc2, undefined],
];
const SEPARATOR_BYTES = /\xc2\x85|\xe2\x80[\xa8\xa9]/;
const CANDIDATES_BEFORE_REGEX = 32;
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
  if (bytes.indexOf(CR) !== -1) return false;
  if (asciiFrame(bytes)) return true;
  let candidates = 0;
  for (const [last, lead, first] of SEPARATOR_ENDS) {
    for (let at = bytes.indexOf(last); at !== -1; at = bytes.indexOf(last, at + 1)) {
      if (bytes[at - 1] === lead && (first === undefined || bytes[at - 2] === first)) return false;
      if (++candidates === CANDIDATES_BEFORE_REGEX) return !SEPARATOR_BYTES.test(bytes.toString('latin1')) && isUtf8(bytes);
    }
  }
  return isUtf8(bytes);
}

const NEEDS_LOOK = /[\r\u0085\u2028\u2029\ufeff\ufffd]/;

/**
 * {@link oneLine} for a frame whose decoded text is at hand (one regex pass over a string
 * instead of several over the bytes). U+FFFD in the text may stand for bytes that were not
 * UTF-8, so only then are the bytes checked.
 */
export function oneLineFrame(bytes: Buffer, text: string): Buffer | string {
  // Most frames are ASCII without CR. Below the size whose answer asciiFrame keeps, the
  // decoded text settles it in two searches, cheaper than two calls into the bytes: a
  // decoder makes at most one character of a byte (two to four bytes of a UTF-8 sequence make
  // one or two, a BOM none; bytes that are not UTF-8 make one U+FFFD for one to three, or are
  // refused), so a text as long as its frame with no U+FFFD is its ASCII bytes one for one,
  // CRs included.
  if (bytes.length < KEEP_FROM_BYTES && text.length === bytes.length && text.indexOf('\ufffd') === -1 && text.indexOf('\r') === -1) return bytes;
  if (bytes.indexOf(CR) === -1 && asciiFrame(bytes)) return bytes;
  // A decoder may have skipped a leading BOM: it is looked for in the bytes.
  if (bytes[0] !== 0xef && !NEEDS_LOOK.test(text)) return bytes;
  return isOneLine(bytes) ? bytes : oneLineText(text);
}

/** One frame to write, made one line for every reader: the same bytes when nothing needs changing. */
export function oneLine(data: Buffer | string): Buffer | string {
  if (typeof data === 'string') return oneLineText(data);
  return isOneLine(data) ? data : oneLineText(data.toString('utf8'));
}
