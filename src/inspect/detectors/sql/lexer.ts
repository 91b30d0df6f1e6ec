/**
 * A small SQL tokenizer, dialect-tolerant: strings ('' and, optionally, backslash escapes; E'…', N'…',
 * $tag$…$tag$), quoted identifiers ("…", `…`), comments (--, #, /* *\/), numbers, words,
 * operators and statement separators. It is what lets the checks tell a `--` inside a
 * string from one that cuts the query off. One pass, each character read once.
 */

/** What a token is. */
export type SqlTokenType = 'word' | 'number' | 'string' | 'ident' | 'op' | 'comment';

/** One token, with its place in the text. */
export interface SqlToken {
  type: SqlTokenType;
  /** Words lower-cased; strings and identifiers without their quotes; comments without markers. */
  value: string;
  start: number;
  end: number;
  /** A string, identifier or block comment still open at the end of the text. */
  unterminated?: boolean;
  /** Comments: `line` (--, #) or `block`; identifiers: the quote used. */
  flavour?: string;
  /** Comments: code precedes it on the same line. */
  trailing?: boolean;
  /** Paren depth before this token. */
  depth: number;
}

const OPERATORS = ['<=>', '->>', '#>>', '<>', '!=', '<=', '>=', '||', '&&', '::', '->', '#>', ':=', '=='];
const OPERATOR_START: ReadonlySet<string> = new Set(OPERATORS.map((o) => o.charAt(0)));
/** What starts a word: [A-Za-z_@] and everything from U+0080 on, by code unit (the tests compare it with that class). */
export function isWordStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x40 || code >= 0x80;
}
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
// [A-Za-z0-9_@$] and everything from U+0080 on, by code unit.
function isWordChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x40 || code === 0x24 || code >= 0x80;
}
const NUMBER = /^(?:0x[0-9a-f]+|0b[01]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)/i;

/** Where dialects differ on what a comment is. */
export interface SqlCommentDialect {
  /** `#` starts a line comment (MySQL); elsewhere it is an operator (PostgreSQL's XOR). Default true. */
  hashComments?: boolean;
  /** `--` is a comment only when followed by a space, a control character or the end (MySQL). Default false. */
  dashNeedsSpace?: boolean;
}

// NUMBER from a place in the text (sticky), for a number that ends within 256 characters of the text's end.
const NUMBER_AT = /(?:0x[0-9a-f]+|0b[01]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)/iy;
// A number is read from at most this many characters.
const NUMBER_READ = 256;

/**
 * Tokens of a SQL text, comments included, with paren depth. `backslashEscapes`: read `\'`
 * inside strings as an escaped quote (MySQL's default) rather than a backslash (standard SQL).
 * (Read by code unit; a token object is the only thing made per token besides its value.)
 */
