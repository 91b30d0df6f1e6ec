/**
 * Long one-byte text lower-cased only where patterns run (src/inspect/lower-case.ts) and its
 * keywords read case-folded (keyword-automaton.ts scanLatin1), against the frozen per-rule
 * path that lower-cases every text whole (test/inspect/reference/pattern-rules-per-rule.ts):
 * the same findings and redaction spans when every shipped rule's one-byte match examples
 * are planted in upper case across the edges where the fast path cuts the text (the keyword
 * read's 64 KiB windows, the pattern slices, the text's ends), next to Latin-1 letters whose
 * case mapping is special (µ upper-cases outside Latin-1, ß and ÿ too; × and ÷ are not
 * letters), in texts just below, at and above the length from which the lower case is made
 * by stretches. (A mutation that leaves a stretch upper-cased, or the characters a window read
 * unfolded, fails it.) Note: with every shipped rule in play, a rule that reads all of a
 * long text (no keyword) makes the whole lower case after its first slice past a quarter of
 * the text, and a keyword with a letter makes it for its search: stretches alone are read for
 * the rules whose keywords have no letter (pii.email's @, '://', '-', '%', '||'), as
 * redaction asks for them, which is compared on its own below.
 */
import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { kindsOf } from '../../src/inspect/kinds.js';
import { BY_STRETCH_FROM, LowerCase } from '../../src/inspect/lower-case.js';
import { DEFAULT_NORMALIZE_LIMITS, normalizeArguments } from '../../src/inspect/normalize/index.js';
import { findAllSpans, lowerSameLength, runPatternRules } from '../../src/inspect/pattern-rules.js';
import type { Finding, InspectedString } from '../../src/inspect/types.js';
import * as before from './reference/pattern-rules-per-rule.js';

const all = shippedRules().rules;
// Upper case where it stays within one byte (µ's is U+039C, ÿ's U+0178, ß's "SS": kept as they are).
const upper = (t: string) => [...t].map((c) => (/^[\x00-\xff]$/.test(c.toUpperCase()) ? c.toUpperCase() : c)).join('');
// (Those a pattern finds in a text of their own, as the whole lower-casing reads it.)
const examples = all.flatMap((r) => r.examples.match.filter((e): e is string => typeof e === 'string' && /^[\x00-\xff]+$/.test(e) && e.length < 400 && before.findAllSpans(e, e.toLowerCase(), all).length > 0));
// Those that wake no rule by a keyword with a letter (the keyword search would make the whole
// lower case, and the patterns would not read stretches), as the filler does not.
const keywords = [...new Set(all.flatMap((r) => r.keywords ?? []))];
const quiet = (t: string) => !keywords.some((k) => /[a-z\u00e0-\u00fe]/.test(k) && t.toLowerCase().includes(k));
const quietExamples = examples.filter(quiet);
// Rules whose keywords have no letter: found in the text itself, and their patterns run on the
// stretches around them (no rule that reads all of a text makes the whole lower case first).
const byCaselessKeyword = all.filter((r) => r.keywords !== undefined && r.keywords.every((k) => !/[a-z\u00e0-\u00fe]/.test(k)));
const SPECIAL = ['\u00b5', '\u00df', '\u00ff', '\u00d7', '\u00f7', '\u00c0', '\u00de', '\u00e0', '\u00fe', '\u00aa', '\u00ba'];
const FILLER = 'Quiet Day. ';

function filled(n: number): string[] {
  return [...FILLER.repeat(Math.ceil(n / FILLER.length)).slice(0, n)];
}

// A text of `length` with an example (every other one upper-cased) planted at each edge:
// ending at it (shift 0), straddling it (1) or starting at it (2).
function planted(length: number, edges: readonly number[], offset: number, shift: number, from = examples): string {
  const chars = filled(length);
  let k = offset;
  for (const edge of edges) {
    const example = from[k++ % from.length]!;
    const text = `${SPECIAL[k % SPECIAL.length]}${k % 2 === 0 ? upper(example) : example}${SPECIAL[(k + 3) % SPECIAL.length]}`;
    const at = Math.min(length - text.length, Math.max(0, shift === 0 ? edge - text.length : shift === 1 ? edge - (text.length >> 1) : edge));
    for (let i = 0; i < text.length; i++) chars[at + i] = text[i]!;
  }
  return chars.join('');
}

