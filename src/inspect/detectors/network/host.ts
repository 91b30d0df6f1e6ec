/**
 * Judge one host, in whatever spelling it came: decode it as a URL parser
 * would, read it as an IPv4 address, an IPv6 address or a name, and say what
 * is wrong with where it leads.
 */
import { endsInNumber, formatIpv4, readIpv4 } from './ipv4.js';
import { parseIpv6 } from './ipv6.js';
import { addressesInName, classifyName } from './names.js';
import { classifyIpv4, classifyIpv6, isObfuscatedIpv6, type AddressVerdict } from './ranges.js';
import type { SsrfRuleId } from './rule-ids.js';
import { stripTrailingDots } from './trim.js';

/** One problem with a host. */
export interface HostHit {
  ruleId: SsrfRuleId;
  /** What was found, for the message: `127.0.0.1, loopback 127.0.0.0/8`. */
  detail: string;
}

/** A decoded host: the name to compare with lists, and its addresses when it is an IP. */
export interface DecodedHost {
  /** Lower case, percent-decoded, NFKC, trailing dots removed; IPv6 without brackets. */
  name: string;
  /** Canonical text of each address the host can be read as. */
  addresses: string[];
}

// No DNS name is longer (253 plus slack for a trailing dot and brackets); a longer one is junk.
const MAX_NAME = 260;

const RULE_OF_CLASS = {
  metadata: 'ssrf.metadata-endpoint',
  loopback: 'ssrf.loopback',
  private: 'ssrf.private-address',
  internal: 'ssrf.internal-name',
  rebinding: 'ssrf.rebinding-domain',
} as const satisfies Record<string, SsrfRuleId>;

/** Percent-decode once (as a URL parser decodes a host), leaving malformed escapes alone. */
function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Lower-case, decoded spelling of a host as written; keeps IPv6 brackets. */
export function normaliseHost(raw: string): string {
  return percentDecode(raw)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u3002\uff0e\uff61]/g, '.')
    .trim();
}

/** A host cut short for a message. */
export function shorten(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

function verdictHit(v: AddressVerdict): HostHit {
  const via = v.embedded === undefined ? '' : `, ${v.embedded}`;
  return { ruleId: RULE_OF_CLASS[v.cls], detail: `${v.address}${via}, ${v.range}` };
}

/** Decode a host for list matching; `name` is empty when nothing is left. */
export function decodeHost(raw: string): DecodedHost {
  const host = normaliseHost(raw);
  const bare = host.startsWith('[') ? host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']')) : host;
  const v6 = bare.includes(':') ? parseIpv6(bare) : undefined;
  if (v6 !== undefined) return { name: bare, addresses: [classifyIpv6(v6)?.address ?? bare] };
  const name = stripTrailingDots(bare);
  if (endsInNumber(name)) return { name, addresses: readIpv4(name, true).map((r) => formatIpv4(r.value)) };
  return name.length > MAX_NAME ? { name: '', addresses: [] } : { name, addresses: [] };
}

/** Problems with an IPv6 host (already without brackets). */
function judgeIpv6(text: string): HostHit[] | undefined {
  const words = parseIpv6(text);
  if (words === undefined) return undefined;
  const hits: HostHit[] = [];
  const verdict = classifyIpv6(words);
  if (verdict !== undefined) hits.push(verdictHit(verdict));
  if (isObfuscatedIpv6(words)) hits.push({ ruleId: 'ssrf.obfuscated-address', detail: `${shorten(text)} hides an IPv4 address inside IPv6` });
  return hits;
}

/** Problems with a host that ends in a number: every reading of it as IPv4. */
function judgeIpv4(name: string): HostHit[] {
  const hits: HostHit[] = [];
  // Past 32 bits, WHATWG refuses the host but a wrapping resolver connects: read it wrapped.
  for (const reading of readIpv4(name, true)) {
    const verdict = classifyIpv4(reading.value);
    if (verdict !== undefined) hits.push(verdictHit(verdict));
    if (!reading.canonical) {
      hits.push({ ruleId: 'ssrf.obfuscated-address', detail: `${shorten(name)} is ${formatIpv4(reading.value)} written in a non-standard form` });
    }
  }
  return hits;
}

/** Problems with a host name, including addresses a rebinding service would return for it. */
function judgeName(name: string, singleLabel: boolean): HostHit[] {
  const verdict = classifyName(name, singleLabel);
  if (verdict === undefined) return [];
  const hits: HostHit[] = [{ ruleId: RULE_OF_CLASS[verdict.cls], detail: verdict.detail }];
  if (verdict.service === undefined) return hits;
  for (const embedded of addressesInName(name.slice(0, -verdict.service.length))) {
    const inner = 'v4' in embedded ? classifyIpv4(embedded.v4) : classifyIpv6(embedded.v6);
    if (inner === undefined) continue;
    const hit = verdictHit(inner);
    hits.push({ ...hit, detail: `${hit.detail}, spelled in ${shorten(name)}` });
  }
  return hits;
}

/**
 * Everything wrong with where a host leads; empty for a public host.
 * `singleLabel`: whether a dotless name counts as internal (true inside URLs).
 */
export function judgeHost(raw: string, singleLabel: boolean): HostHit[] {
  const host = normaliseHost(raw);
  if (host === '') return [];
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return judgeIpv6(host.slice(1, close < 0 ? undefined : close)) ?? [];
  }
  if (host.includes(':')) return judgeIpv6(host) ?? [];
  const name = stripTrailingDots(host);
  if (name === '') return [];
  // URL parsers accept any number of leading zeros, so an address has no length limit; a name does.
  if (endsInNumber(name)) return judgeIpv4(name);
  return name.length > MAX_NAME ? [] : judgeName(name, singleLabel);
}
