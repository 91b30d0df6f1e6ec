/**
 * IPv4 host parsing the way URL parsers and `inet_aton` read it: one to four
 * dot-separated numbers, each decimal, octal (leading 0) or hex (0x), the last
 * one filling the remaining bytes (`127.1`, `2130706433`, `0x7f.1`).
 */
import { stripTrailingDots } from './trim.js';

/** One way a host string can be read as an IPv4 address. */
export interface Ipv4Reading {
  /** The address as an unsigned 32-bit number. */
  value: number;
  /** True when written as four plain decimal numbers (`10.0.0.1`). */
  canonical: boolean;
}

// A leading zero means octal to WHATWG and inet_aton, but decimal to parsers
// that only strip zeros; a filter must consider both readings.
type PartMode = 'octal-zero' | 'decimal-zero';

// A part longer than this is not read as a number by anyone (no resolver holds it); beyond
// it the host is a name. Shorter overlong parts are read, and wrapped (below).
const MAX_DIGITS = 64;

/** Parse one part; undefined when it is not a number in that mode. */
function parsePart(part: string, mode: PartMode): bigint | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (part.startsWith('0x')) {
    digits = part.slice(2);
    radix = 16;
    if (digits === '') return 0n;
  } else if (mode === 'octal-zero' && part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const trimmed = digits.replace(/^0+/, '');
  if (trimmed.length > MAX_DIGITS) return undefined;
  if (trimmed === '') return 0n;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  return BigInt(`${prefix}${trimmed}`);
}

/**
 * Combine parsed parts. `overflow` is true when only the last part is too large: WHATWG
 * and inet_aton fail there, but a resolver that keeps the low 32 bits of the sum does not
 * (`4294967296 + 2130706433` is 127.0.0.1 to it). A large earlier part fails everywhere.
 */
function combine(parts: bigint[]): { value: number; overflow: boolean } | undefined {
  const last = parts[parts.length - 1];
  if (last === undefined || parts.length > 4) return undefined;
  let value = last;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i] as bigint;
    if (p > 255n) return undefined;
    value += p * 256n ** BigInt(3 - i);
  }
  return { value: Number(value & 0xffffffffn), overflow: last >= 256n ** BigInt(5 - parts.length) };
}

/** Split a host into parts, dropping trailing dots (URL parsers drop one; resolvers drop more). */
function splitParts(host: string): string[] {
  return stripTrailingDots(host).split('.');
}

/**
 * True when a URL parser would treat the host as an IPv4 address (the WHATWG
 * "ends in a number" test): its last label is all digits or 0x-hex.
 */
export function endsInNumber(host: string): boolean {
  const parts = splitParts(host);
  const last = parts[parts.length - 1] ?? '';
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/**
 * Every distinct IPv4 reading of a lower-case host; empty when it is not an address in
 * any reading (e.g. `3.321.3232.2`, which URL parsers reject). `wrap`: also read a last
 * part past its range (`4294967296`, `127.0.0.256`) modulo 2^32, as some resolvers do;
 * such a reading is never canonical.
 */
export function readIpv4(host: string, wrap = false): Ipv4Reading[] {
  const parts = splitParts(host);
  if (parts.length > 4) return [];
  const canonical = host === parts.join('.') && parts.length === 4 && parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p));
  const readings: Ipv4Reading[] = [];
  for (const mode of ['octal-zero', 'decimal-zero'] as const) {
    const nums = parts.map((p) => parsePart(p, mode));
    if (nums.some((n) => n === undefined)) continue;
    const combined = combine(nums as bigint[]);
    if (combined === undefined || (combined.overflow && !wrap) || readings.some((r) => r.value === combined.value)) continue;
    readings.push({ value: combined.value, canonical: canonical && !combined.overflow });
  }
  return readings;
}

/** Dotted-decimal text of an address. */
export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** An address from four bytes packed in two 16-bit words (as IPv6 embeds it). */
export function ipv4FromWords(high: number, low: number): number {
  return ((high << 16) >>> 0) + low;
}
