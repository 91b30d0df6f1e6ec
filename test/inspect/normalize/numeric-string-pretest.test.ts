/**
 * spellingsOfNumericString's first-character pre-test (issue 13) against the function without
 * it (the oracle below, as numbers.ts had it): the same spellings for corpus strings, rule
 * examples and random text, numbers in every spelling among them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusStrings, stringsIn } from '../corpus-strings.js';
import { shippedRules } from '../../../src/inspect/build.js';
import { spellingsOfNumber, spellingsOfNumericString } from '../../../src/inspect/normalize/numbers.js';
import { scaled } from '../../test-scale.js';

const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?$/i;
const PY_UNDERSCORES = /^[+-]?[0-9]+(?:_[0-9]+)+(?:\.[0-9]+(?:_[0-9]+)*)?$/;
const JS_RADIX = /^0(?:b[01]{1,64}|o[0-7]{1,30})$/i;
function reference(text: string): string[] {
  if (text.length === 0 || text.length > 80) return [];
  const others = new Set<string>();
  const add = (spellings: readonly string[]): void => {
    for (const spelling of spellings) if (spelling !== text) others.add(spelling);
  };
  if (DECIMAL.test(text)) add(spellingsOfNumber(text).others);
  else if (PY_UNDERSCORES.test(text)) {
    const plain = text.replaceAll('_', '');
    add([plain, ...spellingsOfNumber(plain).others]);
  } else if (JS_RADIX.test(text)) add([String(Number(text))]);
  return [...others];
}

const corpus = corpusStrings();
const NUMBERS = ['2130706433', '2130706433.0', '2.130706433e9', '+1', '-0', '.5', '0.', '2_130_706_433', '0b1111111000000000000000000000001', '0o17700000001', '0x7f000001', '1e400', '-.5e-3', '00127'];
const TEXTS = [...NUMBERS, ...shippedRules().rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).flatMap(stringsIn), ...corpus];

const differing = (texts: readonly string[]) => texts.filter((t) => JSON.stringify(spellingsOfNumericString(t)) !== JSON.stringify(reference(t)));

describe('numeric strings: first-character pre-test', () => {
  it('on numbers, corpus strings and rule examples', () => {
    expect(TEXTS.length).toBeGreaterThan(1000);
    expect(differing(TEXTS)).toEqual([]);
    // Numbers in several spellings are among them (the comparison is not of empty lists only).
    expect(NUMBERS.filter((t) => reference(t).length > 0).length).toBeGreaterThan(8);
  });

  it('on random text (property)', () => {
    const unit = fc.constantFrom(...'0123456789+-._eEbBoOx a'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), (t) => {
        expect(differing([t])).toEqual([]);
      }),
      { numRuns: scaled(5000) },
    );
  });
});
