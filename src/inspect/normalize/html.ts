/**
 * HTML character references: named (a short table), decimal `&#46;` and hex `&#x2e;`, with
 * or without the `;` browsers forgive, leading zeros allowed. Hand-written scanner: linear.
 */
import { hexValue } from './bytes.js';
import { NAMED_ENTITIES, SEMICOLON_OPTIONAL } from './html-entities.js';
import type { Repeated } from './url.js';

// Longest name in the table ('diacriticalgrave'); longer runs cannot match.
const MAX_NAME = 16;
// Digits read after leading zeros: enough for 0x10FFFF in decimal, the rest is ignored.
const MAX_DIGITS = 8;

interface Reference {
  text: string;
  end: number;
}

// A numeric reference starting at `&#`, or undefined.
function numeric(text: string, amp: number): Reference | undefined {
  let i = amp + 2;
  const x = text.charCodeAt(i) | 0x20;
  const base = x === 0x78 ? 16 : 10;
  if (base === 16) i += 1;
  while (text.charCodeAt(i) === 0x30 && isDigit(text.charCodeAt(i + 1), base)) i += 1;
  const start = i;
  let v = 0;
  while (i - start < MAX_DIGITS && isDigit(text.charCodeAt(i), base)) {
    v = v * base + hexValue(text.charCodeAt(i));
    i += 1;
  }
  if (i === start) return undefined;
  if (text.charCodeAt(i) === 0x3b) i += 1;
  const valid = v > 0 && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff);
  return { text: valid ? String.fromCodePoint(v) : '\ufffd', end: i };
}

function isDigit(c: number, base: number): boolean {
  const d = hexValue(c);
  return d >= 0 && d < base;
}

// A named reference starting at `&`, or undefined. Names are matched case-insensitively
// because browsers accept `&LT;` and `&Tab;`.
function named(text: string, amp: number): Reference | undefined {
  let i = amp + 1;
  while (i - amp - 1 < MAX_NAME && isAlnum(text.charCodeAt(i))) i += 1;
  const name = text.slice(amp + 1, i).toLowerCase();
  const value = NAMED_ENTITIES.get(name);
  if (value === undefined) return undefined;
  if (text.charCodeAt(i) === 0x3b) return { text: value, end: i + 1 };
  return SEMICOLON_OPTIONAL.has(name) ? { text: value, end: i } : undefined;
}

function isAlnum(c: number): boolean {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** One pass of HTML reference decoding; returns the input itself when nothing was decoded. */
export function htmlDecodeOnce(text: string): string {
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  while (amp >= 0) {
    const ref = text.charCodeAt(amp + 1) === 0x23 ? numeric(text, amp) : named(text, amp);
    if (ref !== undefined) {
      parts.push(text.slice(copied, amp), ref.text);
      copied = ref.end;
    }
    amp = text.indexOf('&', ref === undefined ? amp + 1 : ref.end);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Decodes until stable, at most `maxRounds` times (`&amp;#46;` → `&#46;` → `.`). */
export function htmlDecode(text: string, maxRounds: number): Repeated {
  let current = text;
  let rounds = 0;
  while (rounds < maxRounds) {
    const next = htmlDecodeOnce(current);
    if (next === current) break;
    current = next;
    rounds += 1;
  }
  return { text: current, rounds };
}
