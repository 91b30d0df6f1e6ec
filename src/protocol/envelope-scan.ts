/**
 * Reads the envelope of a large JSON-RPC message straight from its bytes: checks that the
 * whole text is well-formed JSON and returns the top-level scalar fields (`jsonrpc`, `id`,
 * `method`) and which other top-level keys are there, without building the nested values.
 * A multi-megabyte tool result can then be matched to its request without decoding it to
 * a string and parsing it into objects (two more copies of it in memory).
 *
 * The grammar is RFC 8259's; string contents are not checked for UTF-8, as JSON.parse
 * after a lenient decode would not either. Linear in the input, no recursion.
 */

/** The top level of a JSON object, as far as routing it needs. */
export interface Envelope {
  /** Top-level keys, in order. A key seen twice makes the scan fail instead. */
  keys: string[];
  /** Top-level values that are strings or numbers, by key (numbers as JS numbers). */
  scalars: Map<string, string | number | boolean | null>;
  /** Top-level values that are objects or arrays, by key. */
  containers: Map<string, 'object' | 'array'>;
  /** Every top-level member in order, scalars with their source text (repeated keys included, when allowed). */
  members: EnvelopeMember[];
  /** Byte offset just past the object (the end of the input unless trailing data is allowed). */
  end: number;
}

/** One top-level member as written: a scalar's exact source text, or the kind of a nested value. */
export interface EnvelopeMember {
  key: string;
  /** The scalar's JSON text as it appears in the bytes (a string with its quotes). */
  raw?: string;
  value?: string | number | boolean | null;
  container?: 'object' | 'array';
}

/** Options for {@link scanEnvelope}. */
export interface EnvelopeScanOptions {
  /** Deepest nesting of nested values. Default 512. */
  maxDepth?: number;
  /** Accept a repeated top-level key (every occurrence is in `members`; the maps keep the last). Default false. */
  allowRepeatedKeys?: boolean;
  /** Accept data after the object (reading what a broken frame says, never routing it). Default false. */
  allowTrailing?: boolean;
}

