/**
 * Host names that lead somewhere a server must not be steered to: this
 * machine, metadata services, internal-only domains, and DNS services that
 * resolve to whatever address the name spells (rebinding helpers).
 */
import { isSubdomain } from './drop-services.js';
import { readIpv4 } from './ipv4.js';
import { parseIpv6, type Ipv6Words } from './ipv6.js';

/** What a host name says about where it leads. */
export type NameClass = 'metadata' | 'loopback' | 'internal' | 'rebinding';

/** Why a host name is not a plain public name. */
export interface NameVerdict {
  cls: NameClass;
  /** For the message: `the cloud metadata name metadata.google.internal`. */
  detail: string;
  /** For a rebinding service, its domain (`nip.io`): what precedes it may spell an address. */
  service?: string;
}

const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'localhost4',
  'localhost4.localdomain4',
  'localhost6',
  'localhost6.localdomain6',
  'ip6-localhost',
  'ip6-loopback',
]);

const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
  'metadata.azure.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
  'metadata.packet.net',
]);

// Suffixes that never resolve on the public internet: mDNS, reserved and de-facto private TLDs, cluster DNS.
const INTERNAL_SUFFIXES = ['local', 'internal', 'localdomain', 'home.arpa', 'lan', 'intranet', 'corp', 'home'];

// Services that answer any name with the address it spells, or always with 127.0.0.1.
const REBINDING_SERVICES = [
  'nip.io',
  'sslip.io',
  'xip.io',
  'nip.direct',
  'traefik.me',
  'rbndr.us',
  '1u.ms',
  'r3dir.me',
  'rebind.it',
  'rebind.network',
];
const LOOPBACK_SERVICES = ['localtest.me', 'lvh.me', 'vcap.me', 'fuf.me', 'lacolhost.com', 'localho.st', 'local.gd'];

/** The suffix in `list` that `name` is, or ends with as a label boundary. */
function suffixIn(name: string, list: readonly string[]): string | undefined {
  return list.find((s) => name === s || isSubdomain(name, s));
}

/**
 * Classify a lower-case host name (trailing dots removed). `singleLabel`:
 * whether a dotless name (`redis`, `db`) counts as internal, which is true
 * inside a URL, where resolvers complete it with the local search domains.
 */
export function classifyName(name: string, singleLabel: boolean): NameVerdict | undefined {
  if (METADATA_NAMES.has(name)) return { cls: 'metadata', detail: `the cloud metadata name ${name}` };
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return { cls: 'loopback', detail: `the loopback name ${name}` };
  const fixed = suffixIn(name, LOOPBACK_SERVICES);
  if (fixed !== undefined) return { cls: 'loopback', detail: `${fixed}, a public name that resolves to 127.0.0.1` };
  const service = suffixIn(name, REBINDING_SERVICES);
  if (service !== undefined) return { cls: 'rebinding', detail: service, service };
  // A bare `local` or `internal` is a word, not a host under that suffix.
  const internal = INTERNAL_SUFFIXES.find((suffix) => isSubdomain(name, suffix));
  if (internal !== undefined) return { cls: 'internal', detail: `the internal-only domain .${internal}` };
  if (singleLabel && /^[a-z0-9_-]+$/.test(name) && /[a-z]/.test(name)) {
    return { cls: 'internal', detail: `the single-label name ${name}, resolved through local search domains` };
  }
  return undefined;
}

/** An address spelled inside a rebinding-service name. */
export type EmbeddedAddress = { v4: number } | { v6: Ipv6Words };

/**
 * Addresses a rebinding-service name spells: `10.0.0.1.nip.io`,
 * `app-10-0-0-1.sslip.io`, `7f000001.nip.io`, `7f000001.c0a80001.rbndr.us`,
 * `--1.sslip.io` (::1), `make-127.0.0.1-rebind-…1u.ms`.
 */
export function addressesInName(name: string): EmbeddedAddress[] {
  const found: EmbeddedAddress[] = [];
  for (const m of name.matchAll(/[0-9]{1,3}[.-][0-9]{1,3}[.-][0-9]{1,3}[.-][0-9]{1,3}/g)) {
    const reading = readIpv4(m[0].replace(/-/g, '.'))[0];
    if (reading !== undefined) found.push({ v4: reading.value });
  }
  for (const label of name.split('.')) {
    if (/^[0-9a-f]{8}$/.test(label)) found.push({ v4: parseInt(label, 16) >>> 0 });
    // sslip.io writes IPv6 with dashes for colons.
    if (label.includes('--') || (label.match(/-/g) ?? []).length >= 2) {
      const v6 = parseIpv6(label.replace(/-/g, ':'));
      if (v6 !== undefined) found.push({ v6 });
    }
  }
  return found;
}
