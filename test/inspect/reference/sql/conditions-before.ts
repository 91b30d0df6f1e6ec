/**
 * The constant-condition check as it was before it walked statements with a loop
 * (src/inspect/detectors/sql/conditions.ts at f76a309), kept for
 * test/inspect/sql/lexer-equivalence.test.ts; the operand readers are the check's own.
 */
import { COMPARISONS, isLiteral, leftOperand, rightOperand, TERMINATORS } from '../../../../src/inspect/detectors/sql/conditions.js';
import type { SqlToken } from '../../../../src/inspect/detectors/sql/lexer.js';
import type { SqlHit } from '../../../../src/inspect/detectors/sql/rule-ids.js';

/** Constant and self comparisons, and OR followed by a bare constant. */
export function tautologies(statements: readonly SqlToken[][]): SqlHit[] {
  const hits: SqlHit[] = [];
  for (const stmt of statements) {
    const whereSeen = new Map<number, boolean>();
    const firstWhere = new Set<number>();
    stmt.forEach((t, k) => {
      if (t.type === 'word' && t.value === 'select') whereSeen.set(t.depth, false);
      if (t.type === 'word' && t.value === 'where') {
        if (!whereSeen.get(t.depth)) firstWhere.add(k);
        whereSeen.set(t.depth, true);
      }
      if (t.type === 'word' && t.value === 'or') {
        const next = stmt[k + 1];
        const after = stmt[k + 2];
        const bare = next && (next.type === 'number' || (next.type === 'word' && next.value === 'true') || (next.type === 'string' && next.value !== ''));
        if (bare && (after === undefined || TERMINATORS.has(after.value))) hits.push({ ruleId: 'sql.tautology', start: t.start, end: next.end });
      }
      if (!COMPARISONS.has(t.value) || (t.type !== 'op' && t.type !== 'word')) return;
      const left = leftOperand(stmt, k);
      const r = rightOperand(stmt, k);
      if (!left || r === undefined) return;
      const l = stmt[left.at] as SqlToken;
      const rt = stmt[r] as SqlToken;
      const constant = isLiteral(l) && isLiteral(rt);
      const same = !constant && (l.type === 'word' || l.type === 'ident') && l.type === rt.type && l.value === rt.value;
      if (!constant && !same) return;
      const builder = firstWhere.has(left.before) && left.at === k - 1 && r === k + 1 && l.type === 'number' && rt.type === 'number';
      if (!builder) hits.push({ ruleId: 'sql.tautology', start: l.start, end: rt.end });
    });
  }
  return hits;
}
