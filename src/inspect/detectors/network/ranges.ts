/**
 * Which addresses a server must not be steered to: cloud metadata endpoints,
 * this machine, and networks that are not the public internet.
 */
import { formatIpv4, ipv4FromWords } from './ipv4.js';
import { formatIpv6, type Ipv6Words } from './ipv6.js';

/** What kind of non-public address it is; each maps to one rule. */
export type AddressClass = 'metadata' | 'loopback' | 'private';

/** Why an address is not public. */
export interface AddressVerdict {
  cls: AddressClass;
  /** Canonical text of the address, e.g. `127.0.0.1` or `fd00:ec2::254`. */
  address: string;
  /** What the range is, for the message: `loopback (127.0.0.0/8)`. */
  range: string;
  /** Set when the address hides an IPv4 address inside IPv6 (mapped, compatible, NAT64…). */
  embedded?: string;
}

// Instance-metadata and platform endpoints that hand out credentials or host control.
const METADATA_V4: Record<string, string> = {
  '169.254.169.254': 'the instance metadata service of AWS, GCP, Azure, OCI and others',
  '169.254.170.2': 'AWS ECS task credentials',
  '169.254.170.23': 'AWS EKS pod identity',
  '169.254.0.23': 'Tencent Cloud metadata',
  '100.100.100.200': 'Alibaba Cloud metadata',
  '192.0.0.192': 'Oracle Cloud metadata',
  '168.63.129.16': 'Azure WireServer',
};

const METADATA_V6: Record<string, string> = {
  'fd00:ec2::254': 'the AWS instance metadata service over IPv6',
  'fd00:ec2::23': 'AWS EKS pod identity over IPv6',
  'fd20:ce::254': 'the GCP metadata service over IPv6',
};

// [first address, prefix length, class, label]; the first matching row wins.
const V4_RANGES: ReadonlyArray<readonly [string, number, AddressClass, string]> = [
  ['0.0.0.0', 8, 'loopback', '"this network" 0.0.0.0/8, which reaches this machine'],
  ['127.0.0.0', 8, 'loopback', 'loopback 127.0.0.0/8'],
  ['10.0.0.0', 8, 'private', 'private 10.0.0.0/8'],
  ['172.16.0.0', 12, 'private', 'private 172.16.0.0/12'],
  ['192.168.0.0', 16, 'private', 'private 192.168.0.0/16'],
  ['169.254.0.0', 16, 'private', 'link-local 169.254.0.0/16'],
  ['100.64.0.0', 10, 'private', 'carrier-grade NAT 100.64.0.0/10'],
  ['192.0.0.0', 24, 'private', 'IETF protocol assignments 192.0.0.0/24'],
  ['198.18.0.0', 15, 'private', 'benchmarking 198.18.0.0/15'],
  ['255.255.255.255', 32, 'private', 'the broadcast address'],
  ['224.0.0.0', 4, 'private', 'multicast 224.0.0.0/4'],
  ['240.0.0.0', 4, 'private', 'reserved 240.0.0.0/4'],
];

const V4_TABLE = V4_RANGES.map(([base, bits, cls, range]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const [a, b, c, d] = base.split('.').map(Number) as [number, number, number, number];
  return { net: ((((a << 24) | (b << 16) | (c << 8) | d) & mask) >>> 0), mask, cls, range };
});

/** Classify an IPv4 address; undefined when it is public. */
export function classifyIpv4(value: number): AddressVerdict | undefined {
  const address = formatIpv4(value);
  const metadata = METADATA_V4[address];
  if (metadata !== undefined) return { cls: 'metadata', address, range: metadata };
  const row = V4_TABLE.find((r) => ((value & r.mask) >>> 0) === r.net);
  return row === undefined ? undefined : { cls: row.cls, address, range: row.range };
}

/** The IPv4 address an IPv6 address carries, and how, when it carries one. */
function embeddedIpv4(w: Ipv6Words): { value: number; how: string } | undefined {
  const [w0, w1, w2, , w4, w5, w6 = 0, w7 = 0] = w;
  const low = ipv4FromWords(w6, w7);
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && w5 === 0xffff) return { value: low, how: 'IPv4-mapped' };
  if (zeros(0, 4) && w4 === 0xffff && w5 === 0) return { value: low, how: 'IPv4-translated' };
  if (zeros(0, 6)) return { value: low, how: 'IPv4-compatible' };
  if (w0 === 0x64 && w1 === 0xff9b && zeros(2, 6)) return { value: low, how: 'NAT64' };
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 1) return { value: low, how: 'local NAT64' };
  if (w0 === 0x2002) return { value: ipv4FromWords(w1 ?? 0, w2 ?? 0), how: '6to4' };
  // Teredo stores the client's address inverted, bit for bit.
  if (w0 === 0x2001 && w1 === 0) return { value: ipv4FromWords(w6 ^ 0xffff, w7 ^ 0xffff), how: 'Teredo' };
  return undefined;
}

/** Classify an IPv6 address, looking through embedded IPv4; undefined when it is public. */
export function classifyIpv6(w: Ipv6Words): AddressVerdict | undefined {
  const address = formatIpv6(w);
  const metadata = METADATA_V6[address];
  if (metadata !== undefined) return { cls: 'metadata', address, range: metadata };
  if (address === '::') return { cls: 'loopback', address, range: 'the unspecified address, which reaches this machine' };
  if (address === '::1') return { cls: 'loopback', address, range: 'loopback' };
  const inner = embeddedIpv4(w);
  if (inner !== undefined) {
    const v4 = classifyIpv4(inner.value);
    return v4 === undefined ? undefined : { ...v4, address, embedded: `${inner.how} ${formatIpv4(inner.value)}` };
  }
  const w0 = w[0] ?? 0;
  if ((w0 & 0xffc0) === 0xfe80) return { cls: 'private', address, range: 'link-local fe80::/10' };
  if ((w0 & 0xffc0) === 0xfec0) return { cls: 'private', address, range: 'site-local fec0::/10' };
  if ((w0 & 0xfe00) === 0xfc00) return { cls: 'private', address, range: 'unique local fc00::/7' };
  if ((w0 & 0xff00) === 0xff00) return { cls: 'private', address, range: 'multicast ff00::/8' };
  return undefined;
}

/** True when the IPv6 spelling carries an IPv4 address no one writes by hand (mapped, compatible, translated). */
export function isObfuscatedIpv6(w: Ipv6Words): boolean {
  const how = embeddedIpv4(w)?.how;
  return how === 'IPv4-mapped' || how === 'IPv4-translated' || (how === 'IPv4-compatible' && formatIpv6(w) !== '::1' && formatIpv6(w) !== '::');
}
