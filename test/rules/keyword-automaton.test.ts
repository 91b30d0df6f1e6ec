/**
 * The keyword automaton against the plain definition: a keyword is found exactly when the
 * text includes it, and the characters read are the text's characters; on random keyword
 * lists and texts (property), on the shipped rules' keywords, and linear on adversarial text.
 * The read of long one-byte text (scanLatin1) reads it case-folded: what it finds is what the
 * definition finds in the text's lower case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedDefinitionRules, shippedRules } from '../../src/inspect/build.js';
import { KeywordAutomaton } from '../../src/rules/keyword-automaton.js';
import { charsOf, type CharSet } from '../../src/rules/required-chars.js';
import { scaled } from '../test-scale.js';

function expected(keywords: readonly string[], text: string): Set<string> {
  return new Set(keywords.filter((k) => text.includes(k)));
}

// Per automaton, the arrays scanInto writes over, kept from text to text as RuleIndex.scanShort keeps them.
const keptArrays = new WeakMap<KeywordAutomaton, { outputs: Int32Array; chars: CharSet }>();

function check(automaton: KeywordAutomaton, text: string): void {
  const scan = automaton.scan(text);
  expect(automaton.keywordsOf(scan.reached)).toEqual(expected(automaton.keywords, text));
  expect(scan.chars).toEqual(charsOf(text));
  // Written over what the texts before left (scanInto): each output reached once, and only those.
  let kept = keptArrays.get(automaton);
  if (kept === undefined) keptArrays.set(automaton, (kept = { outputs: new Int32Array(automaton.outputCount), chars: { words: [0, 0, 0, 0], other: false } }));
  const count = automaton.scanInto(text, kept.outputs, kept.chars);
  const written = [...kept.outputs.subarray(0, count)];
  expect(new Set(written).size).toBe(count);
  expect(automaton.keywordsOf(written)).toEqual(expected(automaton.keywords, text));
  expect(kept.chars).toEqual(charsOf(text));
  if (!/[^\x00-\xff]/.test(text)) {
    const bytes = automaton.scanBytes(Buffer.from(text, 'latin1'));
    expect(automaton.keywordsOf(bytes.reached)).toEqual(expected(automaton.keywords, text));
    expect(bytes.chars).toEqual(charsOf(text));
    // Read in windows and stretches (keyword-lanes.ts): windows small enough that short texts
    // cross many window and stretch ends, and the default window.
    const lower = text.toLowerCase();
    for (const window of [2 * longestOf(automaton) + 1, 4 * longestOf(automaton) + 7, 256]) {
      const lanes = automaton.scanLatin1(text, window);
      expect(automaton.keywordsOf(lanes.reached)).toEqual(expected(automaton.keywords, lower));
      expect(lanes.chars).toEqual(charsOf(lower));
    }
    const lanes = automaton.scanLatin1(text);
    expect(automaton.keywordsOf(lanes.reached)).toEqual(expected(automaton.keywords, lower));
    expect(lanes.chars).toEqual(charsOf(lower));
  }
}

// Upper case within one byte (ÿ's upper case, U+0178, is not: it stays ÿ), for texts scanLatin1 may read.
function upperLatin1(s: string): string {
  return [...s].map((c) => (/^[\x00-\xff]$/.test(c.toUpperCase()) ? c.toUpperCase() : c)).join('');
}

function longestOf(automaton: KeywordAutomaton): number {
  return Math.max(1, ...automaton.keywords.map((k) => k.length));
}

// Small alphabets make overlaps, shared prefixes and failure chains likely.
const small = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', 'é', '무', '忽', '\u00ff', 'A', '\n', 'É', '×', 'ß', 'B', 'İ', 'K'), maxLength: 12 });

// Most planted texts stay ASCII (the four-stretch read); some keep a wide byte (the one-stretch read).
function k1(pick: number): string {
  return pick === 3 ? 'é' : 'a';
}

describe('keyword automaton', () => {
  it('finds exactly the keywords the text includes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '무', '忽', '\u00ff'), maxLength: 5 }), { maxLength: 12 }), fc.array(small, { maxLength: 8 }), (keywords, texts) => {
        const automaton = new KeywordAutomaton([...new Set(keywords)]);
        for (const text of texts) check(automaton, text);
      }),
      { numRuns: scaled(1000) },
    );
  });

  it('finds exactly the keywords the text includes with any code units (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 10 }), fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 5 }), (keywords, texts) => {
        const automaton = new KeywordAutomaton([...new Set(keywords)]);
        for (const text of texts) check(automaton, text + keywords.join(''));
      }),
      { numRuns: scaled(500) },
    );
  });

  const keywords = [...new Set([...shippedRules().rules, ...shippedDefinitionRules().rules].flatMap((r) => r.keywords ?? []))];
  const shipped = new KeywordAutomaton(keywords);

  it('finds the shipped keywords in the shipped examples and in text made of keywords', () => {
    for (const rule of shippedRules().rules) for (const e of [...rule.examples.match, ...rule.examples.nomatch]) check(shipped, (typeof e === 'string' ? e : JSON.stringify(e.args)).toLowerCase());
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...keywords), fc.string({ maxLength: 3 })), { maxLength: 20 }), (parts) => check(shipped, parts.join(''))),
      { numRuns: scaled(500) },
    );
  });

  it('reads a long text in windows and stretches exactly as from the start (property)', () => {
    // Texts long enough for four stretches per window, with keywords planted anywhere, most
    // often across a stretch's or a window's end (where a read that did not overlap would miss them).
    const ascii = fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' ', 'A', '\n'), minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'x', 'é', 'ÿ'), minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 10 }), fc.array(fc.tuple(ascii, fc.nat()), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 3 }), (keywords, pieces, pick) => {
        const automaton = new KeywordAutomaton([...new Set(keywords)]);
        const longest = longestOf(automaton);
        const window = [2 * longest + 1, 4 * longest + 3, 16 * longest, 1000][pick]!;
        let text = '';
        for (const [filler, k] of pieces) text += filler + (k % 3 === 0 ? '' : keywords[k % keywords.length]);
        text = text.replace(/[^\x00-\x7f]/g, k1(pick));
        for (const t of [text, text.repeat(3), text + keywords.join(''), text + upperLatin1(keywords.join(''))]) {
          const scan = automaton.scanLatin1(t, window);
          expect(automaton.keywordsOf(scan.reached)).toEqual(expected(automaton.keywords, t.toLowerCase()));
          expect(scan.chars).toEqual(charsOf(t.toLowerCase()));
        }
      }),
      { numRuns: scaled(1500) },
    );
  });

  it('finds a keyword at every offset across stretch and window ends', () => {
    const automaton = new KeywordAutomaton(['abcdefg', 'xyz', 'q']);
    for (const window of [15, 64, 257, 4096]) {
      for (let at = 0; at < 600; at++) {
        const text = '.'.repeat(at) + 'abcdefg' + '.'.repeat(600 - at);
        const scan = automaton.scanLatin1(text, window);
        expect(automaton.keywordsOf(scan.reached), `window ${window}, at ${at}`).toEqual(new Set(['abcdefg']));
      }
    }
  });

  it('finds exactly the keywords of an automaton with more states than 16 bits hold (its table then takes 32 bits a cell)', () => {
    // 10 000 keywords: five digits (reversed, so they branch at once) and six letters of their own path each.
    const many = Array.from({ length: 10_000 }, (_, i) => `${[...String(i).padStart(5, '0')].reverse().join('')}qwerty`);
    const automaton = new KeywordAutomaton(many);
    expect(1 + new Set(many.flatMap((w) => [...w].map((_, k) => w.slice(0, k + 1)))).size).toBeGreaterThan(0xffff);
    check(automaton, `${many[0]} and ${many[4321]} then ${many[9999]}, ${many[9999]!.slice(0, 7)}.`);
    check(automaton, many.slice(100, 400).join(' ').toUpperCase() + many.slice(6000, 6300).join('~'));
  });

  it('finds exactly the keywords of automata of 65 535 states (the most the 16-bit table takes), 65 536 and 65 537 (the first whose last state a 16-bit cell cannot hold)', () => {
    // Policies can add keywords: at the limit a state numbered 65 535 must not alias state 0
    // (or any other) in a 16-bit cell. Keywords branching at once, padded to an exact count.
    const base = Array.from({ length: 4000 }, (_, i) => `${[...String(i).padStart(4, '0')].reverse().join('')}asdf`);
    for (const states of [0xffff, 0x10000, 0x10001]) {
      const keywords = [...base];
      const prefixes = new Set(keywords.flatMap((w) => [...w].map((_, k) => w.slice(0, k + 1))));
      // Each pad keyword adds the states of its prefixes not there yet, one a character after 'z<i>-'.
      for (let i = 0; 1 + prefixes.size < states; i++) {
        const pad = `z${i}-${'k'.repeat(60)}`;
        let k = 0;
        while (k < pad.length && 1 + prefixes.size < states) prefixes.add(pad.slice(0, ++k));
        keywords.push(pad.slice(0, k));
      }
      expect(1 + prefixes.size).toBe(states);
      const automaton = new KeywordAutomaton(keywords);
      const last = keywords[keywords.length - 1]!;
      // The deepest, last-numbered states: the last pad keyword, and one just short of it.
      check(automaton, `${base[0]} ${last} ${last.slice(0, -1)}~ ${base[3999]!.toUpperCase()} ${keywords[keywords.length - 2]}`);
      check(automaton, `${last}${last}${base[1234]}${last.slice(0, -1)}`.repeat(40));
    }
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
