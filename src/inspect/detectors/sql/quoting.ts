/**
 * Comments and quotes used against the query they sit in: a trailing comment that cuts off
 * the rest (`admin' --' AND password = …`), comments that split keywords (`UN/**\/ION`), and
 * string values shaped to close a quote of the other kind (`admin" --`, `" or ""="`) or to
 * juggle empty strings (`''-''`).
 */
import type { SqlToken } from './lexer.js';
import type { SqlHit } from './rule-ids.js';

const WORD_CHAR = /[A-Za-z0-9_]/;
// `value.trim() === ''` without the trimmed copy: \s is the whitespace and line ends trim() removes.
const BLANK = /^\s*$/;
// A line comment that starts by closing a quote or a parenthesis.
const CLOSES_FIRST = /^\s*['"`)]/;

/** Comments that cut a query short or hide keywords. (Nothing is made per token but a hit: a comment-dense text has hundreds of thousands.) */
export function commentTricks(tokens: readonly SqlToken[], text: string): SqlHit[] {
  const hits: SqlHit[] = [];
  for (const t of tokens) {
    if (t.type !== 'comment') continue;
    if (t.flavour === 'block' && t.unterminated) hits.push({ ruleId: 'sql.comment-truncation', start: t.start, end: t.end });
    else if (t.flavour === 'line' && t.trailing && (BLANK.test(t.value) || CLOSES_FIRST.test(t.value))) hits.push({ ruleId: 'sql.comment-truncation', start: t.start, end: t.end });
    if (t.flavour !== 'block') continue;
    const glued = WORD_CHAR.test(text.charAt(t.start - 1)) || WORD_CHAR.test(text.charAt(t.end));
    if ((BLANK.test(t.value) && glued) || t.value.startsWith('!')) hits.push({ ruleId: 'sql.comment-obfuscation', start: t.start, end: t.end });
  }
  return hits;
}

// A value made to close a double quote (or a backtick, or a single quote inside an identifier) and go on as SQL.
// After the quote: OR/AND and then a constant or quote, UNION, a comment, or a statement.
const AFTER_QUOTE = String.raw`\s*(?:\)\s*)*(?:(?:or|and|xor|\|\||&&)\s*(?:[("'\x60\d]|(?:true|false)\b)|union\s|--|#|\/\*|;\s*(?:drop|delete|insert|update|select|exec|shutdown|truncate|alter|create|grant|declare|waitfor)\b)`;
const CLOSES_DOUBLE = new RegExp(`["\x60]${AFTER_QUOTE}`, 'i');
const CLOSES_SINGLE = new RegExp(`'${AFTER_QUOTE}`, 'i');
const QUOTED_OPERATOR = /^["`][\s\-&^*|+/%]*["`]$/;
const JUGGLE: ReadonlySet<string> = new Set(['-', '&', '^', '*', '|', '+', '/', '%', 'or', '||', '&&', 'xor', 'div']);

/**
 * String values shaped as quote-breaking probes. Comments are skipped where they stand (no list
 * of the other tokens is made, and nothing per token but a hit): each string looks ahead past
 * comments to the next two other tokens, so a run of comments is passed over at most three times
 * (by the loop, and by the lookaheads of the two tokens before it).
 */
export function quoteProbes(tokens: readonly SqlToken[]): SqlHit[] {
  const hits: SqlHit[] = [];
  for (let i = nextSignificant(tokens, 0); i < tokens.length; i = nextSignificant(tokens, i + 1)) {
    const t = tokens[i] as SqlToken;
    if (t.type === 'string' && t.flavour === "'" && (CLOSES_DOUBLE.test(t.value) || QUOTED_OPERATOR.test(t.value))) {
      hits.push({ ruleId: 'sql.quote-probe', start: t.start, end: t.end });
    } else if (t.type === 'ident' && t.flavour === '"' && CLOSES_SINGLE.test(t.value)) hits.push({ ruleId: 'sql.quote-probe', start: t.start, end: t.end });
    if (t.type !== 'string') continue;
    // '' - '' and '' '': arithmetic on (or adjacency of) empty strings only makes sense as type juggling.
    const n = nextSignificant(tokens, i + 1);
    const next = tokens[n];
    const after = next === undefined ? undefined : tokens[nextSignificant(tokens, n + 1)];
    const pair = next?.type === 'string' ? next : after?.type === 'string' && JUGGLE.has(next?.value ?? '') ? after : undefined;
    if (pair && (t.value === '' || pair.value === '') && (t.value === '' ? pair.value.length <= 1 : t.value.length <= 1)) {
      hits.push({ ruleId: 'sql.quote-probe', start: t.start, end: pair.end });
    }
  }
  return hits;
}

// The index of the first token at or after `from` that is not a comment (tokens.length when none is).
function nextSignificant(tokens: readonly SqlToken[], from: number): number {
  let i = from;
  while (i < tokens.length && (tokens[i] as SqlToken).type === 'comment') i++;
  return i;
}
