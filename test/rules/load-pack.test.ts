import { describe, expect, it } from 'vitest';
import { compileLinear } from '../../src/rules/linear-regex.js';
import { loadPack, type RuleRegistry } from '../../src/rules/load-pack.js';
import { loadRuleSet } from '../../src/rules/load-packs.js';

const registry: RuleRegistry = { validators: { always: () => true }, detectors: new Set(['ssrf']) };

const RULE = `rules:
  - id: cmd.example
    category: command-injection
    severity: high
    description: An example.
    patterns: ['rm\\s+-rf\\s+/']
    examples:
      match: ["rm -rf /"]
      nomatch: ["rm file"]
`;

describe('loadPack', () => {
  it('compiles a well-formed rule', () => {
    const { rules, issues } = loadPack('pack.yaml', RULE, registry);
    expect(issues).toEqual([]);
    expect(rules.map((r) => [r.id, r.regexes.length, r.source.line])).toEqual([['cmd.example', 1, 2]]);
  });

  it.each([
    ['a rule without examples', RULE.replace(/    examples:[\s\S]*$/, ''), 2, 5, 'rule cmd.example: examples.match and examples.nomatch are both required'],
    ['a rule with only match examples', RULE.replace('      nomatch: ["rm file"]\n', ''), 8, 7, 'examples.match and examples.nomatch are both required'],
    ['a pattern the linear engine cannot run', RULE.replace("['rm\\s+-rf\\s+/']", "['(a)\\1']"), 6, 15, 'Cannot be executed in linear time'],
    ['a lookahead', RULE.replace("['rm\\s+-rf\\s+/']", "['rm(?=x)']"), 6, 15, 'lookarounds, backreferences, flags'],
    ['an unknown key', RULE.replace('    severity: high\n', '    severity: high\n    severty: low\n'), 5, 5, 'unknown key "severty"'],
    ['a misspelt category', RULE.replace('command-injection', 'command-injections'), 3, 15, 'category must be one of'],
    ['an upper-case keyword', RULE.replace('    patterns:', '    keywords: [RM]\n    patterns:'), 6, 15, 'lower-case'],
    ['an unknown validator', RULE.replace('    patterns:', '    validator: luhnn\n    patterns:'), 6, 16, 'no validator named "luhnn"'],
    ['both a detector and patterns', RULE.replace('    patterns:', '    detector: ssrf\n    patterns:'), 6, 15, 'either patterns or a detector'],
    ['a bad id', RULE.replace('cmd.example', 'Example'), 2, 9, 'id must look like'],
  ])('reports %s with its place', (_, text, line, col, message) => {
    const { rules, issues } = loadPack('pack.yaml', text, registry);
    expect(rules).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ file: 'pack.yaml', line, col, message: expect.stringContaining(message) })]);
  });

  it('reports YAML errors with their place', () => {
    const { issues } = loadPack('pack.yaml', 'rules:\n  - id: [unclosed\n', registry);
    expect(issues[0]).toMatchObject({ file: 'pack.yaml', line: expect.any(Number) });
  });

  it('refuses a rule id defined twice across packs', () => {
    const files: Record<string, string> = { '/p/a.yaml': RULE, '/p/b.yaml': RULE };
    const set = loadRuleSet('/p', { list: () => ['a.yaml', 'b.yaml'], read: (f) => files[f] ?? '' }, registry);
    expect(set.rules).toHaveLength(1);
    expect(set.issues).toEqual([expect.objectContaining({ file: '/p/b.yaml', message: expect.stringContaining('already defined at /p/a.yaml:2') })]);
  });
});

describe('compileLinear', () => {
  it('runs a pattern that backtracks exponentially elsewhere, in linear time', () => {
    const compiled = compileLinear('(a+)+b');
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.regex.test(`${'a'.repeat(100_000)}c`)).toBe(false); // would take longer than the universe's age without the fallback
  });
});
