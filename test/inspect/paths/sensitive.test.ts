/** The shipped glob lists: well-formed, and safe to run on the backtracking engine. */
import { expect, test } from 'vitest';
import { SENSITIVE_ABSOLUTE, SENSITIVE_ANYWHERE, SENSITIVE_IN_HOME, TRAVERSAL_TARGETS } from '../../../src/inspect/detectors/paths/sensitive.js';

const globs = [...[...SENSITIVE_IN_HOME, ...SENSITIVE_ABSOLUTE, ...SENSITIVE_ANYWHERE].flatMap((e) => [e.glob, ...(e.except ?? [])]), ...TRAVERSAL_TARGETS];

test.each(globs)('%s has at most one * per part (so it cannot backtrack badly)', (glob) => {
  for (const part of glob.split('/')) {
    if (part === '**') continue;
    expect(part.split('*').length - 1).toBeLessThanOrEqual(1);
  }
});

test('home entries start at ~/, others at / or **/', () => {
  for (const e of SENSITIVE_IN_HOME) expect(e.glob.startsWith('~/')).toBe(true);
  for (const e of [...SENSITIVE_ABSOLUTE, ...TRAVERSAL_TARGETS.map((glob) => ({ glob }))]) expect(e.glob.startsWith('/')).toBe(true);
  for (const e of SENSITIVE_ANYWHERE) expect(e.glob.startsWith('**/')).toBe(true);
});

test('globs are lower case (matching ignores case; the lists are written one way)', () => {
  for (const glob of globs) expect(glob).toBe(glob.toLowerCase());
});
