/**
 * Per-string shortcuts of an inspection (issue 13) against what they stand for: a detector's
 * charged context charges each string once, at the highest rate of its kinds, whatever order
 * and how often it is asked (the rate kept for a run of strings of the same kinds, strings it
 * does not charge for left unnoted); and the rule index's scratch set for a string's kinds is
 * what kindsInto gives, however the kinds follow one another.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { bitsReadOff, chargedContext, chargesFor, chargesForByRates, DETECTOR_STEPS_PER_CHAR, kindBit, kindBits } from '../../src/inspect/detector-cost.js';
import { kindsOf, sharedKindSets } from '../../src/inspect/kinds.js';
import { ruleIndexOf } from '../../src/inspect/rule-index.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import type { ArgumentKind, InspectContext, InspectedString } from '../../src/inspect/types.js';
import { scaled } from '../test-scale.js';

const KIND_SETS: ReadonlySet<ArgumentKind>[] = [
  kindsOf({ path: 'a', key: 'note', isKey: false, raw: 'plain words', variants: [] }),
  kindsOf({ path: 'b', key: 'path', isKey: false, raw: '/srv/x', variants: [] }),
  kindsOf({ path: 'c', key: 'url', isKey: false, raw: 'https://a.example/', variants: [] }),
  kindsOf({ path: 'd', key: 'command', isKey: false, raw: 'ls -la', variants: [] }),
  kindsOf({ path: 'e', key: 'query', isKey: false, raw: 'select 1', variants: [] }),
  kindsOf({ path: 'f', key: 'x', isKey: true, raw: 'x', variants: [] }),
  // Sets built for one string (as a schema's hints make them), equal to others but not the same object.
  new Set<ArgumentKind>(['text', 'url', 'command']),
  new Set<ArgumentKind>(['text']),
  new Set<ArgumentKind>(['sql', 'text']),
];

// More strings than ChargedContext lists before it keeps a set of those charged (EARLIER_LISTED).
const strings: InspectedString[] = Array.from({ length: 24 }, (_, i) => ({ path: `s${i}`, key: undefined, isKey: false, raw: 'x'.repeat(i * 3 + 1), variants: i % 3 === 0 ? [{ text: 'yy', via: 'url' }] : [] }));
const chars = (s: InspectedString) => s.raw.length + s.variants.reduce((n, v) => n + v.text.length, 0);

describe('chargedContext against one charge per string at its highest rate', () => {
  it('for every detector, any order of asks and any kinds per string', () => {
    // Asks about a few strings (charged ones kept in a list) and about many (then in a set).
    const asks = fc.oneof(fc.array(fc.nat({ max: 5 }), { maxLength: 40 }), fc.array(fc.nat({ max: strings.length - 1 }), { minLength: 20, maxLength: 80 }));
    const kindsOfString = fc.array(fc.nat({ max: KIND_SETS.length - 1 }), { minLength: strings.length, maxLength: strings.length });
    fc.assert(fc.property(asks, kindsOfString, (order, kindIndex) => {
      for (const detector of DETECTORS) {
        let spent = 0;
        const base: InspectContext = { tool: 't', kindsOf: (s) => KIND_SETS[kindIndex[strings.indexOf(s)]!]!, paths: { roots: [], deny: [], cwd: '/', home: '/h', realpath: (p) => p }, network: { allowHosts: [], denyHosts: [] }, spend: (n = 1) => void (spent += n) };
        const ctx = chargedContext(detector, base, chars);
        for (const i of order) expect(ctx.kindsOf(strings[i]!)).toBe(base.kindsOf(strings[i]!));
        const rates = DETECTOR_STEPS_PER_CHAR[detector.category] ?? {};
        let expected = 0;
        for (const i of new Set(order)) {
          let rate = 0;
          for (const kind of KIND_SETS[kindIndex[i]!]!) rate = Math.max(rate, rates[kind] ?? 0);
          expected += rate * chars(strings[i]!);
        }
        expect(spent, `${detector.category} ${JSON.stringify(order)} ${JSON.stringify(kindIndex)}`).toBe(expected);
      }
    }), { numRuns: scaled(3000) });
  });
});

describe('chargesFor: a detector given the plain context is one the charged context would charge nothing', () => {
  it('for every detector and any kinds of the strings, including kinds no detector knows', () => {
    const sets = [...KIND_SETS, new Set(['text', 'mystery'] as ArgumentKind[]), new Set<ArgumentKind>(), new Set<ArgumentKind>(['path', 'sql'])];
    fc.assert(fc.property(fc.array(fc.nat({ max: sets.length - 1 }), { minLength: 1, maxLength: strings.length }), (kindIndex) => {
      for (const detector of DETECTORS) {
        let spent = 0;
        const kindsOfString = (s: InspectedString) => sets[kindIndex[strings.indexOf(s)]!]!;
        const base: InspectContext = { tool: 't', kindsOf: kindsOfString, paths: { roots: [], deny: [], cwd: '/', home: '/h', realpath: (p) => p }, network: { allowHosts: [], denyHosts: [] }, spend: (n = 1) => void (spent += n) };
        const ctx = chargedContext(detector, base, chars);
        const asked = strings.slice(0, kindIndex.length);
        for (const s of asked) ctx.kindsOf(s);
        const bits = asked.reduce((b, s) => b | kindBits(kindsOfString(s)), 0);
        // Never charged when chargesFor says no; with kinds it knows, charged exactly when it says
        // yes (every string here has at least one character). An unknown kind gets the charged context.
        if (!chargesFor(detector, bits)) expect(spent, `${detector.category} ${JSON.stringify(kindIndex)}`).toBe(0);
        else if (!asked.some((s) => kindsOfString(s).has('mystery' as ArgumentKind))) expect(spent, `${detector.category} ${JSON.stringify(kindIndex)}`).toBeGreaterThan(0);
      }
    }), { numRuns: scaled(2000) });
  });
});

describe('kindBits against the bits read off the set (bitsReadOff)', () => {
  it('for every set kindsOf shares, for sets built per string with the same kinds, and for kinds no detector knows', () => {
    const shared = sharedKindSets();
    expect(shared.length).toBe(16);
    for (const kinds of shared) {
      const copy = new Set(kinds);
      expect(kindBits(kinds), [...kinds].join()).toBe(bitsReadOff(copy));
      expect(kindBits(copy)).toBe(bitsReadOff(copy));
      // Each kind its own bit: the bits say exactly which kinds the set holds.
      expect(kindBits(kinds)).toBe([...kinds].reduce((b, k) => b | kindBit(k), 0));
    }
    expect(kindBits(new Set(['text', 'mystery'] as ArgumentKind[]))).toBe(kindBit('text') | kindBit('mystery' as ArgumentKind));
    expect(kindBits(new Set<ArgumentKind>())).toBe(0);
  });
});

describe('chargesFor against the rates read afresh (chargesForByRates)', () => {
  it('for every detector and category, rated or not, and every combination of kind bits', () => {
    const categories = [...new Set([...DETECTORS.map((d) => d.category), ...Object.keys(DETECTOR_STEPS_PER_CHAR), 'prompt-injection', 'secrets', 'no-such-category'])];
    const detectors = [...DETECTORS, ...categories.map((category) => ({ ...DETECTORS[0]!, category }) as (typeof DETECTORS)[number])];
    let charged = 0;
    for (const detector of detectors) {
      for (let bits = 0; bits < 128; bits++) {
        expect(chargesFor(detector, bits), `${detector.category} ${bits}`).toBe(chargesForByRates(detector, bits));
        if (chargesFor(detector, bits)) charged++;
      }
    }
    // Both answers occur (for the kinds of text alone, the SSRF detector is charged; the SQL one is not).
    expect(charged).toBeGreaterThan(0);
    expect(chargesFor({ ...DETECTORS[0]!, category: 'ssrf' }, kindBits(new Set<ArgumentKind>(['text'])))).toBe(true);
    expect(chargesFor({ ...DETECTORS[0]!, category: 'sql-injection' }, kindBits(new Set<ArgumentKind>(['text'])))).toBe(false);
  });
});

describe('RuleIndex.kindsScratch against kindsInto', () => {
  const index = ruleIndexOf(shippedRules().rules);
  it('gives kindsInto bits for each set of kinds in any sequence, also after kindsInto wrote the scratch set', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat({ max: KIND_SETS.length - 1 }), fc.boolean()), { maxLength: 30 }), (steps) => {
      for (const [k, direct] of steps) {
        const kinds = KIND_SETS[k]!;
        // Someone else fills the scratch set for other kinds in between.
        if (direct) index.kindsInto(KIND_SETS[(k + 1) % KIND_SETS.length]!, index.scratch[1]);
        expect([...index.kindsScratch(kinds)]).toEqual([...index.kindsInto(kinds, index.empty())]);
      }
    }), { numRuns: scaled(2000) });
  });
});
