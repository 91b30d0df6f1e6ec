/**
 * The rules the SSRF detector reports, with their severities. Each is declared,
 * with examples, in policies/rules/ssrf.yaml; a test keeps the two in step.
 */
import type { Severity } from '../../types.js';

/** Severity of each SSRF rule, as in the rule pack. */
export const SSRF_RULES = {
  'ssrf.metadata-endpoint': 'critical',
  'ssrf.loopback': 'high',
  'ssrf.private-address': 'high',
  'ssrf.internal-name': 'medium',
  'ssrf.rebinding-domain': 'high',
  'ssrf.obfuscated-address': 'high',
  'ssrf.dangerous-scheme': 'high',
  'ssrf.denied-host': 'high',
  'ssrf.data-in-hostname': 'high',
  'ssrf.drop-service': 'medium',
} as const satisfies Record<string, Severity>;

/** An SSRF rule id. */
export type SsrfRuleId = keyof typeof SSRF_RULES;

/** Every SSRF rule id, in the order findings are reported. */
export const SSRF_RULE_IDS = Object.keys(SSRF_RULES) as SsrfRuleId[];
