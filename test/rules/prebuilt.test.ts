/**
 * The prebuilt packs carry what each pattern needs (the rule index's pre-test), worked out by
 * the build so that a start does not: read back, they are exactly what the index would work
 * out itself, the rules still fire on their own examples with them, and needs that do not
 * line up with the patterns are not used.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedDefinitionRules, shippedRules } from '../../src/inspect/build.js';
import { inspectArguments, type Inspector } from '../../src/inspect/inspect.js';
import { DETECTORS, RULE_REGISTRY } from '../../src/inspect/registry.js';
import { CATEGORIES, type Category } from '../../src/inspect/types.js';
import { shapeNeeds } from '../../src/rules/pattern-shape.js';
import { requiredCharsEach } from '../../src/rules/required-chars.js';
import { compilePrebuilt, toPrebuilt, type PrebuiltRule } from '../../src/rules/shipped.js';
import type { CompiledRule } from '../../src/rules/rule-types.js';

const root = path.resolve(import.meta.dirname, '..', '..');
// As the build writes them and a start reads them: through JSON.
const prebuilt = (rules: CompiledRule[]): PrebuiltRule[] => JSON.parse(JSON.stringify(rules.map((r) => toPrebuilt(r, root)))) as PrebuiltRule[];

describe('the needs in the prebuilt packs', () => {
  for (const [name, set] of [['argument rules', shippedRules()], ['definition rules', shippedDefinitionRules()]] as const) {
    it(`are what the index works out, for every pattern of the shipped ${name}`, () => {
      const rebuilt = compilePrebuilt(prebuilt(set.rules), RULE_REGISTRY);
      expect(rebuilt.issues).toEqual([]);
      const withPatterns = rebuilt.rules.filter((r) => r.regexes.length > 0);
      expect(withPatterns.length).toBeGreaterThan(name === 'argument rules' ? 20 : 2);
      for (const rule of withPatterns) {
        expect(rule.needs, rule.id).toBeDefined();
        expect(rule.needs, rule.id).toEqual(rule.regexes.map((regex) => requiredCharsEach(regex)));
        expect(rule.shapes, rule.id).toEqual(rule.regexes.map((regex) => shapeNeeds(regex)));
      }
      // Some patterns need nothing known (null in JSON, undefined again), most need something.
      expect(withPatterns.some((r) => r.needs!.some((n) => n !== undefined))).toBe(true);
    });
  }

  it('leave every argument rule firing on its own match examples', () => {
    const rules = compilePrebuilt(prebuilt(shippedRules().rules), RULE_REGISTRY).rules;
    const inspector: Inspector = {
      rules,
      detectors: DETECTORS,
      settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])) as Inspector['settings'],
      paths: { roots: [], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
      network: { allowHosts: [], denyHosts: [] },
      exhaustive: true,
    };
    let checked = 0;
    for (const rule of rules.filter((r) => r.regexes.length > 0 && r.examples.context === undefined)) {
      for (const example of rule.examples.match) {
        if (typeof example !== 'string') continue;
        const argument = { path: 'path', url: 'url', command: 'command', sql: 'sql', text: 'text' }[rule.kinds?.[0] ?? 'text'];
        const hints = rule.kinds?.[0] === 'sql' ? { byPolicy: new Map([['sql', new Set(['sql' as const])]]) } : {};
        const result = inspectArguments({ tool: 'example_tool', args: { [argument]: example }, hints, exempt: new Set<Category>() }, inspector);
        expect(result.findings.map((f) => f.ruleId), `${rule.id}: ${example}`).toContain(rule.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('are not used when they do not line up with the patterns, or are malformed', () => {
    const [rule] = prebuilt(shippedRules().rules.filter((r) => r.regexes.length > 1));
    const good = compilePrebuilt([rule!], RULE_REGISTRY).rules[0]!;
    expect(good.needs).toHaveLength(rule!.patterns!.length);
    const wrong: Array<PrebuiltRule['needs']> = [
      rule!.needs!.slice(1),
      [...rule!.needs!, null],
      rule!.needs!.map(() => [{ words: [0, 0, 0], other: false }]),
      rule!.needs!.map(() => [{ words: [0.5, 0, 0, 0], other: false }]),
      rule!.needs!.map(() => [{ words: [0, 0, 0, 0], other: 'no' }]) as unknown as PrebuiltRule['needs'],
      rule!.needs!.map(() => []),
    ];
    for (const needs of wrong) expect(compilePrebuilt([{ ...rule!, needs }], RULE_REGISTRY).rules[0]!.needs).toBeUndefined();
    // Without needs (an older build's JSON) the rule compiles as before.
    const { needs: _n, ...older } = rule!;
    const compiled = compilePrebuilt([older], RULE_REGISTRY).rules[0]!;
    expect(compiled.regexes).toHaveLength(rule!.patterns!.length);
    expect(compiled.needs).toBeUndefined();
  });

  it('shapes are not used when they do not line up with the patterns, or are malformed', () => {
    const [rule] = prebuilt(shippedRules().rules.filter((r) => r.regexes.length > 1));
    expect(compilePrebuilt([rule!], RULE_REGISTRY).rules[0]!.shapes).toHaveLength(rule!.patterns!.length);
    const wrong: Array<PrebuiltRule['shapes']> = [
      rule!.shapes!.slice(1),
      [...rule!.shapes!, []],
      rule!.shapes!.map(() => [0]),
      rule!.shapes!.map(() => [99, 1]),
      rule!.shapes!.map(() => [0, 1.5]),
      rule!.shapes!.map(() => [0, -1]),
      rule!.shapes!.map(() => ['0', 1]) as unknown as PrebuiltRule['shapes'],
    ];
    for (const shapes of wrong) expect(compilePrebuilt([{ ...rule!, shapes }], RULE_REGISTRY).rules[0]!.shapes).toBeUndefined();
    const { shapes: _s, ...older } = rule!;
    expect(compilePrebuilt([older], RULE_REGISTRY).rules[0]!.shapes).toBeUndefined();
  });
});
