// An IP address a tool looks up (geolocation, whois, reputation) is data, not a destination:
// through the real engine and inspector, a private address passes such a tool, and every
// call that would steer a server to connect inside is still refused (a URL in the same
// argument, an odd spelling, a tool that connects, an unlisted tool, a url argument).
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { Engine } from '../../src/engine/engine.js';
import { buildInspector } from '../../src/inspect/build.js';
import { isLookedUpAddress, isPlainAddress } from '../../src/inspect/looked-up-address.js';

const policy = compilePolicy({}, ['test']);
const inspect = buildInspector(policy, { realpath: (p) => p });
const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const tool = (name: string, description: string, property: string, propertyDescription = 'The address.') => ({
  name,
  description,
  inputSchema: { type: 'object', properties: { [property]: { type: 'string', description: propertyDescription } } },
});

const geo = tool('locate_ip', 'Returns the city, country and coordinates of an IP address.', 'ip_address', 'The IPv4 or IPv6 address to locate.');
const whois = tool('whoisLookup', 'Registry record (owner, ASN) of a network address.', 'ipAddress');
const reputation = tool('ip_reputation', 'Abuse and blocklist score of an address.', 'ip');
const ping = tool('ping_host', 'Sends ICMP echo requests and returns the round-trip time.', 'ip_address');
const portScan = tool('geo_port_scan', 'Scans the open ports of an address and reports its country.', 'ip');
const fetchUrl = tool('fetch_page', 'Fetches a page and returns its location header and text.', 'url');

function call(tools: object[], name: string, args: Record<string, unknown>): { refused: boolean; rules: string[] } {
  const e = new Engine(policy, { nowUs: () => 0, inspect });
  e.fromClient(frame({ jsonrpc: '2.0', id: 'l', method: 'tools/list' }));
  e.fromServer(frame({ jsonrpc: '2.0', id: 'l', result: { tools } }));
  const out = e.fromClient(frame({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }));
  return { refused: out.outputs.some((o) => o.to === 'client'), rules: out.records[0]?.rules ?? [] };
}

const all = [geo, whois, reputation, ping, portScan, fetchUrl];

describe('a looked-up address is data', () => {
  it.each([
    ['locate_ip', { ip_address: '10.0.0.1' }],
    ['locate_ip', { ip_address: '192.168.1.1' }],
    ['locate_ip', { ip_address: 'fd00::1' }],
    ['whoisLookup', { ipAddress: '172.16.254.1' }],
    ['ip_reputation', { ip: '10.20.30.40' }],
  ])('%s %j passes', (name, args) => {
    expect(call(all, name, args)).toMatchObject({ refused: false });
  });

  it.each([
    ['a URL in the looked-up argument', 'locate_ip', { ip_address: 'http://10.0.0.1/admin' }],
    ['a host and port', 'locate_ip', { ip_address: '10.0.0.1:6379' }],
    ['an odd spelling of an address', 'locate_ip', { ip_address: '0x0a.0.0.1' }],
    ['one integer for an address', 'locate_ip', { ip_address: '2130706433' }],
    ['a tool that connects (ping)', 'ping_host', { ip_address: '10.0.0.1' }],
    ['a tool that names a lookup and connects (port scan)', 'geo_port_scan', { ip: '10.0.0.1' }],
    ['a private URL in a url argument', 'fetch_page', { url: 'http://192.168.1.1/api/v1/status' }],
    ['a tool the listing did not describe', 'get_zipcode_by_ip_address', { ip_address: '10.0.0.1' }],
  ])('refuses %s', (_why, name, args) => {
    expect(call(all, name, args)).toMatchObject({ refused: true, rules: expect.arrayContaining([expect.stringMatching(/^ssrf\./)]) });
  });
});

describe('isLookedUpAddress and isPlainAddress', () => {
  it('needs an IP-named property and lookup words, and no connect words', () => {
    expect(isLookedUpAddress(geo, 'ip_address', geo.inputSchema.properties.ip_address)).toBe(true);
    expect(isLookedUpAddress(geo, 'address', {})).toBe(false);
    expect(isLookedUpAddress(geo, 'host', {})).toBe(false);
    expect(isLookedUpAddress({ name: 'get_status', description: 'Status of a device.' }, 'ip', {})).toBe(false);
    expect(isLookedUpAddress({ name: 'ip_country', description: 'Country of an address, fetched over HTTP from the device.' }, 'ip', {})).toBe(false);
  });

  it('takes only canonical literals alone', () => {
    for (const yes of ['10.0.0.1', '255.255.255.255', '::1', 'fe80::1', '2001:db8:0:0:0:0:0:1']) expect(isPlainAddress(yes)).toBe(true);
    for (const no of ['010.0.0.1', '10.0.0.1 ', '10.0.0.1:80', '10.1', '256.0.0.1', '0x7f000001', 'localhost', '1::2::3', '[::1]']) expect(isPlainAddress(no)).toBe(false);
  });
});
