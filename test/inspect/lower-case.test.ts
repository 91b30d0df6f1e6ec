/**
 * A text's lower case made as read (src/inspect/lower-case.ts): by stretches only where that is
 * exactly the stretch of toLowerCase's whole answer (no code unit above U+00FF), whole
 * otherwise; and the keyword read's case folding (lowerLatin1) is toLowerCase's, one byte at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BY_STRETCH_FROM, LowerCase, lowerSameLength } from '../../src/inspect/lower-case.js';
import { lowerLatin1 } from '../../src/rules/keyword-lanes.js';
import { scaled } from '../test-scale.js';

// Counts how often the whole lower case is asked for (slice asks for it once it stops making stretches).
class Counted extends LowerCase {
  wholes = 0;
  override get whole(): string {
    this.wholes++;
    return super.whole;
  }
}

describe('lower case made as read', () => {
  it('folds each code unit up to U+00FF as toLowerCase does', () => {
    for (let c = 0; c <= 0xff; c++) expect(String.fromCharCode(lowerLatin1(c)), c.toString(16)).toBe(String.fromCharCode(c).toLowerCase());
  });

  it('gives toLowerCase\'s stretches of a long one-byte text, made alone until a quarter of it (property)', () => {
    const unit = fc.constantFrom('a', 'A', 'z', 'Z', '@', '[', '`', '{', 'À', 'É', 'Þ', '×', 'ß', 'ÿ', 'µ', 'é', ' ', '\n', '7');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 300 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 40 }), (piece, cuts) => {
        const text = piece.repeat(Math.ceil(BY_STRETCH_FROM / piece.length) + 1);
        const lower = text.toLowerCase();
        const made = new Counted(text);
        expect(made.byStretch).toBe(true);
        expect(made.length).toBe(lower.length);
        for (const [a, b] of cuts) {
          const from = a % text.length;
          const to = from + (b % (text.length - from + 1));
          expect(made.slice(from, to)).toBe(lower.slice(from, to));
        }
        expect(made.slice(0, text.length)).toBe(lower);
        expect(made.whole).toBe(lower);
        // lowerSameLength's lower case is toLowerCase's here.
        expect(new LowerCase(text, lowerSameLength).slice(0, 100)).toBe(lower.slice(0, 100));
      }),
      { numRuns: scaled(200) },
    );
  });

  it('finds what indexOf finds in the lower case, from any offset, without it for searches with no cased letter (property)', () => {
    const unit = fc.constantFrom('a', 'A', 'É', 'é', 'ß', 'ÿ', '×', '-', '1', ' ', '@');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 200 }), fc.string({ unit, minLength: 1, maxLength: 3 }), fc.nat(), (piece, search, at) => {
        const text = piece.repeat(Math.ceil(BY_STRETCH_FROM / piece.length) + 1);
        const lower = text.toLowerCase();
        const made = new Counted(text);
        const from = at % (text.length + 2);
        expect(made.indexOf(search, from)).toBe(lower.indexOf(search, from));
        expect(made.indexOf(search)).toBe(lower.indexOf(search));
        // Only a search with a letter that has another case made the whole lower case.
        expect(made.wholes > 0).toBe(/[a-zé]/i.test(search) || /[ÉA]/.test(search));
      }),
      { numRuns: scaled(500) },
    );
  });

  it('makes no whole lower case while stretches stay within a quarter of the text, and one after', () => {
    const text = 'Quiet Day. '.repeat(Math.ceil((4 * BY_STRETCH_FROM) / 11));
    const made = new Counted(text);
    const quarter = Math.floor(text.length / 4);
    expect(made.slice(0, quarter)).toBe(text.slice(0, quarter).toLowerCase());
    expect(made.wholes).toBe(0);
    expect(made.slice(quarter, quarter + 1)).toBe(text.toLowerCase().slice(quarter, quarter + 1));
    expect(made.wholes).toBe(1);
  });

  it('makes the whole lower case at once for short text and for text beyond one byte', () => {
    const long = 'x'.repeat(BY_STRETCH_FROM);
    // İ (longer lower case), U+212A KELVIN SIGN (lower case in ASCII), Σ (final sigma, hangs on its neighbours), Ā.
    for (const odd of ['İ', '\u212a', 'ΟΔΟΣ ', 'Ā']) {
      const text = `${long}${odd}Abc ΟΔΟΣ`;
      const made = new LowerCase(text);
      expect(made.byStretch).toBe(false);
      expect(made.whole).toBe(text.toLowerCase());
      expect(made.length).toBe(text.toLowerCase().length);
      expect(made.slice(3, 9)).toBe(text.toLowerCase().slice(3, 9));
      const same = new LowerCase(text, lowerSameLength);
      expect(same.whole).toBe(lowerSameLength(text));
      expect(same.length).toBe(text.length);
    }
    expect(new LowerCase('ABC'.repeat(100)).byStretch).toBe(false);
    expect(new LowerCase('A'.repeat(BY_STRETCH_FROM - 1)).byStretch).toBe(false);
  });
});
