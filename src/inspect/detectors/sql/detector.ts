/**
 * The `sql` detector: for arguments that are SQL (kind `sql`), tokenize every spelling and
 * report what a tokenizer sees better than a pattern: stacked statements, writes without
 * WHERE, comments that cut the query, constant conditions, column-count probes, and values
 * shaped to break out of quotes. Keyword-level signs (DROP, SLEEP(, UNION SELECT NULL…)
 * are pattern rules in the same pack.
 */
import { excerpt } from '../../evidence.js';
import { NO_FINDINGS, type Detector, type Finding, type InspectedString } from '../../types.js';
import { tautologies } from './conditions.js';
import { tokenizeSql, type SqlCommentDialect, type SqlToken } from './lexer.js';
import { commentTricks, quoteProbes } from './quoting.js';
import { SQL_RULES, SQL_RULE_IDS, type SqlHit, type SqlRuleId } from './rule-ids.js';
import { columnProbes, stackedQueries, statementsOf, unbalanced, unscopedWrites } from './structure.js';

// Every rule one reading of the text fires, given its tokens.
function analyseTokens(text: string, tokens: readonly SqlToken[]): SqlHit[] {
  const statements = statementsOf(tokens);
  return [
    ...stackedQueries(statements),
    ...unscopedWrites(statements),
    ...commentTricks(tokens, text),
    ...tautologies(statements),
    ...columnProbes(statements),
    ...quoteProbes(tokens),
    ...unbalanced(tokens, text.length),
  ];
}

function analyseReading(text: string, backslashEscapes: boolean, dialect: SqlCommentDialect = {}): SqlHit[] {
  return analyseTokens(text, tokenizeSql(text, backslashEscapes, dialect));
}

/**
 * Every rule one SQL text fires, with where. Databases disagree on `\'` inside strings and on
 * what a comment is (`#` is MySQL's comment and PostgreSQL's XOR; MySQL's `--` needs a space
 * after it), and what one reads as a comment it does not analyse, so a text is also read the
 * other ways when the standard reading met such a comment (or a backslash), and a payload
 * that works in any reading is reported; an open quote counts only when every reading
 * leaves it open. `dialects: false` reads it the standard way only (with backslashes both ways).
 */
export function analyseSql(text: string, dialects = true): SqlHit[] {
  const tokens = tokenizeSql(text, false);
  const readings = [analyseTokens(text, tokens)];
  if (text.includes('\\')) readings.push(analyseReading(text, true));
  const lineComments = dialects ? tokens.filter((t) => t.type === 'comment' && t.flavour === 'line') : [];
  // MySQL: backslash escapes, and `--x` is arithmetic, not a comment.
  if (lineComments.some((t) => text.charAt(t.start) === '-' && text.charCodeAt(t.start + 2) > 0x20)) readings.push(analyseReading(text, true, { dashNeedsSpace: true }));
  // PostgreSQL, SQLite, SQL Server: `#` is no comment.
  if (lineComments.some((t) => text.charAt(t.start) === '#')) readings.push(analyseReading(text, false, { hashComments: false }));
  if (readings.length === 1) return readings[0] as SqlHit[];
  const openInAll = readings.every((hits) => hits.some((h) => h.ruleId === 'sql.unbalanced'));
  return readings.flat().filter((h) => h.ruleId !== 'sql.unbalanced' || openInAll);
}

/** The rules one SQL string fires, each with evidence from the first spelling that fired it. */
export function inspectSql(s: InspectedString): Map<SqlRuleId, string> {
  const seen = new Map<SqlRuleId, string>();
  for (const { text, via } of [{ text: s.raw, via: 'raw' }, ...s.variants]) {
    // The dialects' readings of the text as sent only: a database is handed it verbatim, and
    // each reading of a comment-dense text costs a full tokenisation.
    for (const hit of analyseSql(text, via === 'raw')) {
      if (seen.has(hit.ruleId)) continue;
      const shown = excerpt(text, hit.start, hit.end);
      seen.set(hit.ruleId, via === 'raw' ? shown : `${shown} (after ${via})`);
    }
  }
  return seen;
}

/** Injection shapes in arguments that are SQL queries. */
export const sqlDetector: Detector = {
  category: 'sql-injection',
  ruleIds: SQL_RULE_IDS,
  readsOnly: 'sql',
  inspect(strings, ctx) {
    // (Made on the first query: most calls have none.)
    let findings: Finding[] | undefined;
    for (const s of strings) {
      if (!ctx.kindsOf(s).has('sql')) continue;
      findings ??= [];
      for (const [ruleId, evidence] of inspectSql(s)) {
        const rule = SQL_RULES[ruleId];
        findings.push({ ruleId, category: 'sql-injection', severity: rule.severity, path: s.path, evidence, message: rule.message });
      }
    }
    return findings ?? NO_FINDINGS;
  },
};
