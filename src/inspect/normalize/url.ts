/**
 * Percent-decoding as servers (and careless servers) do it: `%XX` byte runs through lenient
 * UTF-8, IIS-style `%uXXXX`, and optionally `+` as a space (HTML form encoding).
 */
import { decodeUtf8Lenient, hexValue } from './bytes.js';

// `%XX` at i, as a byte, or -1.
function percentByte(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x25) return -1;
  const hi = hexValue(text.charCodeAt(i + 1));
  const lo = hexValue(text.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// `%uXXXX` at i, as a UTF-16 code unit, or -1.
function percentUnit(text: string, i: number): number {
  const u = text.charCodeAt(i + 1);
  if (text.charCodeAt(i) !== 0x25 || (u !== 0x75 && u !== 0x55)) return -1;
  let v = 0;
  for (let k = 2; k < 6; k += 1) {
    const d = hexValue(text.charCodeAt(i + k));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Where decoding may start next: '%' always, '+' in form decoding.
function nextStart(text: string, from: number, plusAsSpace: boolean): number {
  const percent = text.indexOf('%', from);
  if (!plusAsSpace) return percent;
  const plus = text.indexOf('+', from);
  return percent < 0 ? plus : plus < 0 ? percent : Math.min(percent, plus);
}

/** One pass of percent-decoding; returns the input itself when nothing was decoded. */
export function percentDecodeOnce(text: string, plusAsSpace = false): string {
  const parts: string[] = [];
  let copied = 0;
  for (let i = nextStart(text, 0, plusAsSpace); i >= 0; ) {
    let end = -1;
    let decoded = '';
    if (text.charCodeAt(i) === 0x2b) {
      decoded = ' ';
      end = i + 1;
    } else if (percentUnit(text, i) >= 0) {
      decoded = String.fromCharCode(percentUnit(text, i));
      end = i + 6;
    } else {
      // A run of %XX is decoded together: multi-byte UTF-8 spans several escapes.
      const bytes: number[] = [];
      let j = i;
      for (let b = percentByte(text, j); b >= 0; b = percentByte(text, j)) {
        bytes.push(b);
        j += 3;
      }
      const read = decodeUtf8Lenient(bytes);
      // A single escape that is no character (`%da` in `%date%`, `%ca` in `'%cable%'`) is
      // left as written: it is a literal percent sign, not an attempt at a byte sequence.
      if (bytes.length > 1 || (bytes.length === 1 && read.dropped === 0)) {
        decoded = read.text;
        end = j;
      }
    }
    if (end < 0) {
      i = nextStart(text, i + 1, plusAsSpace);
      continue;
    }
    parts.push(text.slice(copied, i), decoded);
    copied = end;
    i = nextStart(text, end, plusAsSpace);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Decoded text and how many passes changed it (0: nothing to decode). */
export interface Repeated {
  text: string;
  rounds: number;
}

/** Percent-decodes until the text stops changing, at most `maxRounds` times (`%252e` → `%2e` → `.`). */
export function percentDecode(text: string, maxRounds: number, plusAsSpace = false): Repeated {
  let current = text;
  let rounds = 0;
  while (rounds < maxRounds) {
    // '+' becomes a space only in the first pass: later passes see what a server decoded.
    const next = percentDecodeOnce(current, plusAsSpace && rounds === 0);
    if (next === current) break;
    current = next;
    rounds += 1;
  }
  return { text: current, rounds };
}
