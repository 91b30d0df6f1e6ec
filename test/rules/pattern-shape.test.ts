/**
 * pattern-shape.ts: a pattern's bounds on a text's length and runs of character classes
 * must hold for every text it matches, or a pattern would be skipped on text it matches.
 * Checked on every example of every shipped rule (whole and in pieces), on texts generated
 * to match each shipped pattern, and on random patterns against random texts; and the
 * bounds must actually rule out the ordinary text they were made for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedDefinitionRules, shippedRules } from '../../src/inspect/build.js';
import { enableLinearEngine } from '../../src/rules/linear-regex.js';
import { shapeAllows, shapeNeeds, shapeOf } from '../../src/rules/pattern-shape.js';
import { scaled } from '../test-scale.js';

enableLinearEngine();

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

// Every match of `regex` in `text` (a global regex): the gate must let through the text and each match.
// (`matcher`: the same pattern to run, when it is not `regex` itself.)
const worked = new WeakMap<RegExp, readonly number[]>();

function expectAllowed(regex: RegExp, text: string, label: string, matcher: RegExp = regex): number {
  let needs = worked.get(regex);
  if (!needs) worked.set(regex, (needs = shapeNeeds(regex)));
  regex = matcher;
  let found = 0;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0].length === 0) regex.lastIndex++;
    found++;
    if (!shapeAllows(needs, shapeOf(m[0])) || !shapeAllows(needs, shapeOf(text))) {
      throw new Error(`${label}: ${regex} matches ${JSON.stringify(m[0])} in ${JSON.stringify(text)} but its shape ${JSON.stringify(needs)} rules it out`);
    }
  }
  regex.lastIndex = 0;
  return found;
}

const rules = [...shippedRules().rules, ...shippedDefinitionRules().rules].filter((r) => r.regexes.length > 0);

describe('shapeNeeds', () => {
  it('never rules out a text a shipped pattern matches: every example of every rule, whole and in pieces', () => {
    let checked = 0;
    for (const rule of rules) {
      const texts = [...rule.examples.match, ...rule.examples.nomatch].flatMap(strings).map((t) => t.toLowerCase());
      const all = texts.join('\n');
      for (const regex of rule.regexes) {
        for (const text of [...texts, all]) {
          for (const piece of [text, text.slice(1), text.slice(0, -1), text.slice(text.length >> 1), text.slice(0, text.length >> 1)]) checked += expectAllowed(regex, piece, rule.id);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  }, 120_000);

  it('never rules out a text a shipped pattern matches: texts generated from each pattern', () => {
    // fast-check writes text for a pattern without \b (which only narrows what matches):
    // each text the real pattern then matches is checked.
    let patterns = 0;
    let checked = 0;
    for (const rule of rules) {
      for (const regex of rule.regexes) {
        let arbitrary: fc.Arbitrary<string>;
        try {
          arbitrary = fc.stringMatching(new RegExp(regex.source.replace(/\\b/g, '')));
        } catch {
          continue; // syntax fast-check does not generate from
        }
        patterns++;
        for (const text of fc.sample(arbitrary, { numRuns: scaled(10), seed: patterns })) checked += expectAllowed(regex, text.toLowerCase(), rule.id) + expectAllowed(regex, text, rule.id);
      }
    }
    expect(patterns).toBeGreaterThan(300);
    expect(checked).toBeGreaterThan(1000);
  }, 120_000);

  it('never rules out a text a random pattern matches (property)', () => {
    const chars = ['a', 'b', 'z', '1', '9', ' ', '\t', '\n', '_', '.', '-', '+', '/', '=', '(', "'", 'é', '\u00a0', '\u2028'];
    const escape = (c: string) => (/[a-z0-9 _]/.test(c) ? c : c === '\n' ? '\\n' : c === '\t' ? '\\t' : /[.+/=()'-]/.test(c) ? `\\${c}` : c);
    const atom = fc.oneof(
      fc.constantFrom(...chars).map(escape),
      fc.constantFrom('\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '.', '[a-z]', '[0-9a-z]', '[^a-z]', '[ \\t]', '[\\s_-]', '[0-9a-z_.+/=-]', '\\b', '\\B', '^', '$', '[]', '[^]'),
    );
    const quantifier = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,3}', '{3,}', '{1,2}', '??', '+?');
    const pattern: fc.Arbitrary<string> = fc.letrec<{ node: string; seq: string }>((tie) => ({
      seq: fc.array(fc.tuple(fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, tie('node').map((n) => `(?:${n})`)), quantifier), { maxLength: 5 }).map((items) => items.map(([a, q]) => (/^\\[bB]$|^[\^$]$/.test(a) ? a : a + q)).join('')),
      node: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((branches) => branches.join('|')),
    })).node;
    const text = fc.array(fc.constantFrom(...chars, 'ab1', '  ', '99-'), { maxLength: 30 }).map((parts) => parts.join(''));
    let matched = 0;
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (source, texts) => {
        // Run on the linear engine: random nested quantifiers would backtrack for ever.
        const regex = new RegExp(source, 'g');
        let linear: RegExp;
        try {
          linear = new RegExp(source, 'gl');
        } catch {
          return; // (what the linear engine does not run: shipped patterns are all ones it does)
        }
        for (const t of texts) matched += expectAllowed(regex, t, 'random', linear);
      }),
      { numRuns: scaled(2000) },
    );
    expect(matched).toBeGreaterThan(200);
  });

  it('works out the bounds of simple patterns', () => {
    const needs = (source: string, flags = 'g') => shapeNeeds(new RegExp(source, flags));
    const allows = (source: string, text: string) => shapeAllows(needs(source), shapeOf(text));
    // Twelve digits, with or without separators.
    expect(allows('\\b\\d(?:[ -]?\\d){11}\\b', '/srv/data/reports/2026-q3.md')).toBe(false);
    expect(allows('\\b\\d(?:[ -]?\\d){11}\\b', '4111 1111 1111 1111')).toBe(true);
    // A run of 51 letters and digits.
    expect(allows('\\b[59ckl][1-9a-z]{16}[1-9a-z]{16}[1-9a-z]{16}[1-9a-z]{2,3}\\b', 'https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open')).toBe(false);
    // Twelve words in a row.
    const seed = '\\b[a-z]{3,8}(?:[ \\t]|\\r?\\n)[a-z]{3,8}(?:(?:[ \\t]|\\r?\\n)[a-z]{3,8}){10}\\b';
    expect(allows(seed, 'deploy finished; all checks green. thanks everyone!')).toBe(false);
    expect(allows(seed, 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about')).toBe(true);
    // A space (or a character beyond ASCII, which may be one) in every branch.
    expect(allows('\\bpursuant\\s{1,4}to\\b|\\b(?:safety|security)\\s{1,4}protocols?', 'https://example.com/security-protocols')).toBe(false);
    expect(allows('\\bpursuant\\s{1,4}to\\b|\\b(?:safety|security)\\s{1,4}protocols?', 'security\u00a0protocols')).toBe(true);
    // Each rule of the bounds at its edge: the text is the pattern's shortest match.
    const edges: Array<[string, string]> = [
      ['(?:a-a)+', 'a-a'],
      ['(?:a-a){2}', 'a-aa-a'],
      ['(?:ab)?c', 'c'],
      ['x(?:ab)*y', 'xy'],
      ['(?:a1|-)(?:b|2)', '-b'],
      ['(?:ab|a\\s)c', 'a c'],
      ['\\d(?:[ -]?\\d){2}', '1-2-3'],
      ['[a-z]{2}\\s?\\d', 'ab1'],
      ['(?:^|\\n)\\s{0,2}ai:', 'ai:'],
      ['a\\b.', 'a.'],
    ];
    for (const [source, text] of edges) {
      expect(new RegExp(source).test(text), `${source} matches ${text}`).toBe(true);
      expect(allows(source, text), `${source} on ${text}`).toBe(true);
    }
    // Length alone.
    expect(needs('abc')).toEqual(expect.arrayContaining([0, 3]));
    expect(allows('abc', 'ab')).toBe(false);
    // Nothing known: flags, lookarounds, back-references, named groups, or a pattern that matches empty text.
    expect(needs('abc', 'gi')).toEqual([]);
    expect(needs('(?=abc)abc')).toEqual([]);
    expect(needs('(a)\\1')).toEqual([]);
    expect(needs('(?<x>abc)')).toEqual([]);
    expect(needs('x*')).toEqual([]);
  });

  it('rules out most shipped patterns without keywords on the strings of typical calls', () => {
    const typical = ['path', '/srv/data/reports/2026-q3.md', 'command', 'git log --oneline -n 20', 'url', 'https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open', 'channel', '#eng', 'deploy finished; all checks green. thanks everyone!'];
    const unkeyed = shippedRules().rules.filter((r) => r.regexes.length > 0 && !r.keywords).flatMap((r) => r.regexes);
    let ruledOut = 0;
    let total = 0;
    for (const text of typical) {
      for (const regex of unkeyed) {
        total++;
        if (!shapeAllows(shapeNeeds(regex), shapeOf(text))) ruledOut++;
      }
    }
    expect(ruledOut / total).toBeGreaterThan(0.8);
  });
});
