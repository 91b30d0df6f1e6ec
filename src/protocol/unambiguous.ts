/**
 * Whether JSON text that JSON.parse accepted reads the same to the strict parser
 * (strict-json.ts), so that JSON.parse's value can stand for the strict one (DESIGN.md
 * invariant 8: "a check that the original bytes parse unambiguously").
 *
 * JSON.parse already holds text to the RFC grammar (no comments, trailing commas, leading
 * zeros, raw control characters). It differs from the strict parser in three ways only,
 * and this walk looks for each: a repeated key (refused, not "last wins"), a number whose
 * text a double would change (kept exactly as a RawNumber), and nesting past the depth
 * limit. A key spelled with an escape is also left to the strict parser (a V8 bug, below). Strings are skipped natively (indexOf), so a frame that is mostly one long string,
 * the usual large result, costs a few structural characters to check, not a JS loop over
 * every character.
 */

import { OpenKeys } from './open-keys.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** What the check is asked to hold the text to. */
export interface UnambiguousOptions {
  /** Deepest nesting of arrays/objects allowed; `[]` has depth 1. */
  maxDepth: number;
  /** Whether a repeated key (after unescaping) makes the text ambiguous. */
  rejectDuplicateKeys: boolean;
}

/**
 * True when `text`, which JSON.parse accepted, has no repeated key (when those are refused),
 * no number a double would change, and no nesting past `maxDepth`: then `JSON.parse(text)`
 * is the value `parseStrict(text)` returns. False means only "ask the strict parser", which
 * gives the exact value (RawNumber) or the exact error.
 */
export function isUnambiguous(text: string, options: UnambiguousOptions): boolean {
  return walk(text, options.maxDepth, options.rejectDuplicateKeys) !== AMBIGUOUS;
}

/** What {@link unambiguousIdEnd} returns for a text that is not unambiguous. */
export const AMBIGUOUS = -2;
/** What {@link unambiguousIdEnd} returns for an unambiguous text with no top-level key "id". */
export const NO_TOP_LEVEL_ID = -1;

/**
 * isUnambiguous(text) with parseStrict's defaults (depth 512, repeated keys refused), and what
 * the same walk met on the way: the index just past the closing quote of the top-level
 * object's key "id" (spelled plainly: a key with an escape makes the text AMBIGUOUS), or
 * NO_TOP_LEVEL_ID. Nothing is said of the keys of a text that is AMBIGUOUS.
 */
export function unambiguousIdEnd(text: string, bytes?: Uint8Array): number {
  return bytes !== undefined && bytes.length === text.length && text.length <= BYTES_WALK_MAX_CHARS ? walkBytes(text, bytes) : walk(text, 512, true);
}

/** The longest text unambiguousIdEnd reads from its bytes when given them (a longer one's strings are skipped natively). */
export const BYTES_WALK_MAX_CHARS = 1024;

/**
 * walk(text, 512, true) for short text with no backslash, read from its ASCII bytes (`bytes[i]`
 * is text's character i): an element of a byte array is a cheaper read than a character of a
 * string, and a short string is read to its closing quote byte by byte sooner than a native
 * search is called for it. With no backslash, every string ends at its next quote and every key
 * is spelled plainly. The caller knows both (the bytes are ASCII, the text has no backslash).
 */
function walkBytes(text: string, bytes: Uint8Array): number {
  const open = OPEN;
  open.reset();
  let expectKey = false;
  const n = bytes.length;
  let idEnd = NO_TOP_LEVEL_ID;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      let close = i + 1;
      while (close < n && bytes[close] !== QUOTE) close++;
      const end = close + 1;
      if (expectKey) {
        expectKey = false;
        if (!open.add(text, i + 1, close)) return AMBIGUOUS;
        if (end === i + 4 && open.depth === 1 && bytes[i + 1] === 0x69 && bytes[i + 2] === 0x64) idEnd = end;
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.depth >= 512) return AMBIGUOUS;
      open.open(c === OPEN_BRACE);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.close();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = open.inObject;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = numberEnd(text, i);
      if (!exactAsDouble(text, i, end)) return AMBIGUOUS;
      i = end;
      continue;
    }
    i++;
  }
  return idEnd;
}

