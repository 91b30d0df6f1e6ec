/**
 * The labels a tool's result puts on the session, when the server's answer is decided:
 *
 * - `untrusted-source`: the result came from the open world (the tool declares
 *   `openWorldHint`, is a fetch/browse/web-search/mail-reading tool, or fetched a URL that
 *   leaves the machine; worked out at call time, call-labels.ts), or the result scan found
 *   instructions aimed at the model in it (withheld or not: whoever wrote it is hostile).
 * - `sensitive-read`: the scan found a secret in it (redacted or only seen): the model may
 *   have read it, or the tool reached a place where secrets live.
 */
import type { DecisionRecord } from '../audit/types.js';
import { PII_KINDS } from '../config/policy-types.js';
import type { Labelled } from './call-labels.js';

const PERSONAL: ReadonlySet<string> = new Set(PII_KINDS);

const NO_LABELS: readonly Labelled[] = Object.freeze([]);

function redacts(rules: readonly string[]): boolean {
  for (let i = 0; i < rules.length; i++) if ((rules[i] as string).startsWith('result.redact:')) return true;
  return false;
}

/** The labels of a result, from what the call led to expect and what the result decision found. Read only. */
export function labelResult(expected: readonly Labelled[], record: Omit<DecisionRecord, 'decisionUs'>): readonly Labelled[] {
  const findings = record.detail?.findings;
  // Most results: nothing expected, nothing found, nothing redacted; no labels, and nothing made for them.
  if (expected.length === 0 && !(Array.isArray(findings) && findings.length > 0) && !redacts(record.rules)) return NO_LABELS;
  const out = new Map<string, string>(expected.map((l) => [l.label, l.why]));
  if (Array.isArray(findings) && findings.length > 0 && !out.has('untrusted-source')) {
    out.set('untrusted-source', 'the result scan found instructions aimed at the model in it');
  }
  const secret = record.rules.find((r) => r.startsWith('result.redact:') && !PERSONAL.has(r.slice('result.redact:'.length)));
  if (secret !== undefined) out.set('sensitive-read', `the result held a secret (${secret.slice('result.redact:'.length)})`);
  return [...out].map(([label, why]) => ({ label, why }));
}
