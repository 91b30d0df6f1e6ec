/**
 * Checks on the shape of statements: more than one statement where the later ones write
 * or run code, UPDATE/DELETE without WHERE, ORDER BY positions past the select list, and
 * quotes or parentheses left open.
 */
import type { SqlToken } from './lexer.js';
import type { SqlHit } from './rule-ids.js';

/** Significant tokens (comments left out), one list per statement. */
export function statementsOf(tokens: readonly SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]];
  for (const t of tokens) {
    if (t.type === 'comment') continue;
    if (t.type === 'op' && t.value === ';') statements.push([]);
    else (statements[statements.length - 1] as SqlToken[]).push(t);
  }
  return statements.filter((s) => s.length > 0);
}

const VERBS: ReadonlySet<string> = new Set(['select', 'insert', 'update', 'delete', 'merge', 'replace']);
const READ_ONLY: ReadonlySet<string> = new Set(['select', 'with', 'show', 'explain', 'describe', 'desc', 'values', 'table', 'pragma']);

// Words that wrap a whole statement: `EXPLAIN ANALYZE DELETE …` runs the DELETE (PostgreSQL),
// `DESC`/`DESCRIBE` are MySQL's EXPLAIN, `PREPARE p AS …` (PostgreSQL) runs it when executed.
const WRAPPERS: ReadonlySet<string> = new Set(['with', 'explain', 'describe', 'desc', 'prepare']);

/**
 * The verb a statement runs (its first word, or the first verb after a WITH clause or
 * inside EXPLAIN, DESCRIBE or PREPARE), and where.
 */
export function verbOf(stmt: readonly SqlToken[]): { verb: string; index: number } | undefined {
  const first = stmt.findIndex((t) => t.type === 'word');
  const word = stmt[first];
  if (!word) return undefined;
  if (!WRAPPERS.has(word.value)) return { verb: word.value, index: first };
  const index = stmt.findIndex((t, i) => i > first && t.type === 'word' && t.depth === word.depth && VERBS.has(t.value));
  const verb = stmt[index];
  return verb ? { verb: verb.value, index } : { verb: word.value, index: first };
}

function span(stmt: readonly SqlToken[]): { start: number; end: number } {
  return { start: stmt[0]?.start ?? 0, end: stmt[stmt.length - 1]?.end ?? 0 };
}

// Transaction control neither reads nor writes: BEGIN; SELECT …; COMMIT is still read-only.
const TRANSACTION: ReadonlySet<string> = new Set(['begin', 'start', 'commit', 'rollback', 'end', 'savepoint', 'release']);

/** A statement stacked after another, unless every statement only reads. */
export function stackedQueries(statements: readonly SqlToken[][]): SqlHit[] {
  if (statements.length < 2) return [];
  if (statements.every((s) => READ_ONLY.has(verbOf(s)?.verb ?? '') || TRANSACTION.has(verbOf(s)?.verb ?? ''))) return [];
  const second = statements[1] as SqlToken[];
  const last = statements[statements.length - 1] as SqlToken[];
  return [{ ruleId: 'sql.stacked-query', start: span(second).start, end: span(last).end }];
}

/**
 * UPDATE or DELETE with no WHERE at its own level. Only a statement counts: an UPDATE that
 * sets something, a DELETE that names what it deletes from. The bare word (`UPDATE`, `DELETE`)
 * is what structured SQL tools take as the statement kind, with the table and the conditions
 * in arguments of their own; it changes nothing by itself.
 */
export function unscopedWrites(statements: readonly SqlToken[][]): SqlHit[] {
  const hits: SqlHit[] = [];
  for (const stmt of statements) {
    const v = verbOf(stmt);
    if (!v || (v.verb !== 'update' && v.verb !== 'delete')) continue;
    const depth = (stmt[v.index] as SqlToken).depth;
    const after = stmt.slice(v.index + 1);
    const isStatement = v.verb === 'update' ? after.some((t) => t.type === 'word' && t.value === 'set' && t.depth === depth) : after.some((t) => t.type === 'word' || t.type === 'ident');
    if (!isStatement) continue;
    const scoped = stmt.some((t, i) => i > v.index && t.type === 'word' && t.value === 'where' && t.depth === depth);
    if (!scoped) hits.push({ ruleId: 'sql.unscoped-write', ...span(stmt) });
  }
  return hits;
}

