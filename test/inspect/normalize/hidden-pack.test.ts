import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HIDDEN_RULES, HIDDEN_RULE_IDS, normalizeArguments } from '../../../src/inspect/normalize/index.js';

interface PackRule {
  id: string;
  category: string;
  severity: string;
  message: string;
  detector?: string;
  examples: { match: string[]; nomatch: string[] };
}

const pack = parse(readFileSync(new URL('../../../policies/rules/hidden-characters.yaml', import.meta.url), 'utf8')) as {
  rules: PackRule[];
};

function firedRules(text: string): string[] {
  const result = normalizeArguments({ text });
  if (!result.ok) throw new Error(result.reason);
  return result.findings.map((f) => f.ruleId);
}

describe('policies/rules/hidden-characters.yaml', () => {
  it('declares exactly the rules the code reports, with the same severity and message', () => {
    expect(pack.rules.map((r) => r.id).sort()).toEqual([...HIDDEN_RULE_IDS].sort());
    for (const code of Object.values(HIDDEN_RULES)) {
      const declared = pack.rules.find((r) => r.id === code.id);
      expect(declared).toMatchObject({ category: 'hidden-characters', detector: 'hidden', severity: code.severity, message: code.message });
    }
  });

  describe.each(pack.rules.map((r) => [r.id, r] as const))('%s', (_, rule) => {
    it('has examples both ways', () => {
      expect(rule.examples.match.length).toBeGreaterThan(0);
      expect(rule.examples.nomatch.length).toBeGreaterThan(0);
    });

    it.each(rule.examples.match)('fires on %j', (example) => {
      expect(firedRules(example)).toContain(rule.id);
    });

    it.each(rule.examples.nomatch)('stays quiet on %j', (example) => {
      expect(firedRules(example)).not.toContain(rule.id);
    });
  });
});
