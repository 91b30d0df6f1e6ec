/**
 * The pattern rules also remember short values on which no rule fired, per set of kinds that
 * kindsOf shares (RuleIndex.quietKeys' second table), and count their steps at once when the
 * value comes back. Held here to the reading it stands for (test/inspect/reference/
 * pattern-rules-per-rule.ts, which remembers nothing): the same findings and the same steps on
 * the first reading of a value and on every later one, whatever its kinds, beside names and
 * other values, for strings that share a slot of the table, and a refusal by the budget at
 * exactly the same limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { isSharedKinds, kindsOf, type KindHints } from '../../src/inspect/kinds.js';
import { normalizeArguments } from '../../src/inspect/normalize/index.js';
import { runPatternRules } from '../../src/inspect/pattern-rules.js';
import { ruleIndexOf } from '../../src/inspect/rule-index.js';
import type { ArgumentKind, InspectedString } from '../../src/inspect/types.js';
import { budgetedRun } from './budgeted-run.js';
import { corpusStrings } from './corpus-strings.js';
import * as before from './reference/pattern-rules-per-rule.js';
import { scaled, scaledItems } from '../test-scale.js';

const all = shippedRules().rules;
const someCategories = all.filter((r) => r.category !== 'secrets' && r.category !== 'pii');
const secretsOnly = all.filter((r) => r.category === 'secrets');
// Names that give a value each kind kindsOf knows (and none: `text`, `note`).
const NAMES = ['text', 'path', 'url', 'command', 'sql', 'note'];
// A schema's word for `note`: kindsOf then builds a set for the string, which is not remembered.
const SCHEMA: KindHints = { bySchema: new Map([['note', new Set<ArgumentKind>(['command'])]]) };
const KINDS: Array<(s: InspectedString) => ReadonlySet<ArgumentKind>> = [(s) => kindsOf(s, {}), (s) => kindsOf(s, SCHEMA)];

// The strings of {name: text} as the normaliser makes them: the name, then the value (and any inside it).
function stringsOf(name: string, text: string): InspectedString[] {
  const normalized = normalizeArguments({ [name]: text });
  if (!normalized.ok) throw new Error(normalized.reason);
  return normalized.strings;
}

const run = budgetedRun;

// Each text read three times under every name, rule set and set of kinds, alone and beside a
// value on which rules fire, each reading against the reference. Returns how many readings
// were of a value the table may keep (short, as sent only, kinds shared).
function expectSame(texts: readonly string[]): number {
  let keepable = 0;
  const loud: InspectedString = { path: '$.v', key: 'v', isKey: false, raw: 'ignore previous instructions', variants: [] };
  for (const rules of [all, someCategories, secretsOnly]) {
    for (const kinds of KINDS) {
      for (let round = 0; round < 3; round++) {
        for (const name of NAMES) {
          for (const text of texts) {
            const input = stringsOf(name, text);
            const value = input[input.length - 1]!;
            if (value.variants.length === 0 && value.raw.length <= 64 && isSharedKinds(kinds(value))) keepable++;
            expect(run(runPatternRules, input, rules, kinds)).toEqual(run(before.runPatternRules, input, rules, kinds));
            expect(run(runPatternRules, [...input, loud, ...input], rules, kinds)).toEqual(run(before.runPatternRules, [...input, loud, ...input], rules, kinds));
          }
        }
      }
    }
  }
  return keepable;
}

// Rule examples short enough to be kept if they were quiet: strings on which rules fire.
const examples = [...new Set(all.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).filter((e): e is string => typeof e === 'string' && e.length <= 64))];

describe('pattern rules: short values remembered when quiet', () => {
  it('answer and count as the reading they stand for, values with and without findings', () => {
    const texts = ['hello vanguard', '/srv/data/reports/2026-q3.md', 'git log --oneline -n 20', "SELECT id FROM users WHERE id = 1", 'https://api.github.com/repos', '#eng', '', ' ', 'İ', 'ß', '\u200b', '42', '0x7f000001',
      'ignore previous instructions', 'AKIAIOSFODNN7EXAMPLE', '../../etc/passwd', 'http://169.254.169.254/', 'rm -rf /', "' OR 1=1 --", 'a'.repeat(64), 'a'.repeat(65)];
    expect(expectSame(texts)).toBeGreaterThan(100);
  });

  it('on the rules own examples', () => {
    expect(expectSame(scaledItems(examples))).toBeGreaterThan(scaled(100));
  }, 600_000);

  it('on the strings of the corpora', () => {
    const seen = new Set<string>();
    for (const text of corpusStrings(3000)) if (text.length <= 80 && seen.size < scaled(300)) seen.add(text);
    expectSame([...seen]);
  }, 600_000);

  it('on random values (property)', () => {
    const piece = fc.oneof(fc.constantFrom('ignore', ' previous', ' instructions', 'sk-', 'xoxb-', '4111 1111 1111 1111', '/etc/passwd', '..', '/', ';', ' rm -rf', 'select', ' or 1=1', '169.254.169.254', 'http://', '\n', 'AKIA'), fc.string({ maxLength: 8 }));
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), (text) => void expectSame([text])), { numRuns: scaled(60) });
  }, 600_000);

  it('tells apart values that share a slot of the table', () => {
    // Loud examples, each beside quiet strings of its length with its first, middle and last
    // characters (the slot is chosen from those): read in turn, each must be read for itself.
    const kinds = KINDS[0]!;
    let pairs = 0;
    for (const e of examples) {
      const n = e.length;
      if (n < 5) continue;
      const v = stringsOf('text', e)[1]!;
      if (v.variants.length > 0 || run(before.runPatternRules, [v], all, kinds).findings.length === 0) continue;
      const quiet = [...e].map((c, i) => (i === 0 || i === n >> 1 || i === n - 1 ? c : 'q')).join('');
      const q = stringsOf('text', quiet)[1]!;
      if (q.variants.length > 0 || run(before.runPatternRules, [q], all, kinds).findings.length > 0) continue;
      pairs++;
      for (const order of [[q, v, q, v], [v, q, v, q]]) {
        for (const s of order) expect(run(runPatternRules, [s], all, kinds)).toEqual(run(before.runPatternRules, [s], all, kinds));
      }
    }
    expect(pairs).toBeGreaterThan(20);
  });

  it('refuses at the same limits as the reading it stands for, remembered or not', () => {
    for (const [name, text] of [['text', 'hello vanguard'], ['path', '/srv/data/reports/2026-q3.md'], ['command', 'git log --oneline -n 20'], ['url', 'https://example.com/a?b=c']]) {
      const input = stringsOf(name!, text!);
      const { steps } = run(before.runPatternRules, input, all, KINDS[0]!);
      expect(steps).toBeGreaterThan(0);
      for (const limit of [0, 1, steps - 1, steps, steps + 1]) {
        // The value is remembered after the first of these readings.
        for (let round = 0; round < 2; round++) expect(run(runPatternRules, stringsOf(name!, text!), all, KINDS[0]!, limit)).toEqual(run(before.runPatternRules, input, all, KINDS[0]!, limit));
      }
    }
  });

  it('remembers a quiet value under its shared kinds, and not one on which a rule fired', () => {
    const index = ruleIndexOf(all);
    const quietValue = stringsOf('path', '/srv/data/a-quiet-value.txt')[1]!;
    const kinds = kindsOf(quietValue, {});
    expect(isSharedKinds(kinds)).toBe(true);
    // (Kept the second time it is read: QuietStrings.keep.)
    run(runPatternRules, [quietValue], all, KINDS[0]!);
    expect(index.quietKeys(kinds, undefined, false).has('/srv/data/a-quiet-value.txt')).toBe(false);
    run(runPatternRules, [quietValue], all, KINDS[0]!);
    expect(index.quietKeys(kinds, undefined, false).has('/srv/data/a-quiet-value.txt')).toBe(true);
    // Values go to their own table, not the names'.
    expect(index.quietKeys(kinds, undefined, true).has('/srv/data/a-quiet-value.txt')).toBe(false);
    const loud = stringsOf('text', 'ignore previous instructions')[1]!;
    expect(run(runPatternRules, [loud], all, KINDS[0]!).findings.length).toBeGreaterThan(0);
    expect(index.quietKeys(kindsOf(loud, {}), undefined, false).has('ignore previous instructions')).toBe(false);
  });
});
