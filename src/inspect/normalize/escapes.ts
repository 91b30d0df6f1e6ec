/**
 * Backslash escapes from programming languages and shells: `\u002e`, `\u{2e}`, `\U0000002e`,
 * `\x2e` and octal `\056` (byte runs go through lenient UTF-8, like percent-escapes), and the
 * glued `0x2e` spelling that traversal fuzzers use, decoded only where it spells punctuation
 * so hex numbers in prose (`0x41`) stay as they are.
 */
import { MIN_BLOB_CHARS } from './blobs.js';
import { decodeUtf8Lenient, hexValue } from './bytes.js';

// A fixed number of hex digits at i, or -1.
function hexDigits(text: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k += 1) {
    const d = hexValue(text.charCodeAt(i + k));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

interface Escape {
  /** A UTF-16 string, or a byte to join with neighbouring bytes. */
  text?: string;
  byte?: number;
  end: number;
}

// `\u{...}`: one to six hex digits.
function braced(text: string, i: number): Escape | undefined {
  let v = 0;
  let k = i + 3;
  while (k - i - 3 < 6 && hexValue(text.charCodeAt(k)) >= 0) {
    v = v * 16 + hexValue(text.charCodeAt(k));
    k += 1;
  }
  if (k === i + 3 || text.charCodeAt(k) !== 0x7d || v > 0x10ffff) return undefined;
  return { text: String.fromCodePoint(v), end: k + 1 };
}

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

// The escape starting at the backslash at i, or undefined.
function backslash(text: string, i: number): Escape | undefined {
  const kind = text.charCodeAt(i + 1);
  if (kind === 0x75 && text.charCodeAt(i + 2) === 0x7b) return braced(text, i);
  if (kind === 0x75) {
    const v = hexDigits(text, i + 2, 4);
    return v < 0 ? undefined : { text: String.fromCharCode(v), end: i + 6 };
  }
  if (kind === 0x55) {
    const v = hexDigits(text, i + 2, 8);
    return v < 0 || v > 0x10ffff ? undefined : { text: String.fromCodePoint(v), end: i + 10 };
  }
  if (kind === 0x78 || kind === 0x58) {
    const v = hexDigits(text, i + 2, 2);
    return v < 0 ? undefined : { byte: v, end: i + 4 };
  }
  if (kind >= 0x30 && kind <= 0x33 && isOctal(text.charCodeAt(i + 2)) && isOctal(text.charCodeAt(i + 3))) {
    return { byte: (kind - 0x30) * 64 + (text.charCodeAt(i + 2) - 0x30) * 8 + (text.charCodeAt(i + 3) - 0x30), end: i + 4 };
  }
  return undefined;
}

// ASCII punctuation: what `0x2e`-style fuzzing spells. Letters, digits and controls are not.
function isPunctuation(v: number): boolean {
  return (v >= 0x21 && v <= 0x2f) || (v >= 0x3a && v <= 0x40) || (v >= 0x5b && v <= 0x60) || (v >= 0x7b && v <= 0x7e);
}

// `0xHH` at i, where HH is punctuation, or undefined. Sixteen hex digits or more after
// `0x` are a hex blob, the blob decoder's business.
function glued(text: string, i: number): Escape | undefined {
  if ((text.charCodeAt(i + 1) | 0x20) !== 0x78) return undefined;
  let digits = 0;
  while (digits < MIN_BLOB_CHARS && hexValue(text.charCodeAt(i + 2 + digits)) >= 0) digits += 1;
  if (digits >= MIN_BLOB_CHARS) return undefined;
  const v = hexDigits(text, i + 2, 2);
  return v >= 0 && isPunctuation(v) ? { text: String.fromCharCode(v), end: i + 4 } : undefined;
}

// Where escapes may start: backslashes and `0x`/`0X`, found with native searches (much
// faster than a loop in script) and remembered until passed.
class Starts {
  private next = [-1, -1, -1];
  private readonly needles = ['\\', '0x', '0X'];

  constructor(private readonly text: string) {
    this.next = this.needles.map((n) => text.indexOf(n));
  }

  /** The first start at or after `from`, or -1. */
  from(from: number): number {
    let best = -1;
    for (let k = 0; k < this.needles.length; k += 1) {
      let at = this.next[k] ?? -1;
      if (at >= 0 && at < from) at = this.next[k] = this.text.indexOf(this.needles[k] ?? '', from);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    return best;
  }
}

/** One pass of escape decoding; returns the input itself when nothing was decoded. */
export function unescapeOnce(text: string): string {
  const parts: string[] = [];
  let bytes: number[] = [];
  let bytesFrom = 0;
  let copied = 0;
  // A lone byte escape that is no character (`\xff`) stays as written, as in url.ts.
  const flush = (): void => {
    const read = decodeUtf8Lenient(bytes);
    if (bytes.length > 1 || (bytes.length === 1 && read.dropped === 0)) parts.push(read.text);
    else if (bytes.length === 1) parts.push(text.slice(bytesFrom, bytesFrom + 4));
    bytes = [];
  };
  const starts = new Starts(text);
  for (let i = starts.from(0); i >= 0; ) {
    const esc = text.charCodeAt(i) === 0x5c ? backslash(text, i) : glued(text, i);
    if (esc === undefined) {
      i = starts.from(i + 1);
      continue;
    }
    // Bytes accumulate across adjacent escapes only: `\xc0\xae` is one sequence.
    if (i > copied || esc.byte === undefined) flush();
    parts.push(text.slice(copied, i));
    if (esc.byte !== undefined && bytes.length === 0) bytesFrom = i;
    if (esc.byte !== undefined) bytes.push(esc.byte);
    else parts.push(esc.text ?? '');
    copied = esc.end;
    i = starts.from(esc.end);
  }
  if (copied === 0) return text;
  flush();
  parts.push(text.slice(copied));
  return parts.join('');
}
