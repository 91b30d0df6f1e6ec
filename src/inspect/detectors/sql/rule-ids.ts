/**
 * The rules the SQL detector reports, with their severities and what the model reads.
 * Each is declared, with examples, in policies/rules/sql-injection.yaml; a test keeps the
 * two in step.
 */
import type { Severity } from '../../types.js';

interface RuleInfo {
  severity: Severity;
  message: string;
}

/** Severity and message of each rule the SQL detector reports, as in the rule pack. */
export const SQL_RULES = {
  'sql.stacked-query': {
    severity: 'high',
    message: 'A second statement that changes data or runs code is stacked after the first with a semicolon; send one statement per call.',
  },
  'sql.unscoped-write': {
    severity: 'high',
    message: 'An UPDATE or DELETE without a WHERE clause changes every row of the table; add a WHERE clause that names the rows you mean.',
  },
  'sql.comment-truncation': {
    severity: 'high',
    message: 'A comment cuts off the rest of the query (a trailing --, # or an unclosed /*), the classic way to drop a password check; send the whole query without it.',
  },
  'sql.comment-obfuscation': {
    severity: 'high',
    message: 'Comments are used inside or between keywords (UN/**/ION, /*!…*/) to hide them from filters; write the query plainly.',
  },
  'sql.tautology': {
    severity: 'high',
    message: 'The query compares constants (OR 1=1, AND 1=0, \'a\'=\'a\', x=x), which makes a condition always true or false; filter on real columns and values.',
  },
  'sql.column-probe': {
    severity: 'high',
    message: 'ORDER BY or GROUP BY names a column position beyond the selected columns, a probe for the column count; order by a column name or a position that exists.',
  },
  'sql.quote-probe': {
    severity: 'high',
    message: 'A string value is shaped to break out of its quotes (\'\'-\'\', admin" --, " or ""="); send the plain value.',
  },
  'sql.unbalanced': {
    severity: 'medium',
    message: 'The query ends inside an open quote or parenthesis, a sign of a value spliced into it; send a complete query.',
  },
} as const satisfies Record<string, RuleInfo>;

/** A SQL rule id. */
export type SqlRuleId = keyof typeof SQL_RULES;

/** Every SQL rule id. */
export const SQL_RULE_IDS = Object.keys(SQL_RULES) as SqlRuleId[];

/** A rule that fired, and the span of text that made it fire. */
export interface SqlHit {
  ruleId: SqlRuleId;
  start: number;
  end: number;
}
