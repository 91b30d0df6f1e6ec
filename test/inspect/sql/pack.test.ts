/** policies/rules/sql-injection.yaml: its examples, and the SQL detector's rules kept in step with it. */
import { describe, expect, it } from 'vitest';
import { SQL_RULES } from '../../../src/inspect/detectors/sql/rule-ids.js';
import { exampleCases, findingsFor, ownPack } from '../shell/pack-helper.js';

const rules = ownPack('sql-injection.yaml');

describe('sql-injection pack', () => {
  it.each(exampleCases(rules))('%s %s %s', (_id, _verb, _shown, rule, example, expected) => {
    const ids = findingsFor(rules, example, rule.kinds?.[0] ?? 'text').map((f) => f.ruleId);
    if (expected) expect(ids).toContain(rule.id);
    else expect(ids).not.toContain(rule.id);
  });

  it('declares every rule the SQL detector reports, with the same severity and message', () => {
    const declared = rules.filter((r) => r.detector === 'sql');
    expect(declared.map((r) => r.id).sort()).toEqual(Object.keys(SQL_RULES).sort());
    for (const rule of declared) {
      const code = SQL_RULES[rule.id as keyof typeof SQL_RULES];
      expect({ id: rule.id, severity: rule.severity, message: rule.message }).toEqual({ id: rule.id, severity: code.severity, message: code.message });
    }
  });

  it('prefixes every id with sql. and files it under SQL injection', () => {
    for (const rule of rules) {
      expect(rule.id.startsWith('sql.')).toBe(true);
      expect(rule.category).toBe('sql-injection');
    }
  });
});
