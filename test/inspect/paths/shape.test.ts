/** looksLikePath: shape-based kinds for arguments whose name says nothing. */
import { expect, test } from 'vitest';
import { looksLikePath } from '../../../src/inspect/detectors/paths/index.js';

test.each([
  ['/etc/passwd'],
  ['/tmp'],
  ['~/notes.txt'],
  ['~'],
  ['./a.txt'],
  ['../README.md'],
  ['..\\x'],
  ['C:\\Users\\me'],
  ['d:/data/cars.csv'],
  ['\\\\host\\share'],
  ['file:///etc/hosts'],
  ['reports/../../../etc/passwd'],
  ['%2e%2e%2fetc%2fpasswd'],
  ['..%c0%afetc'],
  ['..;/admin'],
  ['/srv/data/team/onboarding/budget v2 (final).xlsx'],
])('%s looks like a path', (text) => {
  expect(looksLikePath(text)).toBe(true);
});

test.each([
  ['hello world'],
  ['reports/q3.csv'],
  ['/remind me tomorrow'],
  ['San Francisco, CA'],
  ['https://example.com/a'],
  ['...'],
  [''],
  ['/a/b\n/c/d'],
  ['/' + 'a'.repeat(5000)],
  ['/this is a long sentence / with a slash in it and many words'],
])('%s does not', (text) => {
  expect(looksLikePath(text)).toBe(false);
});
