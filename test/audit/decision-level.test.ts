/**
 * decisionLevel (src/audit/record.ts), written as loops with each field read once, against
 * the way it was written before (the reference below): the same level for every combination
 * of rules, verdict, direction, method and detail.
 */
import { describe, expect, it } from 'vitest';
import { decisionLevel } from '../../src/audit/record.js';
import type { DecisionRecord } from '../../src/audit/types.js';

const WARNING_RULES = ['metadata.poisoning', 'metadata.instructions', 'pin.', 'constraint.unknown-argument'];
const isWarningRule = (rule: string): boolean => WARNING_RULES.some((start) => rule.startsWith(start));

function reference(decision: DecisionRecord): string {
  if (decision.rules.some(isWarningRule) || decision.detail?.matchedNoTool !== undefined) return 'warn';
  switch (decision.verdict) {
    case 'block':
    case 'hide':
    case 'would-block':
      return 'warn';
    case 'forward':
      if (decision.detail?.findings !== undefined) return 'warn';
      if (decision.rules.length > 0 && !(decision.direction === 'client' && decision.method === 'tools/call')) return 'warn';
      return (decision.direction === 'client' && decision.method === 'tools/call') || (decision.direction === 'server' && decision.method === 'tools/list') ? 'info' : 'debug';
    default:
      return 'info';
  }
}

describe('decisionLevel: the same as before for every kind of record', () => {
  it('over every combination', () => {
    const ruleSets: string[][] = [[], ['tools.default'], ['metadata.poisoning'], ['x', 'pin.changed'], ['pin'], ['constraint.unknown-argument:path'], ['metadata.instructions', 'a'], ['metadata.poison'], ['result.redact:aws']];
    const verdicts = ['forward', 'rewrite', 'block', 'hide', 'drop', 'would-block', 'warn', 'log'] as const;
    const directions = ['client', 'server'] as const;
    const methods = [undefined, 'tools/call', 'tools/list', 'ping', 'resources/read'];
    const details: Array<Record<string, unknown> | undefined> = [undefined, {}, { findings: [] }, { matchedNoTool: 'x' }, { matchedNoTool: undefined }, { findings: undefined, learn: {} }];
    let n = 0;
    for (const rules of ruleSets)
      for (const verdict of verdicts)
        for (const direction of directions)
          for (const method of methods)
            for (const detail of details) {
              const record = { direction, method, id: 1, verdict, rules, decisionUs: 0, ...(detail !== undefined && { detail }) } as DecisionRecord;
              expect([record, decisionLevel(record)]).toEqual([record, reference(record)]);
              n++;
            }
    expect(n).toBe(ruleSets.length * verdicts.length * directions.length * methods.length * details.length);
  });
});
