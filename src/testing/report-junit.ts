/**
 * JUnit XML as CI systems read it: one `testsuite` per file, one `testcase` per case, a
 * `failure` with what was expected and what came, an `error` for a case that could not run.
 * Everything a server sent is escaped, and characters XML 1.0 cannot hold at all are spelt
 * out, so a hostile answer cannot break the report or what reads it.
 */
import { countResults } from './summary.js';
import type { CaseResult, SuiteResult } from './types.js';

// Not allowed in XML 1.0 even as character references (C0 but tab, CR, LF; lone surrogates;
// U+FFFE/U+FFFF), plus DEL and C1, which are allowed but would reach a terminal raw.
const UNWRITABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text made safe for XML: `&`, `<`, `>` (so `]]>` cannot end anything), quotes, and in
 * attributes tab, CR and LF as references (an attribute's raw newlines are read as spaces).
 */
export function escapeXml(text: string, attribute = false): string {
  const spelt = text.replace(UNWRITABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const escaped = spelt.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (!attribute) return escaped;
  return escaped.replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v), true)}"`)
    .join('');
}

function caseXml(suite: SuiteResult, c: CaseResult): string {
  const head = `    <testcase${attrs({ classname: suite.name, name: c.name, file: suite.file, time: seconds(c.durationMs) })}`;
  if (c.status === 'passed') return `${head}/>`;
  if (c.status === 'error') {
    const message = (c.message ?? 'not run').split('\n')[0] ?? '';
    return `${head}>\n      <error${attrs({ message, type: 'VanguardTestError' })}>${escapeXml(c.message ?? '')}</error>\n    </testcase>`;
  }
  const first = c.mismatches[0];
  const message = first ? `${first.key}: expected ${first.expected}; got ${first.got}` : 'failed';
  const body = c.mismatches.map((m) => `${m.key}\n  expected: ${m.expected}\n  got:      ${m.got}`).join('\n');
  return `${head}>\n      <failure${attrs({ message, type: 'ExpectationFailed' })}>${escapeXml(body)}</failure>\n    </testcase>`;
}

/** The whole report for every file that ran. */
export function renderJUnit(suites: readonly SuiteResult[]): string {
  const total = countResults(suites);
  const totalMs = suites.reduce((sum, s) => sum + s.durationMs, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'vanguard test', tests: total.cases, failures: total.failed, errors: total.errors, time: seconds(totalMs) })}>`,
  ];
  for (const suite of suites) {
    const c = countResults([suite]);
    lines.push(`  <testsuite${attrs({ name: suite.name, file: suite.file, tests: c.cases, failures: c.failed, errors: c.errors, skipped: 0, time: seconds(suite.durationMs), timestamp: suite.startedAt })}>`);
    if (suite.startError !== undefined) lines.push(`    <system-err>${escapeXml(suite.startError)}</system-err>`);
    for (const c2 of suite.cases) lines.push(caseXml(suite, c2));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
