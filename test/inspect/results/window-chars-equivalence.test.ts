/**
 * A long text's keyword read records the characters of each window it went through, and a
 * pattern is not run on a slice whose windows lack what it needs (rule-index.ts,
 * mayMatchWithin). The slow path is the same read without the windows (every slice of a text
 * whose characters allow the pattern is searched). Over long texts with rule examples planted
 * anywhere, most of all across slice and window ends, in fillers whose windows differ in their
 * characters, both must find the same, count the same budget steps, and the result scan must
 * give the same outcome.
 */
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/config/policy-types.js';
import { LowerCase } from '../../../src/inspect/lower-case.js';
import { findAllSpans, runPatternRules } from '../../../src/inspect/pattern-rules.js';
import { scanResult, type ResultScanner } from '../../../src/inspect/results/scan-result.js';
import { shippedRules } from '../../../src/inspect/build.js';
import { resultScanner } from './result-scanner.js';
import { ruleIndexOf } from '../../../src/inspect/rule-index.js';
import type { ArgumentKind } from '../../../src/inspect/types.js';

const rules = shippedRules().rules;
const index = ruleIndexOf(rules);

const scanner = (results: PolicyDocument['results'] = {}): ResultScanner => resultScanner(results);

// Deterministic (mulberry32), so a failure can be replayed.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Printable ASCII examples (a plain text is read in windows), and some that hold digits or
// upper case (the characters patterns need).
const examples = rules
  .flatMap((r) => [...r.examples.match, ...r.examples.nomatch])
  .filter((e): e is string => typeof e === 'string' && /^[\x20-\x7e]+$/.test(e));
// Fillers with few characters: their windows lack digits, upper case, punctuation.
const FILLERS = ['x', 'ab ', 'the build is green and nothing more ', 'zzzz\n', 'Q'];
// Where slices of a long text start (pattern-rules.ts: 64 KiB, overlapping by 1 KiB) and where the read's windows do (64 KiB, overlapping by the longest keyword less one).
const ENDS = [1, 2, 3, 4].flatMap((k) => [k * (65536 - 1024), k * 65536 - 1024, k * 65536, k * (65536 - 40), k * 65536 - 16]);

function longText(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const length = 140_000 + Math.floor(next() * 160_000);
  const filler = pick(FILLERS);
  const chars = filler.repeat(Math.ceil(length / filler.length)).slice(0, length).split('');
  const plants = 1 + Math.floor(next() * 6);
  let text = chars.join('');
  for (let p = 0; p < plants; p++) {
    const example = pick(examples);
    // Across an end, or anywhere.
    const around = next() < 0.7 ? pick(ENDS) - Math.floor(next() * (example.length + 8)) : Math.floor(next() * length);
    const at = Math.max(0, Math.min(text.length - example.length, around));
    text = text.slice(0, at) + example + text.slice(at + example.length);
  }
  return text;
}

// The read of `lower` without its windows: the slow path.
function withoutWindows(lower: string): void {
  index.forget();
  const scan = index.scan(lower);
  expect(scan.windows).toBeDefined();
  // (The index remembers this scan for the text, so the passes below read it.)
  delete scan.windows;
}

const textOnly = (): ReadonlySet<ArgumentKind> => new Set(['text']);

describe('a long text read in windows: a pattern skips the slices whose windows lack what it needs', () => {
  const next = random(1313);
  const texts = Array.from({ length: 36 }, () => longText(next));
  const s = scanner({ pii: { action: 'redact' } });

  it('finds the same first matches (injection and every rule) and counts the same steps', () => {
    for (const text of texts) {
      const lower = text.toLowerCase();
      const run = (): [unknown, number] => {
        let steps = 0;
        const found = runPatternRules([{ path: 'text', key: undefined, isKey: false, raw: text, variants: [] }], rules, textOnly, (n = 1) => void (steps += n), rules);
        return [found, steps];
      };
      index.forget();
      const fast = run();
      withoutWindows(lower);
      const slow = run();
      index.forget();
      expect(fast).toEqual(slow);
    }
  });

  it('finds the same spans for redaction and counts the same steps', () => {
    let found = 0;
    for (const text of texts) {
      const lower = text.toLowerCase();
      index.forget();
      const scan = index.scan(lower);
      expect(scan.windows!.starts.length).toBeGreaterThan(2);
      const spans = (withWindows: boolean): [unknown, number] => {
        let steps = 0;
        const lowerCase = new LowerCase(text, lower);
        const read = { text, lower: lowerCase, index, scan: withWindows ? scan : { ...scan, windows: undefined } };
        const all = findAllSpans(text, lowerCase, rules, (n = 1) => void (steps += n), rules, read);
        return [all.map((x) => [x.start, x.end, x.rule.id]), steps];
      };
      const fast = spans(true);
      expect(fast).toEqual(spans(false));
      found += (fast[0] as unknown[]).length;
    }
    index.forget();
    // The planted examples are found: the comparison is not between two empty lists.
    expect(found).toBeGreaterThan(20);
  });

  it('gives the same result scan outcome', () => {
    for (const text of texts) {
      const result = { content: [{ type: 'text', text }] };
      index.forget();
      const fast = scanResult(result, s, { plain: true });
      withoutWindows(text.toLowerCase());
      const slow = scanResult(result, s, { plain: true });
      expect(fast).toStrictEqual(slow);
    }
  });
});
