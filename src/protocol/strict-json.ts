/**
 * A strict, lossless JSON parser and serializer (DESIGN.md invariants 7 and 8).
 *
 * The shim forwards the object it inspected, re-serialised, never the raw bytes. For that to
 * be safe the parse must be unambiguous (RFC 8259 exactly, duplicate keys refused, so the
 * server cannot read a different value than we checked) and the round trip must be lossless
 * (a number whose text would change through a JS double keeps its exact text).
 */

import { isUnambiguous } from './unambiguous.js';

/** RFC 8259 number grammar; each part is unambiguous, so matching is linear. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * A JSON number whose source text would not survive `String(Number(text))`: integers beyond
 * 2^53, long decimals, `1e400`, `-0`, `1.0`, `1E5`. It keeps the exact text, which
 * {@link serializeStrict} writes back unchanged.
 */
export class RawNumber {
  /**
   * @param text the number exactly as it appeared in the JSON source
   * @throws TypeError if `text` is not a JSON number: it is written out verbatim, so
   *   anything else could inject JSON into a forwarded frame.
   */
  constructor(readonly text: string) {
    if (!JSON_NUMBER.test(text)) throw new TypeError(`not a JSON number: ${JSON.stringify(text.slice(0, 40))}`);
  }

  /** The nearest double (may be rounded, ±Infinity or -0): for comparisons, not for forwarding. */
  get value(): number {
    return Number(this.text);
  }

  /**
   * What `JSON.stringify` (and loggers built on it) write: the exact text as a JSON string.
   * The digits survive, never rounded; the type does not, which is why anything forwarded
   * must go through {@link serializeStrict}, which writes the bare number.
   */
  toJSON(): string {
    return this.text;
  }
}

/** Stable failure codes of {@link parseStrict}. */
export type StrictParseErrorCode = 'syntax' | 'duplicate-key' | 'depth' | 'size';

/** The outcome of {@link parseStrict}; `position` is a UTF-16 index into the text. */
export type StrictParseResult =
  | { ok: true; value: unknown }
  | { ok: false; code: StrictParseErrorCode; message: string; position: number };

/** Options for {@link parseStrict}. */
export interface StrictParseOptions {
  /** Deepest nesting of arrays/objects allowed; `[]` has depth 1. Default 512. */
  maxDepth?: number;
  /** Refuse an object that repeats a key (after unescaping). Default true; if false, the last wins. */
  rejectDuplicateKeys?: boolean;
  /** Longest text accepted, in UTF-16 code units; longer fails with code `size`. Default: no limit. */
  maxLength?: number;
}

/** Internal: aborts a parse; caught in parseStrict and turned into a result. */
class Failure {
  constructor(
    readonly code: StrictParseErrorCode,
    readonly message: string,
    readonly position: number,
  ) {}
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Readable rendering of the character at `pos` for error messages. */
function describeAt(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  return `character ${JSON.stringify(text[pos])}`;
}

/** Key as shown in an error message: quoted, escaped, and cut short. */
function showKey(key: string): string {
  const shown = JSON.stringify(key);
  return shown.length > 80 ? `${shown.slice(0, 77)}..."` : shown;
}

/** Hex digit value, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * An iterative parser: containers live on an explicit stack, so nesting up to any
 * `maxDepth` cannot overflow the call stack, and each character is visited once.
 */
class Parser {
  pos = 0;

  constructor(
    readonly text: string,
    readonly maxDepth: number,
    readonly rejectDuplicates: boolean,
  ) {}

  fail(message: string, position = this.pos, code: StrictParseErrorCode = 'syntax'): never {
    throw new Failure(code, message, position);
  }

  unexpected(expected: string): never {
    this.fail(`expected ${expected} but found ${describeAt(this.text, this.pos)} at position ${this.pos}`);
  }

  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      // RFC 8259 whitespace only: space, tab, LF, CR.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  parse(): unknown {
    const text = this.text;
    // Open containers, innermost last; keys[i] is the pending key when stack[i] is an object.
    const stack: (unknown[] | Record<string, unknown>)[] = [];
    const isArray: boolean[] = [];
    const keys: string[] = [];
    let value: unknown;

