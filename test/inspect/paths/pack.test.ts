/**
 * The examples of policies/rules/path-traversal.yaml, run through the detector: each `match`
 * makes its rule fire, each `nomatch` does not. `examples.context` sets roots and deny.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { pathDetector } from '../../../src/inspect/detectors/paths/index.js';
import { pathContext, rulesFor } from './helpers.js';

interface PackRule {
  id: string;
  detector?: string;
  kinds?: string[];
  examples: { match: string[]; nomatch: string[]; context?: { roots?: string[]; deny?: string[] } };
}

const pack = parse(readFileSync(new URL('../../../policies/rules/path-traversal.yaml', import.meta.url), 'utf8')) as { rules: PackRule[] };

test('the pack declares exactly the detector’s rules, each for paths, with examples', () => {
  expect(pack.rules.map((r) => r.id).sort()).toEqual([...pathDetector.ruleIds].sort());
  for (const rule of pack.rules) {
    expect(rule).toMatchObject({ detector: 'paths', kinds: ['path'] });
    expect(rule.examples.match.length).toBeGreaterThan(0);
    expect(rule.examples.nomatch.length).toBeGreaterThan(0);
  }
});

for (const rule of pack.rules) {
  describe(rule.id, () => {
    const ctx = pathContext(rule.examples.context ?? {});
    test.each(rule.examples.match)('fires for %s', (example) => {
      expect(rulesFor(example, ctx)).toContain(rule.id);
    });
    test.each(rule.examples.nomatch)('does not fire for %s', (example) => {
      expect(rulesFor(example, ctx)).not.toContain(rule.id);
    });
  });
}