export type EnvelopeScan = { ok: true; envelope: Envelope } | { ok: false; reason: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

class Fail extends Error {}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Scan `bytes`, which must hold one JSON object. `options` may be a maximum depth (the old form). */
export function scanEnvelope(bytes: Uint8Array, options: number | EnvelopeScanOptions = {}): EnvelopeScan {
  const o = typeof options === 'number' ? { maxDepth: options } : options;
  try {
    return { ok: true, envelope: new Scanner(bytes, o.maxDepth ?? 512, o.allowRepeatedKeys ?? false, o.allowTrailing ?? false).envelope() };
  } catch (error) {
    if (error instanceof Fail) return { ok: false, reason: error.message };
    throw error;
  }
}

class Scanner {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly allowRepeated: boolean,
    private readonly allowTrailing: boolean,
  ) {}

  envelope(): Envelope {
    const keys: string[] = [];
    const scalars = new Map<string, string | number | boolean | null>();
    const containers = new Map<string, 'object' | 'array'>();
    const members: EnvelopeMember[] = [];
    this.space();
    this.expect(OPEN_BRACE);
    this.space();
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
    } else {
      for (;;) {
        this.space();
        const key = this.decodeString(this.string());
        if (keys.includes(key)) {
          if (!this.allowRepeated) throw new Fail(`duplicate top-level key ${JSON.stringify(key)}`);
        } else {
          keys.push(key);
        }
        this.space();
        this.expect(COLON);
        this.space();
        const start = this.pos;
        const c = this.peek();
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          const kind = c === OPEN_BRACE ? 'object' : 'array';
          containers.set(key, kind);
          scalars.delete(key);
          members.push({ key, container: kind });
          this.container();
        } else {
          this.scalar();
          const value = this.decodeScalar(start, this.pos);
          scalars.set(key, value);
          containers.delete(key);
          members.push({ key, value, raw: this.text(start, this.pos) });
        }
        this.space();
        const d = this.bytes[this.pos++];
        if (d === CLOSE_BRACE) break;
        if (d !== COMMA) throw new Fail(`expected "," or "}" at byte ${this.pos - 1}`);
      }
    }
    const end = this.pos;
    this.space();
    if (this.pos !== this.bytes.length && !this.allowTrailing) throw new Fail(`unexpected data after the object at byte ${this.pos}`);
    return { keys, scalars, containers, members, end };
  }

  private peek(): number | undefined {
    return this.bytes[this.pos];
  }

  private expect(c: number): void {
    if (this.bytes[this.pos] !== c) throw new Fail(`expected "${String.fromCharCode(c)}" at byte ${this.pos}`);
    this.pos++;
  }

  private space(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
    this.pos = pos;
  }

  // A nested object or array, skipped but checked; an explicit stack, so depth cannot
  // overflow the call stack.
  private container(): void {
    const closers: number[] = [];
    for (;;) {
      this.space();
      const c = this.peek();
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (closers.length >= this.maxDepth) throw new Fail(`nesting deeper than ${this.maxDepth}`);
        this.pos++;
        const closer = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        closers.push(closer);
        this.space();
        if (this.peek() === closer) {
          this.pos++;
          closers.pop();
        } else {
          if (closer === CLOSE_BRACE) this.memberKey();
          continue;
        }
      } else {
        this.scalar();
      }
      // After a value: close what ends here, or move to the next element.
      for (;;) {
        if (closers.length === 0) return;
        this.space();
        const d = this.bytes[this.pos++];
        const closer = closers[closers.length - 1];
        if (d === closer) {
          closers.pop();
          continue;
        }
        if (d !== COMMA) throw new Fail(`expected "," or "${String.fromCharCode(closer!)}" at byte ${this.pos - 1}`);
        this.space();
        if (closer === CLOSE_BRACE) this.memberKey();
        break;
      }
    }
  }

  private memberKey(): void {
    this.string();
    this.space();
    this.expect(COLON);
  }

  // A string, number or literal; returns nothing, leaves pos after it.
  private scalar(): void {
    const c = this.peek();
    if (c === QUOTE) {
      this.string();
      return;
    }
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
      this.number();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (this.matches(word)) {
        this.pos += word.length;
        return;
      }
    }
    throw new Fail(`expected a JSON value at byte ${this.pos}`);
  }

  private matches(word: string): boolean {
    for (let i = 0; i < word.length; i++) if (this.bytes[this.pos + i] !== word.charCodeAt(i)) return false;
    return true;
  }

  // Returns [start, end) of the string's raw contents, between the quotes.
  private string(): [number, number] {
    const bytes = this.bytes;
    if (bytes[this.pos] !== QUOTE) throw new Fail(`expected a string at byte ${this.pos}`);
    const start = ++this.pos;
    let pos = start;
    for (;;) {
      const c = bytes[pos];
      if (c === undefined) throw new Fail('unterminated string');
      if (c === QUOTE) break;
      if (c < 0x20) throw new Fail(`control character in a string at byte ${pos}`);
      if (c === BACKSLASH) {
        const e = bytes[pos + 1];
        if (e === 0x75) {
          for (let i = 2; i < 6; i++) if (!isHex(bytes[pos + i])) throw new Fail(`bad \\u escape at byte ${pos}`);
          pos += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) throw new Fail(`bad escape at byte ${pos}`);
        pos += 2;
        continue;
      }
      pos++;
    }
    this.pos = pos + 1;
    return [start, pos];
  }

  private number(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    if (bytes[pos] === 0x2d) pos++;
    if (bytes[pos] === 0x30) pos++;
    else if (isDigit(bytes[pos]) && bytes[pos] !== 0x30) while (isDigit(bytes[pos])) pos++;
    else throw new Fail(`bad number at byte ${this.pos}`);
    if (bytes[pos] === 0x2e) {
      pos++;
      if (!isDigit(bytes[pos])) throw new Fail(`bad number at byte ${this.pos}`);
      while (isDigit(bytes[pos])) pos++;
    }
    if (bytes[pos] === 0x65 || bytes[pos] === 0x45) {
      pos++;
      if (bytes[pos] === 0x2b || bytes[pos] === 0x2d) pos++;
      if (!isDigit(bytes[pos])) throw new Fail(`bad number at byte ${this.pos}`);
      while (isDigit(bytes[pos])) pos++;
    }
    this.pos = pos;
  }

  private decodeString([start, end]: [number, number]): string {
    // Keys and top-level scalars are short; the built-in decoder handles escapes exactly.
    return JSON.parse(`"${Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8')}"`) as string;
  }

  private decodeScalar(start: number, end: number): string | number | boolean | null {
    return JSON.parse(this.text(start, end)) as string | number | boolean | null;
  }

  private text(start: number, end: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8');
  }
}

const ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/**
 * A stand-in for the parsed message with the envelope's top-level fields: scalars as they
 * are, nested values as empty objects or arrays. Enough to classify and route it.
 */
export function envelopeSkeleton(envelope: Envelope): Record<string, unknown> {
  const skeleton: Record<string, unknown> = {};
  for (const key of envelope.keys) {
    const container = envelope.containers.get(key);
    skeleton[key] = container === undefined ? envelope.scalars.get(key) : container === 'object' ? {} : [];
  }
  return skeleton;
}
