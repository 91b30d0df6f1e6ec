/**
 * Running one of our rule packs against its own examples, through the whole inspection
 * (normaliser, our code detectors, the pack's pattern rules), as packs.test.ts does for
 * every shipped pack once the detectors are registered.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { inspectArguments, type Inspector } from '../../../src/inspect/inspect.js';
import { shellDetector } from '../../../src/inspect/detectors/shell/detector.js';
import { sqlDetector } from '../../../src/inspect/detectors/sql/detector.js';
import { CATEGORIES, type ArgumentKind, type Category, type Finding } from '../../../src/inspect/types.js';
import { loadPack } from '../../../src/rules/load-pack.js';
import type { CompiledRule, RuleExample } from '../../../src/rules/rule-types.js';

const RULES_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'policies', 'rules');

/** The compiled rules of one pack, failing the test on any problem. */
export function ownPack(file: string): CompiledRule[] {
  const full = path.join(RULES_DIR, file);
  const pack = loadPack(full, readFileSync(full, 'utf8'), { validators: {}, detectors: new Set(['shell', 'sql']) });
  expect(pack.issues).toEqual([]);
  return pack.rules;
}

function inspector(rules: readonly CompiledRule[]): Inspector {
  return {
    rules,
    detectors: [shellDetector, sqlDetector],
    settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])) as Inspector['settings'],
    paths: { roots: [], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
    network: { allowHosts: [], denyHosts: [] },
    // "Every finding": the first that blocks does not end the inspection here.
    exhaustive: true,
  };
}

const ARGUMENT_FOR: Record<ArgumentKind, string> = { path: 'path', url: 'url', command: 'command', sql: 'sql', text: 'text' };

/** Every finding for one value sent as an argument of the given kind, or for whole arguments. */
export function findingsFor(rules: readonly CompiledRule[], example: RuleExample, kind: ArgumentKind): Finding[] {
  const args = typeof example === 'string' ? { [ARGUMENT_FOR[kind]]: example } : example.args;
  const hints = kind === 'sql' ? { byPolicy: new Map([['sql', new Set<ArgumentKind>(['sql'])]]) } : {};
  const result = inspectArguments({ tool: 'example_tool', args, hints, exempt: new Set<Category>() }, inspector(rules));
  expect(result.failure).toBeUndefined();
  return result.findings;
}

/** Table rows: each example of each rule, with whether the rule must fire. */
export function exampleCases(rules: readonly CompiledRule[]): Array<[string, string, string, CompiledRule, RuleExample, boolean]> {
  return rules.flatMap((rule) => [
    ...rule.examples.match.map((e) => [rule.id, 'fires on', JSON.stringify(e).slice(0, 90), rule, e, true] as [string, string, string, CompiledRule, RuleExample, boolean]),
    ...rule.examples.nomatch.map((e) => [rule.id, 'stays quiet on', JSON.stringify(e).slice(0, 90), rule, e, false] as [string, string, string, CompiledRule, RuleExample, boolean]),
  ]);
}
