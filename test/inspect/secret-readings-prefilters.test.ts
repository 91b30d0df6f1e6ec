/**
 * The secret readings' pre-tests (issue 13) against the regexes they stand for: a hand loop
 * for "sixteen token characters in a row", and the count of joined dashes that any match of
 * the grouped-token regex must reach. On corpus strings, rule examples and random text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusStrings, stringsIn } from './corpus-strings.js';
import { shippedRules } from '../../src/inspect/build.js';
import { hasTokenRun, joinedDashes } from '../../src/inspect/secret-readings.js';
import { scaled } from '../test-scale.js';

// The expressions as secret-readings.ts had them before the pre-tests (the oracle).
const LONG_RUN = /[A-Za-z0-9_+/=-]{16}/;
const GROUPED = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9_]{2,8}(?:-[A-Za-z0-9_]{2,8}){3,}/;


const TEXTS = [
  '/srv/data/reports/2026-q3.md',
  'git log --oneline -n 20',
  '123e4567-e89b-12d3-a456-426614174000',
  'AKIA-QW3R-TY12-ZXCV-5678',
  'a-b-c-d',
  'ab-cd-ef-gh',
  '-ab-cd-ef-',
  '',
  ...shippedRules().rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).flatMap(stringsIn),
  ...corpusStrings(),
];

function mismatches(texts: readonly string[]): string[] {
  return texts.filter((t) => hasTokenRun(t) !== LONG_RUN.test(t) || (GROUPED.test(t) && joinedDashes(t) < 3));
}

describe('secret readings: pre-tests', () => {
  it('on corpus strings and rule examples', () => {
    expect(TEXTS.length).toBeGreaterThan(1000);
    expect(mismatches(TEXTS)).toEqual([]);
    // The dash count does rule texts out (it is not a test that always passes).
    expect(TEXTS.filter((t) => t.includes('-') && joinedDashes(t) < 3).length).toBeGreaterThan(100);
  });

  it('on random text (property)', () => {
    const unit = fc.constantFrom(...'aZ09_+/=-- .:\u00e9\u0130'.split(''));
    fc.assert(fc.property(fc.string({ unit, maxLength: 60 }), (t) => {
      expect(mismatches([t])).toEqual([]);
    }), { numRuns: scaled(5000) });
  });
});