    for (;;) {
      // --- read one value (a scalar, an empty container, or the opening of a container)
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      let opened = false;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (stack.length >= this.maxDepth) {
          this.fail(`nesting deeper than ${this.maxDepth} at position ${this.pos}`, this.pos, 'depth');
        }
        this.pos++;
        this.skipWhitespace();
        if (c === OPEN_BRACKET) {
          if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
            this.pos++;
            value = [];
          } else {
            stack.push([]);
            isArray.push(true);
            keys.push('');
            opened = true;
          }
        } else if (text.charCodeAt(this.pos) === CLOSE_BRACE) {
          this.pos++;
          value = {};
        } else {
          const obj: Record<string, unknown> = {};
          stack.push(obj);
          isArray.push(false);
          keys.push(this.readKey(obj));
          opened = true;
        }
      } else if (c === QUOTE) {
        value = this.readString();
      } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
        value = this.readNumber();
      } else if (c === 0x74 && text.startsWith('true', this.pos)) {
        this.pos += 4;
        value = true;
      } else if (c === 0x66 && text.startsWith('false', this.pos)) {
        this.pos += 5;
        value = false;
      } else if (c === 0x6e && text.startsWith('null', this.pos)) {
        this.pos += 4;
        value = null;
      } else {
        this.unexpected('a JSON value');
      }
      if (opened) continue;

      // --- attach the finished value to its parent, closing containers as they end
      for (;;) {
        const depth = stack.length;
        if (depth === 0) {
          this.skipWhitespace();
          if (this.pos !== text.length) this.unexpected('end of input');
          return value;
        }
        const top = stack[depth - 1]!;
        if (isArray[depth - 1]) {
          (top as unknown[]).push(value);
          this.skipWhitespace();
          const d = text.charCodeAt(this.pos);
          if (d === COMMA) {
            this.pos++;
            break;
          }
          if (d !== CLOSE_BRACKET) this.unexpected('"," or "]"');
        } else {
          const obj = top as Record<string, unknown>;
          setProperty(obj, keys[depth - 1]!, value);
          this.skipWhitespace();
          const d = text.charCodeAt(this.pos);
          if (d === COMMA) {
            this.pos++;
            this.skipWhitespace();
            keys[depth - 1] = this.readKey(obj);
            break;
          }
          if (d !== CLOSE_BRACE) this.unexpected('"," or "}"');
        }
        this.pos++;
        value = top;
        stack.pop();
        isArray.pop();
        keys.pop();
      }
    }
  }

  /** Reads `"key" :` (whitespace already skipped) and checks the key is new in `obj`. */
  readKey(obj: Record<string, unknown>): string {
    const start = this.pos;
    if (this.text.charCodeAt(start) !== QUOTE) this.unexpected('a string key');
    const key = this.readString();
    // Compared after unescaping: "a" and "\u0061" are the same key to every reader.
    if (this.rejectDuplicates && Object.hasOwn(obj, key)) {
      this.fail(`duplicate key ${showKey(key)} at position ${start}`, start, 'duplicate-key');
    }
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== COLON) this.unexpected('":"');
    this.pos++;
    return key;
  }

  /** Reads a string; `pos` is at its opening quote. */
  readString(): string {
    const text = this.text;
    const open = this.pos;
    let pos = open + 1;
    let chunkStart = pos;
    let out = '';
    for (;;) {
      let c = text.charCodeAt(pos);
      // Tight loop over ordinary characters; NaN (end of text) also stops it.
      while (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) c = text.charCodeAt(++pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return chunkStart === open + 1 ? text.slice(chunkStart, pos) : out + text.slice(chunkStart, pos);
      }
      if (c === BACKSLASH) {
        out += text.slice(chunkStart, pos);
        out += this.readEscape(pos);
        pos += text.charCodeAt(pos + 1) === 0x75 ? 6 : 2;
        chunkStart = pos;
      } else if (Number.isNaN(c)) {
        this.fail(`unterminated string starting at position ${open}`, pos);
      } else {
        this.pos = pos;
        this.fail(`control character U+${c.toString(16).padStart(4, '0')} in string at position ${pos}`);
      }
    }
  }

  /** Decodes the escape whose backslash is at `pos`, like JSON.parse (lone surrogates included). */
  readEscape(pos: number): string {
    const text = this.text;
    const e = text.charCodeAt(pos + 1);
    switch (e) {
      case 0x22: return '"';
      case 0x5c: return '\\';
      case 0x2f: return '/';
      case 0x62: return '\b';
      case 0x66: return '\f';
      case 0x6e: return '\n';
      case 0x72: return '\r';
      case 0x74: return '\t';
      case 0x75: {
        let code = 0;
        for (let i = 2; i < 6; i++) {
          const h = hexValue(text.charCodeAt(pos + i));
          if (h < 0) this.fail(`invalid \\u escape at position ${pos}`, pos);
          code = code * 16 + h;
        }
        // Each \uXXXX is one UTF-16 unit; a pair written as two escapes joins naturally.
        return String.fromCharCode(code);
      }
      default:
        this.fail(`invalid escape at position ${pos}`, pos);
    }
  }

  /** Reads a number per the RFC grammar; keeps its text when a double would change it. */
  readNumber(): number | RawNumber {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    const negative = text.charCodeAt(pos) === MINUS;
    if (negative) pos++;
    const intStart = pos;
    let c = text.charCodeAt(pos);
    // Accumulated on the way for the common short integer, which then needs no slice.
    let int = 0;
    if (c === DIGIT_0) {
      pos++;
      c = text.charCodeAt(pos);
      if (c >= DIGIT_0 && c <= DIGIT_9) this.fail(`leading zero in number at position ${start}`, start);
    } else if (c >= DIGIT_0 && c <= DIGIT_9) {
      do {
        int = int * 10 + (c - DIGIT_0);
        c = text.charCodeAt(++pos);
      } while (c >= DIGIT_0 && c <= DIGIT_9);
    } else {
      this.pos = pos;
      this.unexpected('a digit');
    }
    let plainInteger = true;
    if (c === 0x2e) {
      plainInteger = false;
      c = text.charCodeAt(++pos);
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) {
        this.pos = pos;
        this.unexpected('a digit after "."');
      }
      do c = text.charCodeAt(++pos);
      while (c >= DIGIT_0 && c <= DIGIT_9);
    }
    if (c === 0x65 || c === 0x45) {
      plainInteger = false;
      c = text.charCodeAt(++pos);
      if (c === 0x2b || c === MINUS) c = text.charCodeAt(++pos);
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) {
        this.pos = pos;
        this.unexpected('a digit in exponent');
      }
      do c = text.charCodeAt(++pos);
      while (c >= DIGIT_0 && c <= DIGIT_9);
    }
    this.pos = pos;
    // An integer of at most 15 digits (no leading zero, by the grammar) is exact and prints
    // back identically; "-0" is the one exception.
    if (plainInteger && pos - intStart <= 15 && !(negative && int === 0)) return negative ? -int : int;
    const numText = text.slice(start, pos);
    const n = Number(numText);
    return String(n) === numText ? n : new RawNumber(numText);
  }
}

