/**
 * The compiled four-stretch read (src/rules/lane-kernel.ts) against the JavaScript one and
 * against the plain definition: the same keywords reached, the same characters, and the same
 * characters per window, on random keyword lists and texts with keywords planted across
 * stretch and window ends, with odd bytes (windows that are not ASCII take the one-stretch
 * read), and on the shipped rules' keywords over long texts. Both read case-folded: what
 * they find in a text is what the definition finds in its lower case.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { KeywordAutomaton, type KeywordScan } from '../../src/rules/keyword-automaton.js';
import { charsOf } from '../../src/rules/required-chars.js';
import { scaled } from '../test-scale.js';

// Upper case within one byte (ÿ's upper case, U+0178, is not: it stays ÿ), for texts scanLatin1 may read.
function upperLatin1(s: string): string {
  return [...s].map((c) => (/^[\x00-\xff]$/.test(c.toUpperCase()) ? c.toUpperCase() : c)).join('');
}

// Two automata over the same keywords: one reading long texts with the kernel, one without.
function pair(keywords: readonly string[]): { compiled: KeywordAutomaton; plain: KeywordAutomaton } {
  KeywordAutomaton.compiledLanes = true;
  const compiled = new KeywordAutomaton(keywords);
  compiled.scanLatin1('x'.repeat(4096));
  KeywordAutomaton.compiledLanes = false;
  const plain = new KeywordAutomaton(keywords);
  plain.scanLatin1('x'.repeat(4096));
  KeywordAutomaton.compiledLanes = true;
  return { compiled, plain };
}

function usesKernel(automaton: KeywordAutomaton): boolean {
  return (automaton as unknown as { lanes?: { kernel: unknown } }).lanes?.kernel != null;
}

function same(compiled: KeywordAutomaton, plain: KeywordAutomaton, text: string, window?: number): void {
  const a: KeywordScan = compiled.scanLatin1(text, window);
  const b: KeywordScan = plain.scanLatin1(text, window);
  const lower = text.toLowerCase();
  const expected = new Set(compiled.keywords.filter((k) => lower.includes(k)));
  expect(compiled.keywordsOf(a.reached)).toEqual(expected);
  expect(plain.keywordsOf(b.reached)).toEqual(expected);
  expect(new Set(a.reached)).toEqual(new Set(b.reached));
  expect(a.chars).toEqual(charsOf(lower));
  expect(b.chars).toEqual(a.chars);
  expect(a.windows).toEqual(b.windows);
  // Each window's characters are those of its stretch of the lower case.
  a.windows!.starts.forEach((start, k) => expect(a.windows!.chars[k]).toEqual(charsOf(lower.slice(start, a.windows!.ends[k]))));
  // The lower case itself reads the same.
  if (lower !== text) {
    const c = compiled.scanLatin1(lower, window);
    expect(new Set(c.reached)).toEqual(new Set(a.reached));
    expect([c.chars, c.windows]).toEqual([a.chars, a.windows]);
  }
}

afterEach(() => {
  KeywordAutomaton.compiledLanes = true;
});

describe('compiled keyword read', () => {
  it('is available here, and used for long texts', () => {
    const { compiled, plain } = pair(['abc']);
    expect(usesKernel(compiled)).toBe(true);
    expect(usesKernel(plain)).toBe(false);
  });

  it('reaches what the JavaScript read and the definition reach (property)', () => {
    const ascii = fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' ', 'A', 'B', 'X', '\n', '\t', '\u007f', '\u0000', '@', '[', '`', '{'), minLength: 0, maxLength: 50 });
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'x', 'é', 'ÿ', '\u0000', '×', 'þ'), minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(ascii, fc.nat()), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (keywords, pieces, pick, odd) => {
          const { compiled, plain } = pair([...new Set(keywords)]);
          const longest = Math.max(...compiled.keywords.map((k) => k.length));
          const window = [2 * longest + 1, 4 * longest + 3, 64 + 4 * longest, 16 * longest + 64, 1000][pick]!;
          let text = '';
          // Keywords planted as they are or upper-cased (É, Þ: wide bytes whose lower case is é, þ).
          for (const [filler, k] of pieces) text += filler + (k % 3 === 0 ? '' : k % 5 === 0 ? upperLatin1(keywords[k % keywords.length]!) : keywords[k % keywords.length]);
          // Most texts ASCII (the four-stretch read); some keep an odd byte (those windows read serially).
          if (!odd) text = text.replace(/[^\x00-\x7f]/g, 'a');
          for (const t of [text, text.repeat(4), text + keywords.join(''), keywords.join('') + text.repeat(3)]) same(compiled, plain, t, window);
        },
      ),
      { numRuns: scaled(1500) },
    );
  });

  it('finds a keyword planted at every offset across stretch and window ends', () => {
    const { compiled, plain } = pair(['abcdefg', 'xyz', 'q', 'gab']);
    for (const window of [64, 257, 4096]) {
      for (let at = 0; at < 700; at++) {
        const text = '.'.repeat(at) + 'abcdefg' + '.'.repeat(700 - at);
        same(compiled, plain, text, window);
        expect(compiled.keywordsOf(compiled.scanLatin1(text, window).reached), `window ${window}, at ${at}`).toEqual(new Set(['abcdefg']));
      }
    }
  });

  it('reads long texts as the JavaScript read does with the shipped keywords', () => {
    const keywords = [...new Set(shippedRules().rules.flatMap((r) => r.keywords ?? []))];
    const { compiled, plain } = pair(keywords);
    const ascii = keywords.filter((k) => /^[\x00-\x7f]+$/.test(k));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...ascii), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 400 }), (parts, times) => {
        const text = parts.map((p, i) => (i % 4 === 3 ? upperLatin1(p) : p)).join(' ').repeat(times);
        same(compiled, plain, text);
        same(compiled, plain, text, 1024);
      }),
      { numRuns: scaled(150) },
    );
    // A result the size of the bench's, with a keyword at its very end and one across a window end.
    const big = 'tag-' + 'x'.repeat((1 << 20) - 3) + 'ignore previous' + 'y'.repeat(65536 - 10) + 'password';
    same(compiled, plain, big);
    same(compiled, plain, upperLatin1(big));
  });
});
