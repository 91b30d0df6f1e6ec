/**
 * JSON.parse, with every key read as written on every Node.
 *
 * Node 24.21.0's JSON.parse (V8 13.6) can give a key spelled with an escape the value of an
 * earlier key: the raw spelling's first characters, as many as the key has. After an object
 * `{"k":0,"m\\u006":1}` it reads `{"k":0,"m\u0065thod":1}` as having the key `m\u006` (V8
 * matched the key against the map it built before, whose one transition is that key); after
 * `{"a\\":1}`, `{"a\"":1}` as `{"a\\":1}`. Plain keys and string values are read right.
 * (test/adversarial/escaped-key-frames.test.ts is what a server could do with it.)
 *
 * A peer reading the same bytes (the SDK on another Node, a Python client) sees the key as
 * written, so the shim must too: text with a key spelled with an escape is read by the strict
 * parser instead, with JSON.parse's own rules (the last of a repeated key wins, numbers are
 * doubles, no depth limit). Real frames spell their keys plainly; a string without a backslash
 * is not looked at, and one with escapes (`\n`, Python's `\u00e9`) costs a search from its first
 * backslash to its closing quote.
 */
import { parseStrict, RawNumber } from './strict-json.js';

const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * True when some key of `text` (JSON that JSON.parse accepted) is spelled with an escape. A
 * backslash is only ever inside a string, so the first quote after it that no backslash
 * escapes closes that string, whatever came before it: only the strings with a backslash are
 * looked at, each found from its first backslash, and strings without one are not walked.
 */
export function hasEscapedKey(text: string): boolean {
  let backslash = text.indexOf('\\');
  while (backslash !== -1) {
    const close = closingQuote(text, text.indexOf('"', backslash + 1));
    // (Only in text JSON.parse turned down: a string left open.)
    if (close === -1) return false;
    if (isKey(text, close)) return true;
    backslash = text.indexOf('\\', close + 1);
  }
  return false;
}

/**
 * JSON.parse(text), the same value on every Node: text with a key spelled with an escape is
 * read by the strict parser under JSON.parse's rules. Throws as JSON.parse does.
 */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return hasEscapedKey(text) ? readKeysAsWritten(text) : value;
}

/**
 * What JSON.parse gives for `text`, which it accepted and which has a key spelled with an
 * escape: read by the strict parser, the last of a repeated key winning and every number a
 * double, as JSON.parse reads them.
 */
export function readKeysAsWritten(text: string): unknown {
  const read = parseStrict(text, { rejectDuplicateKeys: false, maxDepth: Number.MAX_SAFE_INTEGER });
  // (The two grammars are one: RFC 8259's. A text JSON.parse accepted is accepted here.)
  if (!read.ok) throw new SyntaxError(read.message);
  return asDoubles(read.value);
}

// The value with each RawNumber (a number a double would change) made the double JSON.parse
// gives for it. An explicit stack: the value may nest as deep as JSON.parse allows.
function asDoubles(value: unknown): unknown {
  if (value instanceof RawNumber) return Number(value.text);
  if (value === null || typeof value !== 'object') return value;
  const stack: object[] = [value];
  while (stack.length > 0) {
    const container = stack.pop() as Record<string, unknown>;
    for (const key of Object.keys(container)) {
      const member = container[key];
      if (member instanceof RawNumber) {
        // (An own "__proto__" is a data property, as JSON.parse makes it: set, not assigned.)
        Object.defineProperty(container, key, { value: Number(member.text), writable: true, enumerable: true, configurable: true });
      } else if (member !== null && typeof member === 'object') stack.push(member);
    }
  }
  return value;
}

// The closing quote of a string whose first quote after the opening one (or after a backslash in
// it) is at `q`; -1 if none.
function closingQuote(text: string, q: number): number {
  for (; q !== -1; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

// True when the string closed at `close` is a key: in JSON, the one string a colon follows.
function isKey(text: string, close: number): boolean {
  let i = close + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    // RFC 8259 whitespace only: space, tab, LF, CR.
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else return c === COLON;
  }
}
