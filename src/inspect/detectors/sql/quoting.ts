/**
 * Comments and quotes used against the query they sit in: a trailing comment that cuts off
 * the rest (`admin' --' AND password = …`), comments that split keywords (`UN/**\/ION`), and
 * string values shaped to close a quote of the other kind (`admin" --`, `" or ""="`) or to
 * juggle empty strings (`''-''`).
 */
import type { SqlToken } from './lexer.js';
import type { SqlHit } from './rule-ids.js';

const WORD_CHAR = /[A-Za-z0-9_]/;

/** Comments that cut a query short or hide keywords. */
export function commentTricks(tokens: readonly SqlToken[], text: string): SqlHit[] {
  const hits: SqlHit[] = [];
  for (const t of tokens) {
    if (t.type !== 'comment') continue;
    const at = { start: t.start, end: t.end };
    if (t.flavour === 'block' && t.unterminated) hits.push({ ruleId: 'sql.comment-truncation', ...at });
    else if (t.flavour === 'line' && t.trailing && (t.value.trim() === '' || /^\s*['"`)]/.test(t.value))) hits.push({ ruleId: 'sql.comment-truncation', ...at });
    if (t.flavour !== 'block') continue;
    const glued = WORD_CHAR.test(text.charAt(t.start - 1)) || WORD_CHAR.test(text.charAt(t.end));
    if ((t.value.trim() === '' && glued) || t.value.startsWith('!')) hits.push({ ruleId: 'sql.comment-obfuscation', ...at });
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

/** String values shaped as quote-breaking probes. */
export function quoteProbes(tokens: readonly SqlToken[]): SqlHit[] {
  const hits: SqlHit[] = [];
  const significant = tokens.filter((t) => t.type !== 'comment');
  significant.forEach((t, i) => {
    const at = { start: t.start, end: t.end };
    if (t.type === 'string' && t.flavour === "'" && (CLOSES_DOUBLE.test(t.value) || QUOTED_OPERATOR.test(t.value))) {
      hits.push({ ruleId: 'sql.quote-probe', ...at });
    } else if (t.type === 'ident' && t.flavour === '"' && CLOSES_SINGLE.test(t.value)) hits.push({ ruleId: 'sql.quote-probe', ...at });
    if (t.type !== 'string') return;
    // '' - '' and '' '': arithmetic on (or adjacency of) empty strings only makes sense as type juggling.
    const next = significant[i + 1];
    const after = significant[i + 2];
    const pair = next?.type === 'string' ? next : after?.type === 'string' && JUGGLE.has(next?.value ?? '') ? after : undefined;
    if (pair && (t.value === '' || pair.value === '') && (t.value === '' ? pair.value.length <= 1 : t.value.length <= 1)) {
      hits.push({ ruleId: 'sql.quote-probe', start: t.start, end: pair.end });
    }
  });
  return hits;
}