/** Assigns like JSON.parse: "__proto__" becomes an own data property, never the prototype. */
function setProperty(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/**
 * Parses JSON text strictly (RFC 8259: no comments, trailing commas, leading zeros, NaN, or
 * non-JSON whitespace; control characters in strings refused) and losslessly (see
 * {@link RawNumber}). Never throws for bad input: returns a failure with a stable code and
 * the UTF-16 position of the problem.
 */
export function parseStrict(text: string, options: StrictParseOptions = {}): StrictParseResult {
  // Long text is read natively and then checked, rather than walked a character at a time.
  if (text.length >= NATIVE_FROM_CHARS && text.length <= (options.maxLength ?? Infinity)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: the strict parser says where and why.
      return strictParse(text, options);
    }
    return strictFromParsed(text, value, options);
  }
  return strictParse(text, options);
}

// From this length, parseStrict lets JSON.parse read the text (see strictFromParsed).
const NATIVE_FROM_CHARS = 16 * 1024;

/**
 * {@link parseStrict} for text that JSON.parse has already read as `parsed`: that value when
 * the text reads the same to both (no repeated key, no number a double would change, no
 * nesting past the limit; see unambiguous.ts), else the strict parser's own reading (its
 * RawNumbers, or its error). The value is returned as it is: the caller shares it.
 */
export function strictFromParsed(text: string, parsed: unknown, options?: StrictParseOptions): StrictParseResult {
  // (Without options, the check's own are the defaults, made once: the engine asks so per answer.)
  const check = options === undefined ? DEFAULT_CHECK : { maxDepth: options.maxDepth ?? 512, rejectDuplicateKeys: options.rejectDuplicateKeys ?? true };
  if (text.length <= (options?.maxLength ?? Infinity) && isUnambiguous(text, check)) {
    return { ok: true, value: parsed };
  }
  return strictParse(text, options ?? {});
}

// isUnambiguous's options for parseStrict's defaults.
const DEFAULT_CHECK = { maxDepth: 512, rejectDuplicateKeys: true };