// The findings' count (runPatternRules reports a rule once per string).
function expectSame(text: string): number {
  expect(/[^\x00-\xff]/.test(text)).toBe(false);
  const normalized = normalizeArguments({ text }, DEFAULT_NORMALIZE_LIMITS, { variants: false });
  const input: InspectedString[] = normalized.ok ? normalized.strings : [];
  expect(input.length).toBeGreaterThan(0);
  const kinds = (s: InspectedString) => kindsOf(s, {});
  const findings = (impl: typeof runPatternRules): [Finding[], number] => {
    let steps = 0;
    return [impl(input, all, kinds, (n = 1) => void (steps += n), all, () => false, false), steps];
  };
  const [found, steps] = findings(runPatternRules);
  expect([found, steps]).toEqual(findings(before.runPatternRules));
  // Redaction's spans, with the lower case made as read.
  let stepsMade = 0;
  const made = findAllSpans(text, new LowerCase(text, lowerSameLength), all, (n = 1) => void (stepsMade += n), all);
  let stepsWhole = 0;
  const whole = before.findAllSpans(text, text.toLowerCase(), all, (n = 1) => void (stepsWhole += n), all);
  expect([made.map((x) => [x.start, x.end, x.rule.id]), stepsMade]).toEqual([whole.map((x) => [x.start, x.end, x.rule.id]), stepsWhole]);
  // Something is found (a planted match, in any case, is redacted).
  expect(made.length).toBeGreaterThan(0);
  // Only the rules whose keywords have no letter in play, as redaction asks for some rules.
  const caseless = (impl: typeof findAllSpans, lower: string | LowerCase) => {
    let steps = 0;
    return [impl(text, lower as LowerCase, byCaselessKeyword, (n = 1) => void (steps += n), all).map((x) => [x.start, x.end, x.rule.id]), steps];
  };
  expect(caseless(findAllSpans, new LowerCase(text, lowerSameLength))).toEqual(caseless(before.findAllSpans as typeof findAllSpans, text.toLowerCase()));
  return found.length;
}

describe('long one-byte text lower-cased by stretches finds what whole lower-casing found', () => {
  it('has examples to plant', () => {
    expect(examples.length).toBeGreaterThan(50);
    expect(quiet(FILLER)).toBe(true);
    expect(quietExamples.length).toBeGreaterThan(10);
    expect(byCaselessKeyword.map((r) => r.id)).toContain('pii.email');
  });

  it('just below, at and just above the length from which it is lower-cased by stretches', () => {
    let findings = 0;
    for (const length of [BY_STRETCH_FROM - 1, BY_STRETCH_FROM, BY_STRETCH_FROM + 1]) {
      for (let shift = 0; shift < 3; shift++) {
        const text = planted(length, [0, 1024, 4096, length >> 1, length - 1, length], length + shift, shift);
        expect(new LowerCase(text).byStretch).toBe(length >= BY_STRETCH_FROM);
        findings += expectSame(text);
      }
    }
    expect(findings).toBeGreaterThan(0);
  }, 20_000);

  it('with examples in upper case across the keyword read windows and the pattern slices', () => {
    const length = 4 * 65536 + 777;
    const edges: number[] = [];
    // 64 KiB windows overlapping by the longest keyword less one (a few tens): near each multiple.
    for (let w = 1; w < 4; w++) for (const back of [0, 16, 31, 63, 127]) edges.push(w * 65536 - w * back);
    let texts = 0;
    let findings = 0;
    for (let offset = 0; offset < examples.length; offset += 2 * edges.length) {
      const text = planted(length, edges, offset, texts++ % 3);
      expect(new LowerCase(text).byStretch).toBe(true);
      findings += expectSame(text);
    }
    expect(texts).toBeGreaterThan(8);
    expect(findings).toBeGreaterThan(texts);
    // With no keyword the search would lower-case the whole text for: patterns read stretches only.
    for (let shift = 0; shift < 3; shift++) {
      const text = planted(length, edges, shift * edges.length, shift, quietExamples);
      expect(quiet(text)).toBe(true);
      expectSame(text);
    }
  }, 20_000);
});
