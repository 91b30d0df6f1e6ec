/**
 * Conditions that do not depend on any row: a comparison of two constants (`1=1`, `'a'='a'`,
 * `8310=8311`), of a column with itself (`x=x`), or `OR TRUE`. Injected payloads use them to
 * make a filter always true, or to ask yes/no questions of the database one bit at a time.
 * `WHERE 1=1` right after a statement's first WHERE is left alone: query builders write it.
 */
import type { SqlToken } from './lexer.js';
import type { SqlHit } from './rule-ids.js';

const COMPARISONS: ReadonlySet<string> = new Set(['=', '==', '<>', '!=', '<=>', '<', '>', '<=', '>=', 'like', 'rlike', 'regexp', 'ilike']);
// What may stand right before a whole operand; anything else (a function name, `.`, `+`) means the operand is part of something larger.
const BEFORE_OPERAND: ReadonlySet<string> = new Set(['and', 'or', 'not', 'xor', 'where', 'having', 'when', 'on', 'if', 'then', 'else', 'select', '(', ',']);
// What may not follow a whole operand: it would continue an expression.
const CONTINUES: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '||', '&', '|', '^', '.', '::', '(', '[']);
const TERMINATORS: ReadonlySet<string> = new Set([')', 'and', 'or', 'order', 'group', 'limit', 'having', 'union']);

function isLiteral(t: SqlToken): boolean {
  return t.type === 'number' || t.type === 'string' || (t.type === 'word' && (t.value === 'true' || t.value === 'false' || t.value === 'null'));
}

function is(t: SqlToken | undefined, type: SqlToken['type'], value: string): boolean {
  return t !== undefined && t.type === type && t.value === value;
}

/** Where the left operand of the comparison at k starts, or -1 when it is not a lone literal or name. */
function leftOperand(stmt: readonly SqlToken[], k: number): { at: number; before: number } | undefined {
  let j = k - 1;
  let closes = 0;
  while (is(stmt[j], 'op', ')')) {
    closes += 1;
    j -= 1;
  }
  if (!stmt[j]) return undefined;
  for (let m = 1; m <= closes; m += 1) if (!is(stmt[j - m], 'op', '(')) return undefined;
  const before = j - closes - 1;
  const p = stmt[before];
  if (p && !((p.type === 'word' || p.type === 'op') && BEFORE_OPERAND.has(p.value))) return undefined;
  return { at: j, before };
}

function rightOperand(stmt: readonly SqlToken[], k: number): number | undefined {
  let r = k + 1;
  let opens = 0;
  while (is(stmt[r], 'op', '(')) {
    opens += 1;
    r += 1;
  }
  if (!stmt[r]) return undefined;
  let a = r + 1;
  while (opens > 0 && is(stmt[a], 'op', ')')) {
    opens -= 1;
    a += 1;
  }
  const after = stmt[a];
  if (after && after.type === 'op' && CONTINUES.has(after.value)) return undefined;
  return r;
}

/** Constant and self comparisons, and OR followed by a bare constant. */
export function tautologies(statements: readonly SqlToken[][]): SqlHit[] {
  const hits: SqlHit[] = [];
  for (const stmt of statements) {
    // (Made when the statement has a SELECT or WHERE: most tokens are neither.)
    let whereSeen: Map<number, boolean> | undefined;
    let firstWhere: Set<number> | undefined;
    for (let k = 0; k < stmt.length; k++) {
      const t = stmt[k] as SqlToken;
      if (t.type === 'word' && t.value === 'select') (whereSeen ??= new Map()).set(t.depth, false);
      if (t.type === 'word' && t.value === 'where') {
        whereSeen ??= new Map();
        if (!whereSeen.get(t.depth)) (firstWhere ??= new Set()).add(k);
        whereSeen.set(t.depth, true);
      }
      if (t.type === 'word' && t.value === 'or') {
        const next = stmt[k + 1];
        const after = stmt[k + 2];
        const bare = next && (next.type === 'number' || (next.type === 'word' && next.value === 'true') || (next.type === 'string' && next.value !== ''));
        if (bare && (after === undefined || TERMINATORS.has(after.value))) hits.push({ ruleId: 'sql.tautology', start: t.start, end: next.end });
      }
      if ((t.type !== 'op' && t.type !== 'word') || !COMPARISONS.has(t.value)) continue;
      const left = leftOperand(stmt, k);
      const r = rightOperand(stmt, k);
      if (!left || r === undefined) continue;
      const l = stmt[left.at] as SqlToken;
      const rt = stmt[r] as SqlToken;
      const constant = isLiteral(l) && isLiteral(rt);
      const same = !constant && (l.type === 'word' || l.type === 'ident') && l.type === rt.type && l.value === rt.value;
      if (!constant && !same) continue;
      const builder = firstWhere !== undefined && firstWhere.has(left.before) && left.at === k - 1 && r === k + 1 && l.type === 'number' && rt.type === 'number';
      if (!builder) hits.push({ ruleId: 'sql.tautology', start: l.start, end: rt.end });
    }
  }
  return hits;
}
