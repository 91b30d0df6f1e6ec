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

/**
 * Tokens of a SQL text, comments included, with paren depth. `backslashEscapes`: read `\'`
 * inside strings as an escaped quote (MySQL's default) rather than a backslash (standard SQL).
 */
export function tokenizeSql(text: string, backslashEscapes = false, dialect: SqlCommentDialect = {}): SqlToken[] {
  const hashComments = dialect.hashComments ?? true;
  const dashNeedsSpace = dialect.dashNeedsSpace ?? false;
  const tokens: SqlToken[] = [];
  let depth = 0;
  let lineHasCode = false;
  let i = 0;
  const push = (type: SqlTokenType, value: string, start: number, end: number, extra?: Partial<SqlToken>): void => {
    // Every token with every field, in one order: the checks that read them see one shape.
    const token: SqlToken = { type, value, start, end, unterminated: extra?.unterminated, flavour: extra?.flavour, trailing: extra?.trailing, depth };
    tokens.push(token);
    if (type !== 'comment') lineHasCode = true;
    i = end;
  };
  while (i < text.length) {
    const c = text.charAt(i);
    const n = text.charAt(i + 1);
    if (c === '\n' || c === '\r') {
      lineHasCode = false;
      i += 1;
    } else if (c === ' ' || c === '\t' || (c > ' ' && c < '\u0080' ? false : /\s/.test(c))) i += 1;
    else if ((c === '-' && n === '-' && (!dashNeedsSpace || text.charCodeAt(i + 2) <= 0x20 || i + 2 >= text.length)) || (hashComments && c === '#' && n !== '>')) {
      // A bare CR ends a line comment for PostgreSQL: what follows it is code.
      let end = i + 1;
      while (end < text.length && text.charAt(end) !== '\n' && text.charAt(end) !== '\r') end += 1;
      push('comment', text.slice(i + (c === '#' ? 1 : 2), end), i, end, { flavour: 'line', trailing: lineHasCode });
    } else if (c === '/' && n === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      push('comment', text.slice(i + 2, close < 0 ? text.length : close), i, end, { flavour: 'block', trailing: lineHasCode, unterminated: close < 0 });
    } else if (c === "'") quoted(text, i, "'", 'string');
    else if (c === '"' || c === '`') quoted(text, i, c, 'ident');
    else if (c === '$' && /[A-Za-z_$]/.test(n)) dollar();
    else if (isDigit(text.charCodeAt(i)) || (c === '.' && isDigit(text.charCodeAt(i + 1)))) {
      const m = NUMBER.exec(text.slice(i, i + 256));
      push('number', (m?.[0] ?? c).toLowerCase(), i, i + (m?.[0].length ?? 1));
    } else if (isWordStart(text.charCodeAt(i))) {
      let j = i + 1;
      while (j < text.length && isWordChar(text.charCodeAt(j))) j += 1;
      const word = text.slice(i, j);
      // N'…', E'…', X'…', B'…': a prefixed string, not a word.
      if (j - i <= 2 && text.charAt(j) === "'" && /^(?:n|e|x|b|u&)$/i.test(word)) quoted(text, j, "'", 'string', i);
      else push('word', word.toLowerCase(), i, j);
    } else {
      const op = (OPERATOR_START.has(c) ? OPERATORS.find((o) => text.startsWith(o, i)) : undefined) ?? c;
      if (op === ')') depth -= 1;
      push('op', op, i, i + op.length);
      if (op === '(') depth += 1;
    }
  }
  return tokens;

  // A quoted run: the quote doubled stands for itself.
  function quoted(t: string, at: number, q: string, type: 'string' | 'ident', from = at): void {
    let j = at + 1;
    const parts: string[] = [];
    let closed = false;
    // Without backslash escapes a run up to the next quote is copied whole, not a character at a time.
    const escapes = backslashEscapes && type === 'string';
    while (j < t.length) {
      const next = escapes ? -1 : t.indexOf(q, j);
      if (!escapes && next < 0) {
        parts.push(t.slice(j));
        j = t.length;
        break;
      }
      if (next > j) {
        parts.push(t.slice(j, next));
        j = next;
      }
      const ch = t.charAt(j);
      if (ch === q && t.charAt(j + 1) === q) {
        parts.push(q);
        j += 2;
      } else if (ch === q) {
        closed = true;
        j += 1;
        break;
      } else if (ch === '\\' && backslashEscapes && type === 'string' && j + 1 < t.length) {
        parts.push(t.charAt(j + 1));
        j += 2;
      } else {
        parts.push(ch);
        j += 1;
      }
    }
    push(type, parts.join(''), from, j, { unterminated: !closed, flavour: q });
  }

  // $$…$$ or $tag$…$tag$ (PostgreSQL); a bare `$1` parameter is a word.
  function dollar(): void {
    const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(text.slice(i, i + 66))?.[0];
    if (tag === undefined) {
      let j = i + 1;
      while (j < text.length && isWordChar(text.charCodeAt(j))) j += 1;
      push('word', text.slice(i, j).toLowerCase(), i, j);
      return;
    }
    const close = text.indexOf(tag, i + tag.length);
    const end = close < 0 ? text.length : close + tag.length;
    push('string', text.slice(i + tag.length, close < 0 ? text.length : close), i, end, { unterminated: close < 0, flavour: '$' });
  }
}
