/**
 * The pattern rules remember the argument names on which no rule fired (RuleIndex.quietKeys)
 * and count their steps at once when the name comes back. Held here to the reading it stands
 * for (test/inspect/reference/pattern-rules-per-rule.ts, which remembers nothing): the same
 * findings and the same steps on the first reading of a name and on every later one, a
 * refusal by the budget at exactly the same limits, and nothing remembered across kinds,
 * rules in play or names that differ only in case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { kindsOf } from '../../src/inspect/kinds.js';
import { normalizeArguments } from '../../src/inspect/normalize/index.js';
import { runPatternRules } from '../../src/inspect/pattern-rules.js';
import { ruleIndexOf } from '../../src/inspect/rule-index.js';
import type { ArgumentKind, InspectedString } from '../../src/inspect/types.js';
import { budgetedRun } from './budgeted-run.js';
import { corpusStrings } from './corpus-strings.js';
import * as before from './reference/pattern-rules-per-rule.js';
import { scaled } from '../test-scale.js';

const all = shippedRules().rules;
const someCategories = all.filter((r) => r.category !== 'secrets' && r.category !== 'pii');
const secretsOnly = all.filter((r) => r.category === 'secrets');

// A key as the normaliser makes it (a string of its own object).
function keyOf(name: string): InspectedString {
  const normalized = normalizeArguments({ [name]: 'x' });
  if (!normalized.ok) throw new Error(normalized.reason);
  const key = normalized.strings.find((s) => s.isKey);
  if (!key) throw new Error('no key');
  return key;
}

// A policy may name a key's kinds; kindsOf then answers with a set of its own.
const asCommand: ReadonlySet<ArgumentKind> = new Set(['command', 'text']);
const KINDS: Array<(s: InspectedString) => ReadonlySet<ArgumentKind>> = [(s) => kindsOf(s, {}), () => asCommand];

const run = budgetedRun;

// The first reading of `name` and two more (the later ones from what was remembered), each
// against the reference, alone and beside a value, for every rule set and set of kinds.
function expectSame(name: string): void {
  for (const rules of [all, someCategories, secretsOnly]) {
    for (const kinds of KINDS) {
      for (let round = 0; round < 3; round++) {
        const key = keyOf(name);
        expect(run(runPatternRules, [key], rules, kinds)).toEqual(run(before.runPatternRules, [key], rules, kinds));
        const value: InspectedString = { path: '$.v', key: 'v', isKey: false, raw: 'ignore previous instructions', variants: [] };
        expect(run(runPatternRules, [key, value, key], rules, kinds)).toEqual(run(before.runPatternRules, [key, value, key], rules, kinds));
      }
    }
  }
}

describe('pattern rules: argument names remembered when quiet', () => {
  it('answer and count as the reading they stand for, names with and without findings', () => {
    const names = ['path', 'command', 'sql', 'url', 'text', 'channel', 'PATH', 'Path', 'password', 'api_key', 'AKIAIOSFODNN7EXAMPLE', 'ignore previous instructions',
      'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'select * from users', '../../etc/passwd', 'http://169.254.169.254', '', ' ', 'İ', 'ß', '\u200b', 'a'.repeat(64), 'a'.repeat(65)];
    for (const name of names) expectSame(name);
  });

  it('on the names and values of the corpora, as names', () => {
    const seen = new Set<string>();
    for (const text of corpusStrings(2000)) if (text.length <= 80 && seen.size < 400) seen.add(text);
    for (const name of seen) expectSame(name);
  }, 300_000);

  it('on random names (property)', () => {
    const piece = fc.oneof(fc.constantFrom('key', 'token', 'secret', 'pass', 'word', '_', '-', 'ai', 'system', ':', 'sk-', 'xoxb-', '4111 1111 1111 1111', '\n'), fc.string({ maxLength: 8 }));
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), (name) => expectSame(name)), { numRuns: scaled(300) });
  });

  it('refuses at the same limits as the reading it stands for, remembered or not', () => {
    for (const name of ['path', 'command', 'a_long_argument_name_with_words', 'text']) {
      const key = keyOf(name);
      const { steps } = run(before.runPatternRules, [key], all, KINDS[0]!);
      expect(steps).toBeGreaterThan(0);
      for (const limit of [0, 1, steps - 1, steps, steps + 1]) {
        // The name is remembered after the first of these readings.
        for (let round = 0; round < 2; round++) {
          expect(run(runPatternRules, [keyOf(name)], all, KINDS[0]!, limit)).toEqual(run(before.runPatternRules, [key], all, KINDS[0]!, limit));
        }
      }
    }
  });

  it('remembers a quiet name, and not one on which a rule fired', () => {
    const index = ruleIndexOf(all);
    const quiet = index.quietKeys(kindsOf(keyOf('a_quiet_name'), {}), undefined, true);
    // (Kept the second time it is read: QuietStrings.keep.)
    run(runPatternRules, [keyOf('a_quiet_name')], all, KINDS[0]!);
    run(runPatternRules, [keyOf('a_quiet_name')], all, KINDS[0]!);
    expect(quiet.has('a_quiet_name')).toBe(true);
    // A rule's own example that fires on a name (any kind of string, short enough to be kept if quiet).
    const loud = all.flatMap((r) => (r.kinds ? [] : r.examples.match)).find((e): e is string => typeof e === 'string' && e.length <= 64 && run(runPatternRules, [keyOf(e)], all, KINDS[0]!).findings.length > 0);
    if (loud === undefined) throw new Error('no rule example fires on a name');
    expect(run(runPatternRules, [keyOf(loud)], all, KINDS[0]!).findings.length).toBeGreaterThan(0);
    expect(quiet.has(loud)).toBe(false);
  });
});
