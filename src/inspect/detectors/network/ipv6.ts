/**
 * IPv6 address parsing: eight 16-bit groups, `::` compression, a trailing
 * dotted IPv4 part (`::ffff:127.0.0.1`) and a zone (`fe80::1%eth0`).
 */

/** Eight 16-bit words, most significant first. */
export type Ipv6Words = readonly number[];

const GROUP = /^[0-9a-f]{1,4}$/;
const DOTTED = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$/;

/** Parse the groups on one side of `::`; undefined when one is not 1–4 hex digits. */
function parseGroups(side: string): number[] | undefined {
  if (side === '') return [];
  const groups = side.split(':');
  if (!groups.every((g) => GROUP.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/** Rewrite a trailing dotted IPv4 part as two hex groups; undefined when it is malformed. */
function expandDotted(text: string): string | undefined {
  const at = text.lastIndexOf(':');
  const tail = text.slice(at + 1);
  if (!tail.includes('.')) return text;
  const m = DOTTED.exec(tail);
  if (m === null) return undefined;
  const bytes = m.slice(1, 5).map(Number);
  if (bytes.some((b) => b > 255)) return undefined;
  const [a, b, c, d] = bytes as [number, number, number, number];
  return `${text.slice(0, at + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/**
 * Parse a lower-case IPv6 address without brackets; undefined when it is not
 * one. A zone suffix (`%eth0`, or `%25eth0` as URLs write it) is ignored.
 */
export function parseIpv6(input: string): Ipv6Words | undefined {
  const zone = input.indexOf('%');
  const text = expandDotted(zone >= 0 ? input.slice(0, zone) : input);
  if (text === undefined || text.length < 2 || text.length > 64 || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  if (halves.length === 1) return head !== undefined && head.length === 8 ? head : undefined;
  const tail = parseGroups(halves[1] ?? '');
  // Some parsers accept `::` standing for zero groups, so allow eight in total.
  if (head === undefined || tail === undefined || head.length + tail.length > 8) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Compressed text of an address (lower case, longest zero run as `::`). */
export function formatIpv6(words: Ipv6Words): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