// The character-by-character parser, for short text and for every text the check turns down.
function strictParse(text: string, options: StrictParseOptions): StrictParseResult {
  const maxLength = options.maxLength ?? Infinity;
  if (text.length > maxLength) {
    return {
      ok: false,
      code: 'size',
      message: `JSON text of ${text.length} characters exceeds the limit of ${maxLength}`,
      position: maxLength,
    };
  }
  const parser = new Parser(text, options.maxDepth ?? 512, options.rejectDuplicateKeys ?? true);
  try {
    return { ok: true, value: parser.parse() };
  } catch (err) {
    if (err instanceof Failure) return { ok: false, code: err.code, message: err.message, position: err.position };
    throw err;
  }
}

/**
 * Serialises to compact JSON, like `JSON.stringify(value)` for JSON data, except that a
 * {@link RawNumber} is written as its exact text and a bigint as its decimal digits.
 *
 * Follows JSON.stringify where that is harmless: `undefined` (and functions/symbols) as an
 * object property is omitted, `undefined` in an array becomes `null`, `toJSON()` is honoured,
 * only own enumerable string keys are written. Throws TypeError where JSON.stringify would
 * silently change the data or fail: a non-finite number, a top-level `undefined`, a function
 * or symbol in an array or at the top level, or a cycle. It recurses once per nesting level,
 * which is safe for anything {@link parseStrict} accepts at its default depth.
 */
export function serializeStrict(value: unknown): string {
  const resolved = resolveToJSON(value, '');
  if (resolved === undefined || typeof resolved === 'function' || typeof resolved === 'symbol') {
    throw new TypeError(`cannot serialise ${typeof resolved} as JSON`);
  }
  const writer = new Writer();
  writer.write(resolved);
  return writer.out;
}

/** Below this depth a cycle is impossible to miss cheaply, so ancestors are only searched past it. */
const CYCLE_CHECK_DEPTH = 64;

/** Applies `toJSON` the way JSON.stringify does (a RawNumber's is skipped: we write its text). */
function resolveToJSON(value: unknown, key: string | number): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof RawNumber)) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJSON.call(value, String(key)) as unknown;
  }
  return value;
}

// Characters some line readers split on (Python's str.splitlines, JavaScript before ES2019)
// that JSON.stringify leaves raw: escaped, so a serialised frame is one line to every reader.
const LINE_BREAKS = /[\u0085\u2028\u2029]/g;
const escapeLineBreak = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Quotes a string like JSON.stringify, except that U+0085, U+2028 and U+2029 are escaped. Most keys and values need no escaping, and a scan
 * here is cheaper than a native call per string; anything else goes to JSON.stringify,
 * which escapes lone surrogates the standard way.
 */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x7f ? c < 0x20 || c === QUOTE || c === BACKSLASH : c === 0x85 || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) {
      return JSON.stringify(s).replace(LINE_BREAKS, escapeLineBreak);
    }
  }
  return `"${s}"`;
}

/** Appends to one string; `toJSON` has already been applied to every value it is given. */
class Writer {
  out = '';
  /** Containers being written, outermost first: for cycle detection. */
  readonly #open: object[] = [];

  write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.out += quote(value);
        return;
      case 'number':
        if (!Number.isFinite(value)) throw new TypeError(`cannot serialise ${value} as JSON`);
        this.out += String(value);
        return;
      case 'boolean':
        this.out += value ? 'true' : 'false';
        return;
      case 'bigint':
        this.out += value.toString();
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
    }
    if (value === null) {
      this.out += 'null';
      return;
    }
    if (value instanceof RawNumber) {
      this.out += value.text;
      return;
    }
    const open = this.#open;
    // A cycle makes nesting grow without end, so searching ancestors only once deep still
    // catches it, and keeps the common shallow case free of the search.
    if (open.length >= CYCLE_CHECK_DEPTH && open.includes(value)) {
      throw new TypeError('cannot serialise a cyclic structure as JSON');
    }
    open.push(value);
    if (Array.isArray(value)) this.#writeArray(value);
    else this.#writeObject(value as Record<string, unknown>);
    open.pop();
  }

  #writeArray(array: unknown[]): void {
    this.out += '[';
    for (let i = 0; i < array.length; i++) {
      if (i > 0) this.out += ',';
      const item = resolveToJSON(array[i], i);
      if (item === undefined) this.out += 'null';
      else this.write(item);
    }
    this.out += ']';
  }

  #writeObject(obj: Record<string, unknown>): void {
    this.out += '{';
    let first = true;
    for (const key of Object.keys(obj)) {
      const item = resolveToJSON(obj[key], key);
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      this.out += first ? `${quote(key)}:` : `,${quote(key)}:`;
      first = false;
      this.write(item);
    }
    this.out += '}';
  }
}
