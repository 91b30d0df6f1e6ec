/**
 * Every shipped rule against its own examples: each `match` example must make that rule
 * fire, each `nomatch` example must not. Examples run through the whole inspection (the
 * normaliser, every detector, every pattern rule), as an argument of the rule's first kind.
 */
import { describe, expect, it } from 'vitest';
import { inspectArguments, type Inspector } from '../../src/inspect/inspect.js';
import { shippedRules } from '../../src/inspect/build.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import { CATEGORIES, type ArgumentKind, type Category } from '../../src/inspect/types.js';
import type { CompiledRule, RuleExample } from '../../src/rules/rule-types.js';

const rules = shippedRules();

// The argument name that gives a string its kind through the name alone.
const ARGUMENT_FOR: Record<ArgumentKind, string> = { path: 'path', url: 'url', command: 'command', sql: 'sql', text: 'text' };

const inspector: Inspector = {
  rules: rules.rules,
  detectors: DETECTORS,
  settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])) as Inspector['settings'],
  paths: { roots: [], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
  network: { allowHosts: [], denyHosts: [] },
  // Every rule that fires, not only the first that would block: each example names its rule.
  exhaustive: true,
};

function fired(rule: CompiledRule, example: RuleExample): string[] {
  const kind = rule.kinds?.[0] ?? 'text';
  const args = typeof example === 'string' ? { [ARGUMENT_FOR[kind]]: example } : example.args;
  const tool = typeof example === 'string' ? 'example_tool' : (example.tool ?? 'example_tool');
  const hints = kind === 'sql' ? { byPolicy: new Map([['sql', new Set<ArgumentKind>(['sql'])]]) } : {};
  const context = rule.examples.context ?? {};
  const withContext: Inspector = {
    ...inspector,
    paths: { ...inspector.paths, roots: context.roots ?? [], deny: context.deny ?? [] },
    network: { allowHosts: context.allowHosts ?? [], denyHosts: context.denyHosts ?? [] },
  };
  const result = inspectArguments({ tool, args, hints, exempt: new Set<Category>() }, withContext);
  expect(result.failure).toBeUndefined();
  return result.findings.map((f) => f.ruleId);
}

describe('rule packs', () => {
  it('load without a single problem', () => {
    expect(rules.issues).toEqual([]);
    expect(rules.rules.length).toBeGreaterThan(50);
  });

  it('cover every category', () => {
    expect(new Set(rules.rules.map((r) => r.category))).toEqual(new Set(CATEGORIES));
  });

  const cases = rules.rules.flatMap((rule) => [
    ...rule.examples.match.map((example) => ({ rule, example, expected: true })),
    ...rule.examples.nomatch.map((example) => ({ rule, example, expected: false })),
  ]);
  it.each(cases.map((c) => [c.rule.id, c.expected ? 'fires on' : 'stays quiet on', JSON.stringify(c.example).slice(0, 100), c] as const))(
    '%s %s %s',
    (_id, _verb, _shown, { rule, example, expected }) => {
      const ids = fired(rule, example);
      if (expected) expect(ids).toContain(rule.id);
      else expect(ids).not.toContain(rule.id);
    },
  );
});

describe('the prebuilt packs (dist/rules/packs.json)', () => {
  it('compile to exactly the rules the YAML gives', async () => {
    const { compilePrebuilt } = await import('../../src/rules/shipped.js');
    const { RULE_REGISTRY } = await import('../../src/inspect/registry.js');
    const specs = rules.rules.map(({ regexes: _r, validate: _v, ...spec }) => spec);
    const rebuilt = compilePrebuilt(JSON.parse(JSON.stringify(specs)), RULE_REGISTRY);
    expect(rebuilt.issues).toEqual([]);
    expect(rebuilt.rules.map((r) => [r.id, r.regexes.map((x) => x.source), r.validate === undefined])).toEqual(
      rules.rules.map((r) => [r.id, r.regexes.map((x) => x.source), r.validate === undefined]),
    );
  });
});
