/**
 * An IP address a tool looks up is data about that address, not a place the server goes.
 *
 * `get_location(ip_address: "10.0.0.1")`, a whois or reputation query: the server asks a
 * database (or a public API) about the address; it never opens a connection to it. The
 * SSRF detector exists for the other case, a server steered to connect somewhere inside.
 * We tell them apart by what the server's own definition says (the tool's name and
 * description, the property's name and description) and by the value's shape: only a
 * canonical address literal, alone, is data. A URL, a host name, a port, or an odd spelling
 * of an address (hex, octal, one integer) is read as a destination as before. A definition
 * that lies gains its server nothing: SSRF guards an honest server from the model, and a
 * dishonest server can connect wherever it likes without our help.
 */
import type { ArgumentKind } from './types.js';

/** The schema hint: this property holds an address the tool looks up. */
export const LOOKED_UP_ADDRESS = 'looked-up-address';
/** What a schema can say about one property: the kinds, or that it is a looked-up address. */
export type SchemaHint = ArgumentKind | typeof LOOKED_UP_ADDRESS;

// A property whose name says it holds an IP address (ip, ip_address, ipAddress, ipv4, host_ip).
const IP_PROPERTY = /(?:^|_)(?:ip|ips|ipv[46]|ip_?addr(?:ess)?(?:es)?)$/;
// What a lookup of an address answers: where it is, who holds it, what it is known for.
const LOOKUP_WORDS = /\b(?:geo\w*|locat\w*|latitude|longitude|coordinates?|zip ?codes?|postal|country|countries|city|timezone|whois|rdap|asn|isp|registrant|owner|reputation|abuse|blocklist\w*|blacklist\w*|threat|spam|fraud)\b/;
// What connecting to an address looks like: such a tool reaches the address, whatever else it says.
const CONNECT_WORDS = /\b(?:ping\w*|connect\w*|scan\w*|ports?|probe\w*|traceroute|tracert|fetch\w*|request\w*|http|https|download\w*|upload\w*|send\w*|ssh|telnet|ftp|curl|wget|reach\w*|call\w*|invoke\w*|proxy|forward\w*|open\w*|access\w*|login|device|camera|router|printer)\b/;

// Names and descriptions read as lower-case words: `get_zipcode_by_ip_address` reads `get zipcode by ip address`.
function words(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ');
}

function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/** True when a tool's definition says this property is an IP address it looks up, not one it connects to. */
export function isLookedUpAddress(tool: { name: string; description?: unknown }, propertyName: string, property: unknown): boolean {
  if (!IP_PROPERTY.test(snake(propertyName))) return false;
  const described = typeof property === 'object' && property !== null ? (property as { description?: unknown }).description : undefined;
  const said = words([tool.name, typeof tool.description === 'string' ? tool.description : '', typeof described === 'string' ? described : ''].join(' '));
  return LOOKUP_WORDS.test(said) && !CONNECT_WORDS.test(said);
}

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_QUAD = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const IPV6 = /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}$/i;

/** True for an address literal as people write one: canonical dotted quad, or plain IPv6, nothing around it. */
export function isPlainAddress(raw: string): boolean {
  if (DOTTED_QUAD.test(raw)) return true;
  const halves = raw.split('::').length;
  return IPV6.test(raw) && halves <= 2 && (halves === 2 || raw.split(':').length === 8);
}

// The kinds of a looked-up address: text, and nothing that says where a server goes.
const AS_DATA: ReadonlySet<ArgumentKind> = new Set<ArgumentKind>(['text']);

/** The kinds given to a plain address in a looked-up-address property. */
export function addressAsData(): ReadonlySet<ArgumentKind> {
  return AS_DATA;
}

/** True when kinds were given because the string is a looked-up address (its name is no reason to read it as a host). */
export function isAddressAsData(kinds: ReadonlySet<ArgumentKind>): boolean {
  return kinds === AS_DATA;
}
