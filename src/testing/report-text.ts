/**
 * The terminal report: a header per file, one line per case as it finishes (status, name,
 * what was seen, time), what did not match under a failed case, and a summary.
 */
import path from 'node:path';
import { countResults } from './summary.js';
import type { CaseResult, SuiteResult, TestFile } from './types.js';

/** Control characters (C0, DEL, C1) and bidi controls from a server must not reach a terminal raw. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const LABEL: Record<CaseResult['status'], string> = { passed: 'PASS ', failed: 'FAIL ', error: 'ERROR' };

/** The line before a file's cases: which server, behind which policy. */
export function suiteHeader(file: TestFile): string {
  const policy = file.policy === undefined ? 'the default policy' : path.isAbsolute(file.policy) ? path.relative(process.cwd(), file.policy) || file.policy : `preset ${file.policy}`;
  return clean(`${file.file}: ${file.argv.join(' ')} behind ${policy}`);
}

/** One case's line, and under a failure what was expected and what came instead. */
export function caseLines(result: CaseResult): string[] {
  const lines = [clean(`  ${LABEL[result.status]} ${result.name}  ${result.got}  (${ms(result.durationMs)})`)];
  for (const m of result.mismatches) lines.push(clean(`         ${m.key}: expected ${m.expected}; got ${m.got}`));
  if (result.status === 'error' && result.message !== undefined) {
    for (const line of result.message.split('\n')) lines.push(clean(`         ${line}`));
  }
  return lines;
}

/** A file whose server did not start: one block saying why, instead of a line per case. */
export function startErrorLines(suite: SuiteResult): string[] {
  return [clean(`  ERROR could not start the server behind its policy; ${suite.cases.length} case(s) not run:`), ...(suite.startError ?? '').split('\n').map((l) => clean(`         ${l}`))];
}

/** The closing line. */
export function summaryLine(suites: readonly SuiteResult[], totalMs: number): string {
  const c = countResults(suites);
  const parts = [`${c.passed} passed`, `${c.failed} failed`, ...(c.errors > 0 ? [`${c.errors} not run`] : [])];
  const files = `${c.files} file${c.files === 1 ? '' : 's'}${c.notStarted > 0 ? `, ${c.notStarted} did not start` : ''}`;
  return `${c.cases} case${c.cases === 1 ? '' : 's'}: ${parts.join(', ')} (${files}, ${ms(totalMs)})`;
}
