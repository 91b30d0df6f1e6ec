/** Counts over the results of a run, shared by every reporter and the exit code. */
import type { SuiteResult } from './types.js';

/** How many cases passed, failed and could not be run; and how many files did not start. */
export interface Counts {
  files: number;
  cases: number;
  passed: number;
  failed: number;
  errors: number;
  notStarted: number;
}

/** Count the cases of every suite. */
export function countResults(suites: readonly SuiteResult[]): Counts {
  const counts: Counts = { files: suites.length, cases: 0, passed: 0, failed: 0, errors: 0, notStarted: 0 };
  for (const suite of suites) {
    if (suite.startError !== undefined) counts.notStarted++;
    for (const c of suite.cases) {
      counts.cases++;
      if (c.status === 'passed') counts.passed++;
      else if (c.status === 'failed') counts.failed++;
      else counts.errors++;
    }
  }
  return counts;
}

/**
 * The exit code: 2 when a server could not start behind its policy (a broken setup),
 * 1 when a case failed or could not be run to the end, 0 when every case passed.
 */
export function exitCodeOf(suites: readonly SuiteResult[]): 0 | 1 | 2 {
  const counts = countResults(suites);
  if (counts.notStarted > 0) return 2;
  return counts.failed > 0 || counts.errors > 0 ? 1 : 0;
}
