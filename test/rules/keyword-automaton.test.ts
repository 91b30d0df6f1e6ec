/**
 * The keyword automaton against the plain definition: a keyword is found exactly when the
 * text includes it, and the characters read are the text's characters; on random keyword
 * lists and texts (property), on the shipped rules' keywords, and linear on adversarial text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedDefinitionRules, shippedRules } from '../../src/inspect/build.js';
import { KeywordAutomaton } from '../../src/rules/keyword-automaton.js';
import { charsOf } from '../../src/rules/required-chars.js';

function expected(keywords: readonly string[], text: string): Set<string> {
  return new Set(keywords.filter((k) => text.includes(k)));
}

function check(automaton: KeywordAutomaton, text: string): void {
  const scan = automaton.scan(text);
  expect(automaton.keywordsOf(scan.reached)).toEqual(expected(automaton.keywords, text));
  expect(scan.chars).toEqual(charsOf(text));
  if (!/[^\x00-\xff]/.test(text)) {
    const bytes = automaton.scanBytes(Buffer.from(text, 'latin1'));
    expect(automaton.keywordsOf(bytes.reached)).toEqual(expected(automaton.keywords, text));
    expect(bytes.chars).toEqual(charsOf(text));
  }
}

// Small alphabets make overlaps, shared prefixes and failure chains likely.
const small = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', 'é', '무', '忽', '\u00ff', 'A', '\n'), maxLength: 12 });

describe('keyword automaton', () => {
  it('finds exactly the keywords the text includes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '무', '忽', '\u00ff'), maxLength: 5 }), { maxLength: 12 }), fc.array(small, { maxLength: 8 }), (keywords, texts) => {
        const automaton = new KeywordAutomaton([...new Set(keywords)]);
        for (const text of texts) check(automaton, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds exactly the keywords the text includes with any code units (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 10 }), fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 5 }), (keywords, texts) => {
        const automaton = new KeywordAutomaton([...new Set(keywords)]);
        for (const text of texts) check(automaton, text + keywords.join(''));
      }),
      { numRuns: 500 },
    );
  });

  const keywords = [...new Set([...shippedRules().rules, ...shippedDefinitionRules().rules].flatMap((r) => r.keywords ?? []))];
  const shipped = new KeywordAutomaton(keywords);

  it('finds the shipped keywords in the shipped examples and in text made of keywords', () => {
    for (const rule of shippedRules().rules) for (const e of [...rule.examples.match, ...rule.examples.nomatch]) check(shipped, (typeof e === 'string' ? e : JSON.stringify(e.args)).toLowerCase());
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...keywords), fc.string({ maxLength: 3 })), { maxLength: 20 }), (parts) => check(shipped, parts.join(''))),
      { numRuns: 500 },
    );
  });

  it('reads adversarial text in linear time', () => {
    // Near-misses of long keywords with shared prefixes, ASCII and wide: the worst case of a
    // naive search. A bound no quadratic search of 4 MiB meets, with room for a busy machine
    // (a linear read takes tens of milliseconds); bench/inspection.mjs reports the cost per MiB.
    for (const long of [keywords.filter((k) => k.length > 8), keywords.filter((k) => /[^\x00-\x7f]/.test(k))]) {
      const unit = long.map((k) => k.slice(0, -1)).join('');
      const text = unit.repeat(Math.ceil((4 << 20) / unit.length)).slice(0, 4 << 20);
      const start = performance.now();
      shipped.scan(text);
      expect(performance.now() - start).toBeLessThan(2000);
    }
  });
});
