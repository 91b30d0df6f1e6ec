/**
 * The `statements` constraint: every SQL statement in the argument, as the SQL lexer
 * inspection uses splits it, is of a listed kind. Text the lexer cannot close is refused.
 */
import { tokenizeSql } from '../inspect/detectors/sql/lexer.js';
import { statementsOf, unbalanced, verbOf } from '../inspect/detectors/sql/structure.js';
import type { StatementKind } from './types.js';

const KIND_OF_VERB: Readonly<Record<string, StatementKind>> = {
  select: 'select', with: 'select', values: 'select', table: 'select',
  insert: 'insert', replace: 'insert',
  update: 'update',
  delete: 'delete',
  create: 'ddl', alter: 'ddl', drop: 'ddl', truncate: 'ddl', rename: 'ddl', comment: 'ddl',
};

/** Longest SQL text read (each is tokenized twice). */
export const MAX_SQL_CHARS = 256 * 1024;

// Verbs that, anywhere inside a statement that starts by reading, make it write.
const NESTED_WRITES: Readonly<Record<string, StatementKind>> = {
  insert: 'insert', update: 'update', delete: 'delete', merge: 'other', create: 'ddl', alter: 'ddl', drop: 'ddl', truncate: 'ddl',
};

/** The kind of each statement in the text; a string when the text cannot be split. */
export function statementKinds(text: string): StatementKind[] | string {
  if (text.length > MAX_SQL_CHARS) return `is longer than ${MAX_SQL_CHARS} characters`;
  // Databases disagree on `\'` inside strings: both readings must hold.
  const kinds: StatementKind[] = [];
  for (const backslashEscapes of [false, true]) {
    const read = readingKinds(text, backslashEscapes);
    if (typeof read === 'string') return read;
    kinds.push(...read);
  }
  return [...new Set(kinds)];
}

function readingKinds(text: string, backslashEscapes: boolean): StatementKind[] | string {
  const tokens = tokenizeSql(text, backslashEscapes);
  if (tokens.some((t) => t.unterminated) || unbalanced(tokens, text.length).length > 0) return 'leaves a quote, comment or parenthesis open';
  const statements = statementsOf(tokens);
  if (statements.length === 0) return 'holds no statement';
  return statements.map((s) => {
    const verb = verbOf(s)?.verb ?? '';
    const kind = KIND_OF_VERB[verb] ?? 'other';
    if (kind !== 'select') return kind;
    // SELECT … INTO writes a table; a WITH may wrap a write in parentheses (`WITH x AS (DELETE …)`).
    if (s.some((t) => t.type === 'word' && t.value === 'into')) return 'insert';
    const hidden = s.find((t, i) => t.type === 'word' && i > 0 && NESTED_WRITES[t.value] !== undefined && !(t.value === 'update' && s[i - 1]?.value === 'for') && s[i + 1]?.value !== '(');
    return hidden ? (NESTED_WRITES[hidden.value] as StatementKind) : kind;
  });
}
