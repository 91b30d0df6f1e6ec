/** policies/rules/command-injection.yaml: its examples, and the shell detector's rules kept in step with it. */
import { describe, expect, it } from 'vitest';
import { SHELL_RULES } from '../../../src/inspect/detectors/shell/rule-ids.js';
import { exampleCases, findingsFor, ownPack } from './pack-helper.js';

const rules = ownPack('command-injection.yaml');

describe('command-injection pack', () => {
  it.each(exampleCases(rules))('%s %s %s', (_id, _verb, _shown, rule, example, expected) => {
    const ids = findingsFor(rules, example, rule.kinds?.[0] ?? 'text').map((f) => f.ruleId);
    if (expected) expect(ids).toContain(rule.id);
    else expect(ids).not.toContain(rule.id);
  });

  it('declares every rule the shell detector reports, with the same severity and message', () => {
    const declared = rules.filter((r) => r.detector === 'shell');
    expect(declared.map((r) => r.id).sort()).toEqual(Object.keys(SHELL_RULES).sort());
    for (const rule of declared) {
      const code = SHELL_RULES[rule.id as keyof typeof SHELL_RULES];
      expect({ id: rule.id, severity: rule.severity, message: rule.message }).toEqual({ id: rule.id, severity: code.severity, message: code.message });
    }
  });

  it('prefixes every id with cmd. and files it under command injection', () => {
    for (const rule of rules) {
      expect(rule.id.startsWith('cmd.')).toBe(true);
      expect(rule.category).toBe('command-injection');
    }
  });
});
