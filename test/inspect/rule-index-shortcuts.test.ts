/**
 * The rule index's per-string shortcuts (issue 13) against what they stand for: a short
 * text's scan written over a kept one (scanShort) must find what a fresh scan finds, however
 * many texts were scanned into the same slot before; and the patterns a rule may run on a text,
 * read from the index's flat checks (mayMatchMask), must be exactly those mayMatch allows one
 * by one. On corpus strings, rule-pack examples, their spellings and random text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusStrings, stringsIn } from './corpus-strings.js';
import { shippedDefinitionRules, shippedRules } from '../../src/inspect/build.js';
import { normalizeArguments } from '../../src/inspect/normalize/index.js';
import { RuleIndex, type SpellingScan } from '../../src/inspect/rule-index.js';
import { scaled } from '../test-scale.js';


const all = shippedRules().rules;
const definitionRules = shippedDefinitionRules().rules;
const EXAMPLES = [...all, ...definitionRules].flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).flatMap(stringsIn);
const SEEDS = [
  '/srv/data/reports/2026-q3.md',
  'git log --oneline -n 20',
  "SELECT id, name FROM users WHERE created_at > '2026-01-01' LIMIT 50",
  'https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open',
  'Deploy finished; all checks green. Thanks everyone!',
  '',
  'ß İ ﬁ Ⅻ',
];

// Each text with its decoded spellings, lower-cased as the pattern rules read them.
function lowered(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const normalized = normalizeArguments({ v: text });
    const spellings = normalized.ok ? normalized.strings.filter((s) => !s.isKey).flatMap((s) => [s.raw, ...s.variants.map((v) => v.text)]) : [text];
    for (const s of spellings) out.push(s.toLowerCase());
  }
  return out;
}

// (Corpus strings beyond the first few thousand add little but time.)
const TEXTS = lowered([...SEEDS, ...EXAMPLES, ...corpusStrings(8192).slice(0, 4000)]);

// What a scan says, as plain values (the kept scan is written over, so it is read at once).
function seen(scan: SpellingScan): unknown {
  return { woken: [...scan.woken], literals: [...scan.literals], words: [...scan.chars.words], other: scan.chars.other, text: scan.text };
}

// Every rule's patterns asked one by one, as bits: what mayMatchMask must equal.
function oneByOne(index: RuleIndex, i: number, scan: SpellingScan): number {
  let mask = 0;
  for (let r = 0; r < index.patternCount[i]!; r++) if (index.mayMatch(i, r, scan)) mask |= 1 << r;
  return mask;
}

// The texts on which the kept scan or the flat checks differ from the fresh scan and mayMatch.
function differences(index: RuleIndex, texts: readonly string[]): string[] {
  const bad: string[] = [];
  // Slots filled in turn, so each kept scan is written over by texts of other lengths and characters.
  texts.forEach((text, n) => {
    const kept = index.scanShort(text, n % 3);
    const keptSeen = JSON.stringify(seen(kept));
    const fresh = index.scan(text);
    if (keptSeen !== JSON.stringify(seen(fresh))) bad.push(`scan: ${text}`);
    for (let i = 0; i < index.rules.length; i++) {
      if (index.patternCount[i]! > 31) continue;
      const expected = oneByOne(index, i, fresh);
      if (index.mayMatchMask(i, kept) !== expected || index.mayMatchMask(i, fresh) !== expected) bad.push(`${index.rules[i]!.id}: ${text}`);
    }
  });
  return bad;
}

describe('rule index: kept scans and flat checks', () => {
  it('the counts and patterns read from the index are the rules\' own', () => {
    for (const rules of [all, definitionRules]) {
      const index = new RuleIndex(rules);
      index.rules.forEach((rule, i) => {
        expect(index.keywordCount[i]).toBe(rule.keywords ? rule.keywords.length : -1);
        expect(index.patternCount[i]).toBe(rule.regexes.length);
        rule.regexes.forEach((regex, r) => expect(index.patterns[index.firstPattern[i]! + r]).toBe(regex));
      });
    }
  });

  it('on corpus strings, rule examples and their spellings', () => {
    expect(TEXTS.length).toBeGreaterThan(1000);
    expect(differences(new RuleIndex(all), TEXTS)).toEqual([]);
    expect(differences(new RuleIndex(definitionRules), TEXTS.slice(0, 3000))).toEqual([]);
  });

  it('on random text (property)', () => {
    const index = new RuleIndex(all);
    const alphabet = fc.constantFrom(...'abcxyz0123456789 -_./:=+@#%&\'"<>()[]{}\n\t\u00e9\u200b\u0130'.split(''));
    const piece = fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.constantFrom(...TEXTS.slice(0, 500)));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => {
        expect(differences(index, [parts.join(''), ...parts, parts.join(' ')].map((p) => p.toLowerCase()))).toEqual([]);
      }),
      { numRuns: scaled(200) },
    );
  });

  it('a long text is scanned afresh (never written over), so what it hands on stays', () => {
    const index = new RuleIndex(all);
    const long = 'token password '.repeat(200);
    const scan = index.scanShort(long, 0);
    const before = seen(scan);
    index.scanShort('select 1', 0);
    expect(seen(scan)).toEqual(before);
  });
});
