/**
 * isUnambiguous as it was at 8823f16 (src/protocol/unambiguous.ts), kept unchanged as the
 * reference the faster walk is compared with (unambiguous-walk.test.ts): every string read
 * quote by quote, every key looked through for a backslash.
 */
import { OpenKeys } from '../../src/protocol/open-keys.js';
import type { UnambiguousOptions } from '../../src/protocol/unambiguous.js';

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

/**
 * True when `text`, which JSON.parse accepted, has no repeated key (when those are refused),
 * no number a double would change, and no nesting past `maxDepth`: then `JSON.parse(text)`
 * is the value `parseStrict(text)` returns. False means only "ask the strict parser", which
 * gives the exact value (RawNumber) or the exact error.
 */
export function isUnambiguousBefore(text: string, options: UnambiguousOptions): boolean {
  const { maxDepth, rejectDuplicateKeys } = options;
  // The keys of the open objects, as positions in the text (open-keys.ts).
  const open = OPEN;
  open.reset();
  let expectKey = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey) {
        expectKey = false;
        // A key with an escape is left to the strict parser: Node 24's JSON.parse (V8, seen
        // on 24.21.0 after some warm-up) has read the key "a\"" as "a\\" when a key "a\\"
        // came later in the same text. Keys are what policy decisions read; plain keys are
        // the rule in real frames, so this costs nothing where it matters.
        for (let k = i + 1; k < end - 1; k++) if (text.charCodeAt(k) === BACKSLASH) return false;
        if (rejectDuplicateKeys && !open.add(text, i + 1, end - 1)) return false;
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.depth >= maxDepth) return false;
      open.open(c === OPEN_BRACE);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.close();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = open.inObject;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = numberEnd(text, i);
      if (!exactAsDouble(text, i, end)) return false;
      i = end;
      continue;
    }
    i++;
  }
  return true;
}

// One for every walk: each runs to its end before another starts.
const OPEN = new OpenKeys();

// Index just past the string that opens at `start` (valid JSON: it is closed).
function stringEnd(text: string, start: number): number {
  let q = text.indexOf('"', start + 1);
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

/** Whether JSON.parse accepts `text`: the walks are asked only of such text. */
export function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
