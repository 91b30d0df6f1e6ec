/**
 * policies/rules/ssrf.yaml and the detector agree: the same rule ids and
 * severities, the pack loads cleanly, and every example behaves as declared
 * when the detector alone inspects it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { SSRF_RULE_IDS, SSRF_RULES } from '../../../src/inspect/detectors/network/rule-ids.js';
import { loadPack } from '../../../src/rules/load-pack.js';
import type { ArgumentKind } from '../../../src/inspect/types.js';
import { rulesFor } from './helpers.js';

const FILE = new URL('../../../policies/rules/ssrf.yaml', import.meta.url);
const TEXT = readFileSync(FILE, 'utf8');

type Example = string | { args: Record<string, string> };
interface Rule {
  id: string;
  severity: string;
  detector?: string;
  kinds: ArgumentKind[];
  examples: { match: Example[]; nomatch: Example[] };
}
const rules = (parse(TEXT) as { rules: Rule[] }).rules;

// The pack's denied-host examples assume this list (the other rules do not depend on it).
const NETWORK = { denyHosts: ['denied.example', '*.denied.example'] };
// Argument names in object examples, read as the kinds inspection would give them.
const KIND_OF_KEY: Record<string, ArgumentKind> = { url: 'url', command: 'command', message: 'text' };

function fired(rule: Rule, example: Example): string[] {
  if (typeof example === 'string') return rulesFor({ raw: example, kinds: [rule.kinds[0] ?? 'text'] }, NETWORK);
  return Object.entries(example.args).flatMap(([key, raw]) => rulesFor({ raw, key, kinds: [KIND_OF_KEY[key] ?? 'text'] }, NETWORK));
}

describe('ssrf rule pack', () => {
  test('loads without a problem', () => {
    const result = loadPack('ssrf.yaml', TEXT, { validators: {}, detectors: new Set(['ssrf']) });
    expect(result.issues).toEqual([]);
    expect(result.rules.map((r) => r.id)).toEqual(SSRF_RULE_IDS);
  });

  test('declares every rule the detector reports, with the same severity, fired by the ssrf detector', () => {
    expect(Object.fromEntries(rules.map((r) => [r.id, r.severity]))).toEqual(SSRF_RULES);
    for (const rule of rules) expect(rule.detector).toBe('ssrf');
  });

  const cases = rules.flatMap((rule) => [
    ...rule.examples.match.map((example) => ({ rule, example, expected: true })),
    ...rule.examples.nomatch.map((example) => ({ rule, example, expected: false })),
  ]);
  test.each(cases.map((c) => [c.rule.id, c.expected ? 'fires on' : 'stays quiet on', JSON.stringify(c.example), c] as const))(
    '%s %s %s',
    (_id, _verb, _shown, { rule, example, expected }) => {
      if (expected) expect(fired(rule, example)).toContain(rule.id);
      else expect(fired(rule, example)).not.toContain(rule.id);
    },
  );
});