const LIST_END: ReadonlySet<string> = new Set(['from', 'into', 'where', 'union', 'order', 'group', 'having', 'limit', 'window', 'intersect', 'except', 'fetch', 'offset']);
const BY_END: ReadonlySet<string> = new Set(['limit', 'offset', 'fetch', 'for', 'having', 'order', 'group', 'union', 'window', 'into', 'intersect', 'except', 'procedure', 'lock']);
const SELECT_MODIFIERS: ReadonlySet<string> = new Set(['distinct', 'all', 'sql_calc_found_rows', 'sql_no_cache', 'straight_join', 'high_priority']);

// How many columns the first SELECT at depth `depth` lists; undefined when it has a `*`.
function selectWidth(stmt: readonly SqlToken[], at: number, depth: number): number | undefined {
  let width = 1;
  let prev: SqlToken | undefined = stmt[at];
  for (let i = at + 1; i < stmt.length; i += 1) {
    const t = stmt[i] as SqlToken;
    if (t.depth < depth) break;
    if (t.depth === depth) {
      if (t.type === 'word' && LIST_END.has(t.value)) break;
      if (t.type === 'op' && t.value === ',') width += 1;
      const afterStart = prev?.value === ',' || prev?.value === '.' || prev === stmt[at] || (prev?.type === 'word' && SELECT_MODIFIERS.has(prev.value));
      if (t.type === 'op' && t.value === '*' && afterStart) return undefined;
    }
    prev = t;
  }
  return width;
}

/** ORDER BY / GROUP BY positions that no select list has: a column-count probe. */
export function columnProbes(statements: readonly SqlToken[][]): SqlHit[] {
  const hits: SqlHit[] = [];
  for (const stmt of statements) {
    const at = stmt.findIndex((t) => t.type === 'word' && t.value === 'select');
    const select = stmt[at];
    if (!select) continue;
    const depth = select.depth;
    const width = selectWidth(stmt, at, depth);
    for (let i = at + 1; i + 1 < stmt.length; i += 1) {
      const t = stmt[i] as SqlToken;
      if (t.depth !== depth || t.type !== 'word' || (t.value !== 'order' && t.value !== 'group') || stmt[i + 1]?.value !== 'by') continue;
      for (const item of byItems(stmt, i + 2, depth)) {
        const n = Number(item.value);
        if (n < 1 || n > (width ?? 100)) hits.push({ ruleId: 'sql.column-probe', start: t.start, end: item.end });
      }
    }
  }
  return hits;
}

// The numeric items of a BY list: a lone number, optionally with ASC/DESC/NULLS FIRST|LAST.
function byItems(stmt: readonly SqlToken[], from: number, depth: number): SqlToken[] {
  const numbers: SqlToken[] = [];
  let item: SqlToken[] = [];
  const close = (): void => {
    const [head, ...rest] = item;
    if (head?.type === 'number' && /^\d+$/.test(head.value) && rest.every((r) => r.type === 'word' && /^(?:asc|desc|nulls|first|last)$/.test(r.value))) numbers.push(head);
    item = [];
  };
  for (let i = from; i < stmt.length; i += 1) {
    const t = stmt[i] as SqlToken;
    if (t.depth < depth || (t.depth === depth && t.type === 'word' && BY_END.has(t.value))) break;
    if (t.depth === depth && t.type === 'op' && t.value === ',') close();
    else item.push(t);
  }
  close();
  return numbers;
}

/** A string or identifier left open, or parentheses that do not pair up. */
export function unbalanced(tokens: readonly SqlToken[], length: number): SqlHit[] {
  const open = tokens.find((t) => (t.type === 'string' || t.type === 'ident') && t.unterminated);
  if (open) return [{ ruleId: 'sql.unbalanced', start: open.start, end: open.end }];
  let depth = 0;
  for (const t of tokens) {
    if (t.type !== 'op') continue;
    if (t.value === '(') depth += 1;
    if (t.value === ')') depth -= 1;
    if (depth < 0) return [{ ruleId: 'sql.unbalanced', start: t.start, end: t.end }];
  }
  return depth === 0 ? [] : [{ ruleId: 'sql.unbalanced', start: 0, end: length }];
}
