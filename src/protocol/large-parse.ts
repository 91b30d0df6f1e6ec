/**
 * JSON.parse for a large frame, without copying its long strings. JSON.parse reads a string
 * character by character and copies it into a new string on the heap: for an 8 MiB result,
 * most of the parse's time and 8 MiB that only a full collection frees. A string value with
 * no escape and no character below U+0020 is, as a value, exactly the characters between its
 * quotes, so in an ASCII frame it is that stretch of the frame's text: a slice, no copy (the
 * text, decoded as latin1, is held off the heap).
 *
 * So: long string values without a backslash are found by their quotes (native searches),
 * checked for characters below U+0020 (control-free.ts), and replaced by short placeholders;
 * JSON.parse reads the rest; each placeholder is then replaced by its string. Why the value is
 * JSON.parse(text)'s: the text and the short one differ only inside those quotes, where one
 * valid string body (no quote, backslash or control character) stands for another, so one
 * parses exactly when the other does, with the same structure and keys (a string followed by
 * ":" is a key and is never replaced). Each placeholder must be found exactly once among the
 * parsed values (a real string equal to it, or one dropped with a repeated key, makes it
 * twice or never; both at once would cancel out, so a text that writes a NUL at all is parsed
 * whole): otherwise, and on any doubt, the text is parsed whole by JSON.parse.
 */
import { asciiFrame } from './ascii-frame.js';
import { controlFree } from './control-free.js';
import { hasEscapedKey, readKeysAsWritten } from './escaped-keys.js';

/** From this length on, a text is looked at for long strings. */
export const LARGE_TEXT_FROM = 256 * 1024;
/** Strings at least this long are taken as slices. */
export const LONG_STRING_FROM = 16 * 1024;

/** Strings looked at, at most, from the start: a frame of many short strings is not walked through one by one. */
const MOST_STRINGS = 4096;

const BACKSLASH = 0x5c;
// A placeholder's body: a character no frame holds raw (it is below U+0020) and a number.
const MARK = '\\u0000vanguard-slice-';

/**
 * JSON.parse(text): the same value, or the same throw (see the file comment), with every key
 * read as written (Node 24.21.0's JSON.parse can misread one spelled with an escape:
 * escaped-keys.ts). `bytes`: the frame `text` was read from as latin1 (frameToString does for
 * a large ASCII frame): a long value is then a slice of the text (its bytes are read for
 * control characters); from any other text, it is parsed whole. (A long value used to be copied out of the bytes, a string
 * of its own, for V8 lower-cased a slice more slowly; a long one-byte text is no longer
 * lower-cased whole (src/inspect/lower-case.ts), and the copy cost an 8 MiB result 4-6 ms.)
 */
export function parseJsonText(text: string, bytes?: Buffer): unknown {
  const value = parseJsonTextNatively(text, bytes);
  return hasEscapedKey(text) ? readKeysAsWritten(text) : value;
}

/**
 * parseJsonText without the look for keys spelled with an escape: on Node 24.21.0 such a key
 * may be misread. For a caller that learns otherwise whether the text has one (the engine's
 * server frames: src/engine/server-reading.ts).
 */
export function parseJsonTextNatively(text: string, bytes?: Buffer): unknown {
  if (text.length < LARGE_TEXT_FROM || bytes === undefined || bytes.length !== text.length || !asciiFrame(bytes)) return JSON.parse(text);
  // A real string spelled like a placeholder (its NUL can only be written \u0000) could stand in
  // for one a repeated key dropped, and each would look found once: such a text is parsed whole.
  if (text.includes('\\u0000')) return JSON.parse(text);
  const slices = longStrings(text, bytes);
  if (slices === undefined) return JSON.parse(text);
  let short = '';
  let kept = 0;
  slices.forEach(([from, to], i) => {
    short += text.slice(kept, from) + MARK + i;
    kept = to;
  });
  short += text.slice(kept);
  let value: unknown;
  try {
    value = JSON.parse(short);
  } catch {
    return JSON.parse(text);
  }
  const placed = fill(value, text, slices);
  return placed === undefined ? JSON.parse(text) : placed;
}

// The bodies [from, to) of the long string values to slice, or undefined when there are none.
// (Stopping early is safe: the strings found before are found from the start, as the parser reads them.)
// `bytes`: what `text` was read from as latin1, offset for offset (read for control characters).
function longStrings(text: string, bytes: Buffer): Array<[number, number]> | undefined {
  let found: Array<[number, number]> | undefined;
  let nextBackslash = text.indexOf('\\');
  let strings = 0;
  for (let open = text.indexOf('"'); open !== -1 && strings++ < MOST_STRINGS; ) {
    // Past the backslashes before it: the string's closing quote.
    let close = text.indexOf('"', open + 1);
    if (close === -1) return found;
    if (nextBackslash !== -1 && nextBackslash < open) nextBackslash = text.indexOf('\\', open);
    const escaped = nextBackslash !== -1 && nextBackslash < close;
    if (escaped) {
      for (;;) {
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        close = text.indexOf('"', close + 1);
        if (close === -1) return found;
      }
    } else if (close - open - 1 >= LONG_STRING_FROM && !isKey(text, close + 1) && controlFree(bytes, open + 1, close) === true) {
      (found ??= []).push([open + 1, close]);
    }
    open = text.indexOf('"', close + 1);
  }
  return found;
}

// Whether the string that ends before `at` is a key: the next character that is not JSON whitespace is ":".
function isKey(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c === 0x3a;
  }
  return false;
}

// `value` with each placeholder i replaced by its stretch of `text`; undefined unless each is found exactly once.
function fill(value: unknown, text: string, slices: ReadonlyArray<[number, number]>): unknown {
  const seen = new Uint8Array(slices.length);
  let bad = false;
  const placeholder = (v: unknown): number => {
    if (typeof v !== 'string' || !v.startsWith('\u0000vanguard-slice-')) return -1;
    const i = Number(v.slice(16));
    if (!Number.isInteger(i) || i < 0 || i >= slices.length || String(i) !== v.slice(16) || seen[i] !== 0) {
      bad = true;
      return -1;
    }
    seen[i] = 1;
    return i;
  };
  const sliceOf = (i: number): string => text.slice(slices[i]![0], slices[i]![1]);
  const top = placeholder(value);
  if (bad) return undefined;
  if (top >= 0) return slices.length === 1 ? sliceOf(top) : undefined;
  // Without recursion: a deep text must not overflow the stack here.
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let k = 0; k < node.length; k++) {
        const i = placeholder(node[k]);
        if (i >= 0) node[k] = sliceOf(i);
        else if (typeof node[k] === 'object' && node[k] !== null) stack.push(node[k]);
      }
    } else if (typeof node === 'object' && node !== null) {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const i = placeholder(obj[key]);
        // (defineProperty: a key "__proto__" is an own property, which assignment would not set.)
        if (i >= 0) Object.defineProperty(obj, key, { value: sliceOf(i), writable: true, enumerable: true, configurable: true });
        else if (typeof obj[key] === 'object' && obj[key] !== null) stack.push(obj[key]);
      }
    }
    if (bad) return undefined;
  }
  return seen.every((s) => s === 1) ? value : undefined;
}
