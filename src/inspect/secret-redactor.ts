/**
 * The secret rules of a rule set as a text redactor, for the audit trail: the same rules
 * (patterns and validators) argument inspection refuses a credential by, read in the same
 * decoded spellings (URL, base64, escapes, …), so the record of a call never holds in clear
 * what the call was refused for.
 */
import type { CompiledRule } from '../rules/rule-types.js';
import { buildVariants, DEFAULT_NORMALIZE_LIMITS } from './normalize/index.js';
import { redact, redactionKind } from './results/redact.js';
import { secretReadings } from './secret-readings.js';

// Shorter text holds no secret any rule finds, in any spelling.
const MIN_ENCODED_CHARS = 16;
// The memory of recent redactions: this many strings, each at most this long.
const MEMO_ENTRIES = 4096;
const MEMO_MAX_CHARS = 512;

function redactText(text: string, secrets: readonly CompiledRule[]): string {
  const plain = redact(text, secrets).text;
  if (plain.length < MIN_ENCODED_CHARS) return plain;
  for (const variant of buildVariants(plain, DEFAULT_NORMALIZE_LIMITS)) {
    const [rule] = redact(variant.text, secrets).hits.keys();
    if (rule !== undefined) return `[REDACTED:${redactionKind(rule)} (${variant.via})]`;
  }
  // Spaced out, grouped with dashes, reversed, lower-cased: read undone, as inspection does.
  for (const reading of secretReadings([{ path: '', key: undefined, isKey: false, raw: plain, variants: [] }], secrets)) {
    const [rule] = redact(reading.raw, secrets).hits.keys();
    if (rule !== undefined) return `[REDACTED:${redactionKind(rule)} (${reading.path.trim().replace(/^\(|\)$/g, '')})]`;
  }
  return plain;
}

/**
 * A function replacing every match of the set's secret rules with `[REDACTED:<kind>]`. A
 * secret found only in a decoded spelling cannot be cut out of the encoded text, so the whole
 * string is replaced.
 */
export function buildSecretRedactor(rules: readonly CompiledRule[]): (text: string) => string {
  const secrets = rules.filter((rule) => rule.category === 'secrets' && rule.regexes.length > 0);
  // Audit records repeat many short strings (tool names, keys, paths): their redaction is
  // remembered, bounded in entries and in size (only short strings are kept).
  const recent = new Map<string, string>();
  return (text) => {
    const known = recent.get(text);
    if (known !== undefined) return known;
    const redacted = redactText(text, secrets);
    if (text.length <= MEMO_MAX_CHARS) {
      if (recent.size >= MEMO_ENTRIES) recent.delete(recent.keys().next().value as string);
      recent.set(text, redacted);
    }
    return redacted;
  };
}
