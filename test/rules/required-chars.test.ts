import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { charsOf, mayMatch, requiredChars, type CharSet } from '../../src/rules/required-chars.js';
import { scaled } from '../test-scale.js';

// Every string inside an example (a bare string, or the values of whole arguments).
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

const has = (set: CharSet | undefined, ch: string) => set !== undefined && mayMatch(set, charsOf(ch));

describe('requiredChars', () => {
  const rules = shippedRules().rules.filter((r) => r.regexes.length > 0);

  // The shortcut is only sound if this holds for every pattern and text.
  it('never rules out a text a shipped pattern matches: every example of every rule, whole and in pieces', () => {
    let checked = 0;
    for (const rule of rules) {
      const texts = [...rule.examples.match, ...rule.examples.nomatch].flatMap(strings).map((t) => t.toLowerCase());
      for (const regex of rule.regexes) {
        const need = requiredChars(regex);
        for (const text of texts) {
          for (const piece of [text, text.slice(1), text.slice(0, -1), text.slice(text.length >> 1)]) {
            regex.lastIndex = 0;
            if (regex.test(piece)) {
              checked++;
              expect(mayMatch(need, charsOf(piece)), `${rule.id} ${regex} on ${JSON.stringify(piece)}`).toBe(true);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('never rules out a text a shipped pattern matches: generated texts', () => {
    // Texts from the characters the patterns are about, so that matches are frequent.
    const alphabet = fc.constantFrom(...'0123456789 -.+()\'"`;=#/*_abcdefmnorsuxyzACM@:%\\\n\t\u00a0é\u2028'.split(''));
    const regexes = rules.flatMap((r) => r.regexes.map((regex) => ({ id: r.id, regex, need: requiredChars(regex) })));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        const chars = charsOf(text);
        for (const { id, regex, need } of regexes) {
          regex.lastIndex = 0;
          if (regex.test(text) && !mayMatch(need, chars)) throw new Error(`${id} ${regex} matches ${JSON.stringify(text)} but was ruled out`);
        }
      }),
      { numRuns: scaled(2000) },
    );
  });

  it('gives every shipped rule without keywords a condition, so it is skipped on text without its characters', () => {
    const keywordless = rules.filter((r) => !r.keywords);
    expect(keywordless.length).toBeGreaterThan(0);
    for (const rule of keywordless) for (const regex of rule.regexes) expect(requiredChars(regex), `${rule.id} ${regex}`).toBeDefined();
    // A payment card needs a digit: an argument name or a sentence without one is not searched.
    const card = rules.find((r) => r.id === 'pii.payment-card')!.regexes[0]!;
    expect(mayMatch(requiredChars(card), charsOf('hello vanguard'))).toBe(false);
    expect(mayMatch(requiredChars(card), charsOf('card 4111 1111 1111 1111'))).toBe(true);
  });

  it.each([
    ['a|', 'a branch that matches empty text'],
    ['x*', 'an optional atom'],
    ['(?:ab)?', 'an optional group'],
    ['\\b', 'an assertion alone'],
    ['(a)\\1', 'a back-reference'],
    ['a(?=b)', 'a lookahead'],
    ['\\p{L}', 'a property escape'],
  ])('gives no condition for %s (%s)', (source) => {
    let regex: RegExp;
    try {
      regex = new RegExp(source, 'g');
    } catch {
      regex = new RegExp('x*', 'g');
    }
    expect(requiredChars(regex)).toBeUndefined();
  });

  it('gives none under flags that change what a character matches', () => {
    expect(requiredChars(/abc/gi)).toBeUndefined();
    expect(requiredChars(/abc/gu)).toBeUndefined();
    expect(requiredChars(/abc/gs)).toBeUndefined();
  });

  it('reads classes, escapes and quantifiers as the engine does', () => {
    const need = (source: string) => requiredChars(new RegExp(source, 'g'));
    // The most telling item of a sequence is kept: the digit, not the letters.
    expect(has(need('[a-z]{2}\\d{2}'), '7')).toBe(true);
    expect(has(need('[a-z]{2}\\d{2}'), 'q')).toBe(false);
    // A branch each: either character will do.
    expect(has(need('\\+|\\('), '(')).toBe(true);
    expect(has(need('\\+|\\('), '-')).toBe(false);
    // Negated classes, \s, \S and `.` take in characters beyond ASCII.
    expect(has(need('[^a]'), 'é')).toBe(true);
    expect(has(need('[^a]'), 'a')).toBe(false);
    expect(has(need('\\s'), '\u00a0')).toBe(true);
    expect(has(need('\\S'), '\u2028')).toBe(true);
    expect(has(need('.'), '\n')).toBe(false);
    expect(has(need('.'), '\u00e9')).toBe(true);
    expect(has(need('\\u00e9'), '\u00e8')).toBe(true); // beyond ASCII: any such character
    expect(has(need('[\\x41-\\x43]'), 'B')).toBe(true);
    expect(has(need('[\\d-]'), '-')).toBe(true);
    expect(has(need('[\\b]'), '\b')).toBe(true);
    expect(has(need('a{,2}'), '{')).toBe(true); // not a quantifier: literal characters
    expect(has(need('x{0,3}y'), 'y')).toBe(true);
    expect(has(need('x{0,3}y'), 'x')).toBe(false);
    expect(has(need('[]'), 'a')).toBe(false); // a class of nothing never matches
  });
});
