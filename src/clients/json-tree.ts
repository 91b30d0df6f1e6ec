/**
 * A JSON (optionally JSONC) parser that keeps where every value sits in the text, so a
 * client's config can be edited in place: only the bytes we change are touched, and key
 * order, indentation, line ends and comments stay exactly as the user wrote them.
 */

/** Where a value starts and ends in the text (end is exclusive). */
export interface Span {
  start: number;
  end: number;
}

export type JsonNode = JsonObject | JsonArray | JsonScalar;

export interface JsonMember {
  key: string;
  /** The key's string token, quotes included. */
  keySpan: Span;
  value: JsonNode;
}

export interface JsonObject extends Span {
  kind: 'object';
  members: JsonMember[];
}

export interface JsonArray extends Span {
  kind: 'array';
  elements: JsonNode[];
}

export interface JsonScalar extends Span {
  kind: 'string' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
}

export interface ParseOptions {
  /** `//` and `/* *\/` comments, and a comma before `}` or `]` (VS Code's JSONC). */
  jsonc: boolean;
}

/** A syntax error with the 1-based line and column it was found at. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

// Deep nesting is refused instead of recursing until the stack gives out.
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** 1-based line and column of an offset (a CRLF counts as one line end). */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** Parse a whole document; throws JsonSyntaxError with line:col on the first error. */
export function parseJsonTree(text: string, options: ParseOptions): JsonNode {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = pos): never => {
    const { line, col } = lineCol(text, at);
    throw new JsonSyntaxError(message, line, col);
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));

  const skip = (): void => {
    for (;;) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        pos++;
      } else if (c === '/' && (text[pos + 1] === '/' || text[pos + 1] === '*')) {
        if (!options.jsonc) fail('comments are not allowed in this file (the client reads it as plain JSON)');
        if (text[pos + 1] === '/') {
          while (pos < text.length && text[pos] !== '\n') pos++;
        } else {
          const close = text.indexOf('*/', pos + 2);
          if (close < 0) fail('unterminated /* comment');
          pos = close + 2;
        }
      } else {
        return;
      }
    }
  };

  const parseString = (): JsonScalar => {
    const start = pos;
    pos++;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const code = text.charCodeAt(pos);
      if (code === 0x22) break;
      if (code < 0x20) fail('a control character must be escaped inside a string');
      if (code === 0x5c) {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('\\u must be followed by four hex digits');
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          pos += 2;
        } else {
          fail(`invalid escape \\${e ?? ''}`);
        }
      } else {
        pos++;
      }
    }
    pos++;
    return { kind: 'string', value: JSON.parse(text.slice(start, pos)) as string, start, end: pos };
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skip();
    const c = text[pos];
    const start = pos;
    if (c === '{') return parseObject(depth);
    if (c === '[') return parseArray(depth);
    if (c === '"') return parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { kind: value === null ? 'null' : 'boolean', value, start, end: pos };
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) {
      pos += m[0].length;
      return { kind: 'number', value: Number(m[0]), start, end: pos };
    }
    return fail(`expected a value, found ${describe(pos)}`);
  };

  const parseObject = (depth: number): JsonObject => {
    const start = pos;
    pos++;
    const members: JsonMember[] = [];
    const seen = new Set<string>();
    skip();
    if (text[pos] === '}') return { kind: 'object', members, start, end: ++pos };
    for (;;) {
      skip();
      if (text[pos] !== '"') fail(`expected a key in double quotes, found ${describe(pos)}`);
      const keyToken = parseString();
      const key = keyToken.value as string;
      // Two values under one key: JSON.parse keeps the last, an editor may show the first.
      if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, keyToken.start);
      seen.add(key);
      skip();
      if (text[pos] !== ':') fail(`expected ":" after the key, found ${describe(pos)}`);
      pos++;
      const value = parseValue(depth + 1);
      members.push({ key, keySpan: { start: keyToken.start, end: keyToken.end }, value });
      skip();
      if (text[pos] === '}') return { kind: 'object', members, start, end: ++pos };
      if (text[pos] !== ',') fail(`expected "," or "}" in an object, found ${describe(pos)}`);
      pos++;
      skip();
      if (text[pos] === '}') {
        if (!options.jsonc) fail('a comma before "}" is not allowed in JSON');
        return { kind: 'object', members, start, end: ++pos };
      }
    }
  };

  const parseArray = (depth: number): JsonArray => {
    const start = pos;
    pos++;
    const elements: JsonNode[] = [];
    skip();
    if (text[pos] === ']') return { kind: 'array', elements, start, end: ++pos };
    for (;;) {
      elements.push(parseValue(depth + 1));
      skip();
      if (text[pos] === ']') return { kind: 'array', elements, start, end: ++pos };
      if (text[pos] !== ',') fail(`expected "," or "]" in an array, found ${describe(pos)}`);
      pos++;
      skip();
      if (text[pos] === ']') {
        if (!options.jsonc) fail('a comma before "]" is not allowed in JSON');
        return { kind: 'array', elements, start, end: ++pos };
      }
    }
  };

  const root = parseValue(0);
  skip();
  if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the JSON value`);
  return root;
}

/** The member of an object with this key, if any. */
export function member(node: JsonObject, key: string): JsonMember | undefined {
  return node.members.find((m) => m.key === key);
}
