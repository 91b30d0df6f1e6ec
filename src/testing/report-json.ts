/** The `--json` report: the counts and every case, for scripts. */
import { countResults, exitCodeOf, type Counts } from './summary.js';
import type { SuiteResult } from './types.js';

/** The document `vanguard test --json` prints; `version` changes when a field changes meaning. */
export interface JsonReport {
  version: 1;
  exitCode: 0 | 1 | 2;
  counts: Counts;
  suites: SuiteResult[];
}

/** Render the JSON report. */
export function renderJson(suites: readonly SuiteResult[]): string {
  const report: JsonReport = { version: 1, exitCode: exitCodeOf(suites), counts: countResults(suites), suites: [...suites] };
  return `${JSON.stringify(report, null, 2)}\n`;
}
