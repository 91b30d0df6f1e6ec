/**
 * Every reading of the top-level `"id"` of a server frame, with its exact source text. A
 * peer whose parser keeps the first of two keys reads a different id than one keeping
 * the last (JSON.parse, Python's json), so an answer is matched only when there is one.
 */

import { AMBIGUOUS, unambiguousIdEnd } from './unambiguous.js';

/** One top-level `"id"` member as written. */
export interface IdReading {
  value: unknown;
  /** The value's JSON text in the frame (a string with its quotes). */
  raw: string;
}

/**
 * The top-level `"id"` members of `text`, which must be one JSON object that JSON.parse
 * accepted (so only strings and nesting need tracking here). Most frames spell `"id"` once
 * and are read from that spot; the others are walked once, strings skipped natively.
 */
export function readTopLevelIds(text: string): IdReading[] {
  // The only other spellings of the key "id" escape its "i" or "d" (\u0069, \u0064).
  const escaped = text.indexOf('\\u006') !== -1;
  const first = quotedIdAt(text, 0);
  if (first === -1 && !escaped) return [];
  if (first !== -1 && !escaped && quotedIdAt(text, first + 4) === -1) {
    // Spelled once and parsed as a key: the frame's only "id" member is this one.
    return [scalarAfterKey(text, first + 4)];
  }
  return walkTopLevel(text);
}

/** Where readAnswerIds notes whether the text it walked is unambiguous (unambiguous.ts). */
export interface UnambiguityNote {
  /** isUnambiguous(text) with parseStrict's defaults; undefined until a walk said. */
  unambiguous: boolean | undefined;
}

/**
 * readTopLevelIds(text), for an answer whose strict reading is wanted too: the walk that
 * tells whether the text is unambiguous (noted on `note`) meets the top-level key "id" on its
 * way, and in an unambiguous text that key is the only "id" member, spelled plainly, so its
 * value is read from there. Any other text is read by readTopLevelIds.
 */
export function readAnswerIds(text: string, note: UnambiguityNote, plainBytes?: Uint8Array): IdReading[] {
  // (`plainBytes`: the text's ASCII bytes, given only for text with no backslash: unambiguousIdEnd.)
  const idEnd = unambiguousIdEnd(text, plainBytes);
  note.unambiguous = idEnd !== AMBIGUOUS;
  return idEnd >= 0 ? [scalarAfterKey(text, idEnd)] : readTopLevelIds(text);
}

/**
 * `text.indexOf('"id"', from)`, found by its tail: V8 searches a pattern from its first
 * character, and a JSON text is full of quotes, each a false start (a search past the one
 * "id" of an answer cost ten times one for `id"`). The "id" at p is the `id"` at p + 1 with
 * a quote before it, so the first of those at or after from + 1 is the first "id" at or
 * after from.
 */
export function quotedIdAt(text: string, from: number): number {
  for (let at = text.indexOf('id"', from + 1); at !== -1; at = text.indexOf('id"', at + 1)) {
    if (text.charCodeAt(at - 1) === 0x22) return at - 1;
  }
  return -1;
}

// Every top-level member named "id", in order, in valid JSON text.
function walkTopLevel(text: string): IdReading[] {
  const found: IdReading[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (depth === 1 && isKeyId(text, i, end)) {
        let j = end;
        while (isSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 0x3a) found.push(scalarAfterKey(text, end));
      }
      i = end;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return found;
}

// Index just past the string that opens at `start`: the next quote not escaped.
function stringEnd(text: string, start: number): number {
  let q = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    q = text.indexOf('"', q + 1);
  }
}

function isKeyId(text: string, start: number, end: number): boolean {
  if (end - start === 4) return text.startsWith('"id"', start);
  const raw = text.slice(start, end);
  return raw.includes('\\') && raw.length <= 14 && JSON.parse(raw) === 'id';
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDelimiter = (c: number): boolean => c === 0x2c || c === 0x7d || isSpace(c);

// The value after the key ending at `pos` (`: value`); a nested value reads as an object,
// which is no id.
function scalarAfterKey(text: string, pos: number): IdReading {
  let i = pos;
  while (isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x3a) return { value: undefined, raw: '' };
  i++;
  while (isSpace(text.charCodeAt(i))) i++;
  const start = i;
  const open = text.charCodeAt(i);
  if (open === 0x7b || open === 0x5b) return { value: {}, raw: open === 0x7b ? '{' : '[' };
  if (open === 0x22) {
    for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    i++;
  } else {
    while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
  }
  const raw = text.slice(start, Math.min(i, text.length));
  return { value: open === 0x22 ? (JSON.parse(raw) as unknown) : (plainInteger(raw) ?? (JSON.parse(raw) as unknown)), raw };
}

// The usual id, a short plain integer, read without a parse: the number JSON.parse gives
// (at most 15 digits is exact); anything else is left to JSON.parse.
function plainInteger(raw: string): number | undefined {
  const n = raw.length;
  if (n === 0 || n > 15 || (n > 1 && raw.charCodeAt(0) === 0x30)) return undefined;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const digit = raw.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}
