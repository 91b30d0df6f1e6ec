/**
 * The examples of policies/rules/path-traversal.yaml, run through the detector: each `match`
 * makes its rule fire, each `nomatch` does not. `examples.context` sets roots and deny.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { pathDetector } from '../../../src/inspect/detectors/paths/index.js';
import { kindsOf } from '../../../src/inspect/kinds.js';
import type { InspectContext } from '../../../src/inspect/types.js';
import { pathContext, rulesFor, str } from './helpers.js';

/** An example as a call: the tool's name and its arguments (write targets depend on the tool). */
interface CallExample {
  tool: string;
  args: Record<string, unknown>;
}

// The rules that fire for a call example: every string argument, kinds from its name and shape.
function rulesForCall(example: CallExample, paths: ReturnType<typeof pathContext>): string[] {
  const strings = Object.entries(example.args)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([key, value]) => str(value, [], key));
  const ctx: InspectContext = { tool: example.tool, kindsOf: (s) => kindsOf(s), paths, network: { allowHosts: [], denyHosts: [] } };
  return pathDetector.inspect(strings, ctx).map((f) => f.ruleId);
}

const rulesOf = (example: string | CallExample, paths: ReturnType<typeof pathContext>) => (typeof example === 'string' ? rulesFor(example, paths) : rulesForCall(example, paths));

interface PackRule {
  id: string;
  detector?: string;
  kinds?: string[];
  examples: { match: (string | CallExample)[]; nomatch: (string | CallExample)[]; context?: { roots?: string[]; deny?: string[] } };
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
      expect(rulesOf(example, ctx)).toContain(rule.id);
    });
    test.each(rule.examples.nomatch)('does not fire for %s', (example) => {
      expect(rulesOf(example, ctx)).not.toContain(rule.id);
    });
  });
}