export function tokenizeSql(text: string, backslashEscapes = false, dialect: SqlCommentDialect = {}): SqlToken[] {
  const hashComments = dialect.hashComments ?? true;
  const dashNeedsSpace = dialect.dashNeedsSpace ?? false;
  const tokens: SqlToken[] = [];
  const length = text.length;
  let depth = 0;
  let lineHasCode = false;
  let i = 0;
  // Every token with every field, in one order: the checks that read them see one shape.
  const push = (type: SqlTokenType, value: string, start: number, end: number, unterminated: boolean | undefined, flavour: string | undefined, trailing: boolean | undefined): void => {
    tokens.push({ type, value, start, end, unterminated, flavour, trailing, depth });
    if (type !== 'comment') lineHasCode = true;
    i = end;
  };
  while (i < length) {
    const c = text.charCodeAt(i);
    const n = text.charCodeAt(i + 1);
    if (c === 0x0a || c === 0x0d) {
      lineHasCode = false;
      i += 1;
    } else if (c === 0x20 || c === 0x09 || ((c < 0x20 || c >= 0x80) && /\s/.test(text.charAt(i)))) i += 1;
    else if ((c === 0x2d && n === 0x2d && (!dashNeedsSpace || text.charCodeAt(i + 2) <= 0x20 || i + 2 >= length)) || (hashComments && c === 0x23 && n !== 0x3e)) {
      // A bare CR ends a line comment for PostgreSQL: what follows it is code.
      let end = i + 1;
      for (let e = text.charCodeAt(end); end < length && e !== 0x0a && e !== 0x0d; e = text.charCodeAt(end)) end += 1;
      push('comment', text.slice(i + (c === 0x23 ? 1 : 2), end), i, end, undefined, 'line', lineHasCode);
    } else if (c === 0x2f && n === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? length : close + 2;
      push('comment', text.slice(i + 2, close < 0 ? length : close), i, end, close < 0, 'block', lineHasCode);
    } else if (c === 0x27) quoted(i, "'", 'string', i);
    else if (c === 0x22 || c === 0x60) quoted(i, c === 0x22 ? '"' : '`', 'ident', i);
    else if (c === 0x24 && /[A-Za-z_$]/.test(text.charAt(i + 1))) dollar();
    else if (isDigit(c) || (c === 0x2e && isDigit(n))) {
      // (The sticky pattern on the text itself where the 256 characters read reach its end: the same match, no slice.)
      let m: RegExpExecArray | null;
      if (length - i <= NUMBER_READ) {
        NUMBER_AT.lastIndex = i;
        m = NUMBER_AT.exec(text);
      } else m = NUMBER.exec(text.slice(i, i + NUMBER_READ));
      const found = m === null ? text.charAt(i) : m[0];
      push('number', found.toLowerCase(), i, i + (m === null ? 1 : found.length), undefined, undefined, undefined);
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < length && isWordChar(text.charCodeAt(j))) j += 1;
      const word = text.slice(i, j);
      // N'…', E'…', X'…', B'…': a prefixed string, not a word.
      if (j - i <= 2 && text.charCodeAt(j) === 0x27 && /^(?:n|e|x|b|u&)$/i.test(word)) quoted(j, "'", 'string', i);
      else push('word', word.toLowerCase(), i, j, undefined, undefined, undefined);
    } else {
      const ch = text.charAt(i);
      const op = (OPERATOR_START.has(ch) ? OPERATORS.find((o) => text.startsWith(o, i)) : undefined) ?? ch;
      if (op === ')') depth -= 1;
      push('op', op, i, i + op.length, undefined, undefined, undefined);
      if (op === '(') depth += 1;
    }
  }
  return tokens;

  // A quoted run from the quote at `at`: the quote doubled stands for itself.
  function quoted(at: number, q: string, type: 'string' | 'ident', from: number): void {
    const t = text;
    let j = at + 1;
    let value = '';
    let closed = false;
    if (!(backslashEscapes && type === 'string')) {
      // Without backslash escapes a run up to the next quote is copied whole, not a character at a time.
      while (j < length) {
        const next = t.indexOf(q, j);
        if (next < 0) {
          value += t.slice(j);
          j = length;
          break;
        }
        if (next > j) value += t.slice(j, next);
        j = next;
        if (t.charAt(j + 1) === q) {
          value += q;
          j += 2;
        } else {
          closed = true;
          j += 1;
          break;
        }
      }
    } else {
      while (j < length) {
        const ch = t.charAt(j);
        if (ch === q && t.charAt(j + 1) === q) {
          value += q;
          j += 2;
        } else if (ch === q) {
          closed = true;
          j += 1;
          break;
        } else if (ch === '\\' && j + 1 < length) {
          value += t.charAt(j + 1);
          j += 2;
        } else {
          value += ch;
          j += 1;
        }
      }
    }
    push(type, value, from, j, !closed, q, undefined);
  }

  // $$…$$ or $tag$…$tag$ (PostgreSQL); a bare `$1` parameter is a word.
  function dollar(): void {
    const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(text.slice(i, i + 66))?.[0];
    if (tag === undefined) {
      let j = i + 1;
      while (j < length && isWordChar(text.charCodeAt(j))) j += 1;
      push('word', text.slice(i, j).toLowerCase(), i, j, undefined, undefined, undefined);
      return;
    }
    const close = text.indexOf(tag, i + tag.length);
    const end = close < 0 ? length : close + tag.length;
    push('string', text.slice(i + tag.length, close < 0 ? length : close), i, end, close < 0, '$', undefined);
  }
}
