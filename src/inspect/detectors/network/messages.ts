/**
 * What the model reads when a call is refused: what was seen, and what to do
 * instead, in one sentence per rule. Evidence is cut short and never carries
 * a password from a URL's userinfo.
 */
import type { SsrfRuleId } from './rule-ids.js';

const ALLOW_HINT = 'if this host is meant to be reachable, add it to network.allowHosts in the policy';

const MESSAGES: Record<SsrfRuleId, (detail: string) => string> = {
  'ssrf.metadata-endpoint': (d) =>
    `the destination is a cloud metadata endpoint (${d}), which hands out the machine's credentials; it is never fetched on a tool's behalf`,
  'ssrf.loopback': (d) => `the destination points at this machine (${d}), so the server would call its own local services; use a public URL, or ${ALLOW_HINT}`,
  'ssrf.private-address': (d) => `the destination points into a non-public network (${d}); use a public URL, or ${ALLOW_HINT}`,
  'ssrf.internal-name': (d) => `the destination names an internal host (${d}); use a public URL, or ${ALLOW_HINT}`,
  'ssrf.rebinding-domain': (d) =>
    `the destination uses ${d}, a DNS service that answers with whatever address the name spells (used for DNS rebinding); use the real host name instead`,
  'ssrf.obfuscated-address': (d) => `the destination's address is written in a disguised form (${d}); write the address in plain dotted form, or use the host name`,
  'ssrf.dangerous-scheme': (d) =>
    `the destination uses the ${d}: scheme, which reads local files or speaks raw protocols to internal services; only http and https URLs are fetched`,
  'ssrf.denied-host': (d) => `the destination names ${d}, which the policy's network.denyHosts refuses; use another source`,
  'ssrf.drop-service': (d) => `the destination is ${d}, a paste, webhook-catching, tunnel or out-of-band testing service where data is dropped for someone else to collect; logged (the strict preset refuses it)`,
  'ssrf.data-in-hostname': (d) =>
    `the destination's host name carries data (${d}), the shape of DNS exfiltration, where looking the name up delivers what it encodes; use the service's ordinary host name`,
};

/** The one-sentence message for a rule, with what was found. */
export function messageFor(ruleId: SsrfRuleId, detail: string): string {
  const text = MESSAGES[ruleId](detail);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** An excerpt of at most 80 characters, with any password in a URL's userinfo masked. */
export function evidenceOf(text: string): string {
  const masked = text.replace(/^([a-z][a-z0-9+.-]{0,30}:[/\\]*[^/\\?#@:]{0,200}):[^/\\?#@]{0,400}@/i, '$1:***@');
  return masked.length <= 80 ? masked : `${masked.slice(0, 79)}…`;
}