// The walk: AMBIGUOUS, or where the top-level key "id" ends (NO_TOP_LEVEL_ID when none was met).
function walk(text: string, maxDepth: number, rejectDuplicateKeys: boolean): number {
  // The keys of the open objects, as positions in the text (open-keys.ts).
  const open = OPEN;
  open.reset();
  let expectKey = false;
  const n = text.length;
  // The first backslash at or after the walk's place (n when there is none): backslashes are
  // only ever inside strings, so a string that closes before it has no escape in it. Such a
  // string ends at its next quote, and as a key it is spelled plainly; only a string with a
  // backslash in it is read quote by quote, and the next backslash looked for past it. (In a
  // long text, looking ahead could cost a pass of its own over its long strings: there the
  // place is not known, and every string is read quote by quote, every key looked through.)
  let backslash = n < LOOK_AHEAD_BELOW_CHARS ? backslashFrom(text, 0) : NOT_LOOKED_FOR;
  let idEnd = NO_TOP_LEVEL_ID;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const close = text.indexOf('"', i + 1);
      let end = close + 1;
      if (backslash < close) {
        end = stringEnd(text, close);
        if (backslash !== NOT_LOOKED_FOR) backslash = backslashFrom(text, end);
        // A key with an escape is left to the strict parser: Node 24's JSON.parse (V8, seen
        // on 24.21.0 after some warm-up) has read the key "a\"" as "a\\" when a key "a\\"
        // came later in the same text. Keys are what policy decisions read; plain keys are
        // the rule in real frames, so this costs nothing where it matters.
        if (expectKey) for (let k = i + 1; k < end - 1; k++) if (text.charCodeAt(k) === BACKSLASH) return AMBIGUOUS;
      }
      if (expectKey) {
        expectKey = false;
        if (rejectDuplicateKeys && !open.add(text, i + 1, end - 1)) return AMBIGUOUS;
        if (end === i + 4 && open.depth === 1 && text.charCodeAt(i + 1) === 0x69 && text.charCodeAt(i + 2) === 0x64) idEnd = end;
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.depth >= maxDepth) return AMBIGUOUS;
      open.open(c === OPEN_BRACE);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.close();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = open.inObject;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = numberEnd(text, i);
      if (!exactAsDouble(text, i, end)) return AMBIGUOUS;
      i = end;
      continue;
    }
    i++;
  }
  return idEnd;
}

// One for every walk: each runs to its end before another starts.
const OPEN = new OpenKeys();

// Below this length a walk looks ahead for the next backslash (see walk).
const LOOK_AHEAD_BELOW_CHARS = 64 * 1024;
// The walk's place of the next backslash in a text it does not look ahead in: before every string.
const NOT_LOOKED_FOR = -1;

// The first backslash at or after `from`, or the text's length when there is none.
function backslashFrom(text: string, from: number): number {
  const at = text.indexOf('\\', from);
  return at === -1 ? text.length : at;
}

// Index just past the string whose first quote after its opening one is at `q` (valid JSON: it is closed).
function stringEnd(text: string, q: number): number {
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    q = text.indexOf('"', q + 1);
  }
}

// Index just past the number that starts at `start`.
function numberEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    // Digits, ".", "e", "E", "+", "-": the only characters a JSON number holds.
    if ((c >= DIGIT_0 && c <= DIGIT_9) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS) i++;
    else return i;
  }
}

// True when the number's text is what a double prints back, as the strict parser decides
// between a number and a RawNumber.
function exactAsDouble(text: string, start: number, end: number): boolean {
  const negative = text.charCodeAt(start) === MINUS;
  const digits = end - start - (negative ? 1 : 0);
  // A plain integer of at most 15 digits is exact; "-0" is the one exception.
  if (digits <= 15) {
    let plain = true;
    for (let i = negative ? start + 1 : start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) {
        plain = false;
        break;
      }
    }
    if (plain) return !(negative && digits === 1 && text.charCodeAt(end - 1) === DIGIT_0);
  }
  const numText = text.slice(start, end);
  return String(Number(numText)) === numText;
}
