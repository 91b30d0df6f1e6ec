/** The scanner buildResultScan assembles (src/inspect/build.ts), for a policy's results section, with the shipped rules. */
import { compilePolicy } from '../../../src/config/compile.js';
import type { PolicyDocument } from '../../../src/config/policy-types.js';
import { shippedRules } from '../../../src/inspect/build.js';
import { redactionKind } from '../../../src/inspect/results/redact.js';
import type { ResultScanner } from '../../../src/inspect/results/scan-result.js';

/** A new scanner each call (its own memory of clean strings), with `extra` (a clock, a step limit) over it. */
export function resultScanner(results: PolicyDocument['results'] = {}, extra: Partial<ResultScanner> = {}): ResultScanner {
  const policy = compilePolicy({ results }, []);
  const rules = shippedRules().rules;
  const kinds = new Set<string>(policy.results.pii.kinds);
  return {
    settings: policy.results,
    injectionRules: rules.filter((r) => r.category === 'prompt-injection' && r.regexes.length > 0),
    redactionRules: rules.filter((r) => r.regexes.length > 0 && (r.category === 'secrets' || (r.category === 'pii' && kinds.has(redactionKind(r))))),
    allRules: rules,
    ...extra,
  };
}
