/**
 * A client frame read strictly (strict-json.ts) and judged sendable as written (verbatim.ts),
 * the usual frame in one native parse and one walk over its structure.
 *
 * Most client frames are printable ASCII without a backslash, with plain integers only. For
 * such text JSON.parse and the strict parser read the same value whenever no object repeats a
 * key and nesting stays within the limit (unambiguous.ts: it has no escaped key, and every
 * number is exact as a double), and the text is sendable as written by definition. The walk
 * below checks exactly that, skipping strings natively (with no backslash, the next quote
 * closes one). Any other text is read as before: parseStrict, then sendableAsWritten.
 */
import { OpenKeys } from './open-keys.js';
import { parseStrict, type StrictParseResult } from './strict-json.js';
import { sendableAsWritten } from './verbatim.js';

/** A client frame's strict reading, and whether it may go to the server as it came. */
export interface ClientReading {
  parsed: StrictParseResult;
  /** `sendableAsWritten(text)`, asked only of text that parsed. */
  sendable: boolean;
}

// Anything but printable ASCII, and the backslash: text with one of these takes the usual path.
const NOT_PLAIN = /[^\x20-\x5b\x5d-\x7e]/;
// parseStrict's default nesting limit, which the engine reads client frames with.
const MAX_DEPTH = 512;
const MAX_DIGITS = 15;
// The longest text read from its bytes when given them: a longer one's strings are skipped natively.
const BYTES_WALK_MAX_CHARS = 1024;

const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** `parseStrict(text)` with default options, and `sendableAsWritten(text)` when it parsed. */
export function readClientText(text: string): ClientReading {
  const value = readPlainClientText(text);
  return value === NOT_PLAIN_TEXT ? readClientTextSlowly(text) : { parsed: { ok: true, value }, sendable: true };
}

/** What readPlainClientText returns for text it does not read: readClientTextSlowly reads it. */
export const NOT_PLAIN_TEXT: unique symbol = Symbol('not plain text');

/**
 * The value of the usual frame (see the file comment), which parses and is sendable as written,
 * with no reading made around it; NOT_PLAIN_TEXT for any other text. readClientText is this,
 * then readClientTextSlowly: the engine calls the two itself.
 *
 * `ascii`: the caller knows the text is ASCII (the framer read it from ASCII bytes). It is then
 * not searched for NOT_PLAIN's characters in one regex pass over every character: of those,
 * once JSON.parse accepted it, ASCII text can hold only a backslash or DEL (in a string) and
 * tab or CR (whitespace between tokens: a string holds no raw character below U+0020). The
 * first two are looked for natively, the other two by the structure walk, which reads every
 * character outside strings anyway. Either way the same texts are plain.
 */
export function readPlainClientText(text: string, ascii = false, bytes?: Uint8Array): unknown {
  // `bytes`: the ASCII bytes the text was read from, one per character. The walk then reads
  // them rather than the string (an element of a byte array is a cheaper read than a character
  // of a string), and looks for a backslash or DEL itself: outside strings JSON.parse allows
  // neither, and it reads every character inside one (plainBytes).
  if (ascii && bytes !== undefined && bytes.length === text.length && text.length <= BYTES_WALK_MAX_CHARS) return readPlainBytes(text, bytes);
  if (ascii ? text.indexOf('\\') !== -1 || text.indexOf('\x7f') !== -1 : NOT_PLAIN.test(text)) return NOT_PLAIN_TEXT;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_PLAIN_TEXT;
  }
  return plainStructure(text) ? value : NOT_PLAIN_TEXT;
}

// readPlainClientText of ASCII text and its bytes (see there).
function readPlainBytes(text: string, bytes: Uint8Array): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_PLAIN_TEXT;
  }
  return plainBytes(text, bytes) ? value : NOT_PLAIN_TEXT;
}

/** readClientText for text readPlainClientText does not read. */
export function readClientTextSlowly(text: string): ClientReading {
  const parsed = parseStrict(text);
  return { parsed, sendable: parsed.ok && sendableAsWritten(text) };
}

const OPEN = new OpenKeys();

/**
 * True when `text` (ASCII with no backslash or DEL, accepted by JSON.parse) has no whitespace
 * but spaces (no tab or CR: the rest of NOT_PLAIN, see readPlainClientText), repeats no key in
 * an object, nests at most MAX_DEPTH deep, and has only integers of at most 15 digits, not -0
 * (sendableAsWritten's numbers; each is exact as a double).
 */
function plainStructure(text: string): boolean {
  const open = OPEN;
  open.reset();
  let expectKey = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // No backslash in the text: the next quote closes the string.
      const close = text.indexOf('"', i + 1);
      if (expectKey) {
        expectKey = false;
        if (!open.add(text, i + 1, close)) return false;
      }
      i = close + 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.depth >= MAX_DEPTH) return false;
      open.open(c === OPEN_BRACE);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.close();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = open.inObject;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      let at = c === MINUS ? i + 1 : i;
      // Valid JSON: a minus is followed by a digit, and a 0 starts no longer integer.
      if (c === MINUS && text.charCodeAt(at) === DIGIT_0) return false;
      const first = at;
      for (let d = text.charCodeAt(at); d >= DIGIT_0 && d <= DIGIT_9; d = text.charCodeAt(++at));
      if (at - first > MAX_DIGITS) return false;
      const next = text.charCodeAt(at);
      // A fraction or an exponent.
      if (next === 0x2e || next === 0x65 || next === 0x45) return false;
      i = at;
      continue;
    } else if (c < SPACE) {
      return false;
    }
    i++;
  }
  return true;
}

const BACKSLASH = 0x5c;
const DEL = 0x7f;

/**
 * plainStructure(text) for ASCII text accepted by JSON.parse, read from its bytes (`bytes[i]`
 * is text's character i), and false for text with a backslash or DEL (the rest of NOT_PLAIN
 * that readPlainClientText looks for natively in the string): a string is read to its closing
 * quote byte by byte, and either one in it ends the walk. Outside strings JSON.parse allows
 * neither, and every other character is read as plainStructure reads it.
 */
function plainBytes(text: string, bytes: Uint8Array): boolean {
  const open = OPEN;
  open.reset();
  let expectKey = false;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      // No backslash before it (one ends the walk): the next quote closes the string.
      let close = i + 1;
      for (; close < n; close++) {
        const d = bytes[close]!;
        if (d === QUOTE) break;
        if (d === BACKSLASH || d === DEL) return false;
      }
      if (expectKey) {
        expectKey = false;
        if (!open.add(text, i + 1, close)) return false;
      }
      i = close + 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.depth >= MAX_DEPTH) return false;
      open.open(c === OPEN_BRACE);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.close();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = open.inObject;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      let at = c === MINUS ? i + 1 : i;
      // Valid JSON: a minus is followed by a digit, and a 0 starts no longer integer.
      if (c === MINUS && bytes[at] === DIGIT_0) return false;
      const first = at;
      while (at < n && bytes[at]! >= DIGIT_0 && bytes[at]! <= DIGIT_9) at++;
      if (at - first > MAX_DIGITS) return false;
      const next = at < n ? bytes[at]! : 0;
      // A fraction or an exponent.
      if (next === 0x2e || next === 0x65 || next === 0x45) return false;
      i = at;
      continue;
    } else if (c < SPACE || c === BACKSLASH || c === DEL) {
      return false;
    }
    i++;
  }
  return true;
}
