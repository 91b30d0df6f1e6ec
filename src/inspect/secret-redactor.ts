/**
 * The secret rules of a rule set as a text redactor, for the audit trail: the same rules
 * (patterns and validators) argument inspection refuses a credential by, so the record of a
 * call never holds in clear what the call was refused for.
 */
import type { CompiledRule } from '../rules/rule-types.js';
import { redact } from './results/redact.js';

/** A function replacing every match of the set's secret rules with `[REDACTED:<kind>]`. */
export function buildSecretRedactor(rules: readonly CompiledRule[]): (text: string) => string {
  const secrets = rules.filter((rule) => rule.category === 'secrets' && rule.regexes.length > 0);
  return (text) => redact(text, secrets).text;
}
