/** Address parsing and classification: IPv4 in every radix and short form, IPv6, ranges, names. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { endsInNumber, formatIpv4, readIpv4 } from '../../../src/inspect/detectors/network/ipv4.js';
import { formatIpv6, parseIpv6 } from '../../../src/inspect/detectors/network/ipv6.js';
import { addressesInName, classifyName } from '../../../src/inspect/detectors/network/names.js';
import { classifyIpv4, classifyIpv6 } from '../../../src/inspect/detectors/network/ranges.js';
import { judgeHost } from '../../../src/inspect/detectors/network/host.js';
import { hostGlobMatch } from '../../../src/inspect/detectors/network/host-lists.js';

const v4 = (host: string) => readIpv4(host).map((r) => `${formatIpv4(r.value)}${r.canonical ? '' : '*'}`);

describe('IPv4 readings', () => {
  test.each<[string, string[]]>([
    ['127.0.0.1', ['127.0.0.1']],
    ['127.1', ['127.0.0.1*']],
    ['127.0.1', ['127.0.0.1*']],
    ['2130706433', ['127.0.0.1*']],
    ['0x7f000001', ['127.0.0.1*']],
    // as decimal, 17700000001 is beyond 32 bits, so only the octal reading stands
    ['017700000001', ['127.0.0.1*']],
    ['0177.0.0.1', ['127.0.0.1*', '177.0.0.1*']],
    ['0x7f.1', ['127.0.0.1*']],
    ['0x7f.0x0.0.01', ['127.0.0.1*']],
    ['0', ['0.0.0.0*']],
    ['0x', ['0.0.0.0*']],
    ['10.1', ['10.0.0.1*']],
    ['127.0.0.1.', ['127.0.0.1*']],
    ['08.0.0.1', ['8.0.0.1*']],
    ['255.255.255.255', ['255.255.255.255']],
    ['4294967295', ['255.255.255.255*']],
  ])('%s', (host, expected) => {
    expect(v4(host)).toEqual(expected);
  });

  test.each(['256.0.0.1', '1.2.3.4.5', '4294967296', '3.321.3232.2', '1.2.65536', '0x1g', '1..2', '', '99999999999999999999'])('not an address: %j', (host) => {
    expect(readIpv4(host)).toEqual([]);
  });

  test.each<[string, string[]]>([
    ['4294967296', ['0.0.0.0*']],
    ['6425673729', ['127.0.0.1*']],
    ['127.0.0.256', ['127.0.1.0*']],
    ['127.65536', ['127.1.0.0*']],
    ['0x17f000001', ['127.0.0.1*']],
  ])('past 32 bits, read wrapped on request (as some resolvers read it): %s', (host, expected) => {
    expect(readIpv4(host, true).map((r) => `${formatIpv4(r.value)}${r.canonical ? '' : '*'}`)).toEqual(expected);
  });

  test.each(['3.321.3232.2', '256.0.0.1', '1.2.3.4.5'])('a large part before the last is not an address even wrapped: %s', (host) => {
    expect(readIpv4(host, true)).toEqual([]);
  });

  test('a host past 32 bits is judged wrapped, and as a disguised address', () => {
    expect(judgeHost('6425673729', false).map((h) => h.ruleId).sort()).toEqual(['ssrf.loopback', 'ssrf.obfuscated-address']);
  });

  test.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['0x7f', true],
    ['example.0x', true],
    ['10.0.0.1.example.com', false],
    ['1u.ms', false],
    ['127.0.0.1.', true],
  ])('ends in a number: %s → %s', (host, expected) => {
    expect(endsInNumber(host)).toBe(expected);
  });

  test('every spelling of an address reads back as that address', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
        const b = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255] as const;
        const spellings = [
          String(value),
          `0x${value.toString(16)}`,
          `0${value.toString(8)}`,
          b.map((x) => `0x${x.toString(16)}`).join('.'),
          b.map((x) => `0${x.toString(8)}`).join('.'),
          `${b[0]}.${value & 0xffffff}`,
          `${b[0]}.${b[1]}.${value & 0xffff}`,
          `0x${b[0].toString(16)}.0${b[1].toString(8)}.${value & 0xffff}`,
        ];
        for (const s of spellings) expect(readIpv4(s).map((r) => r.value)).toContain(value);
      }),
    );
  });

  test('a disguised private address is judged like the plain one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
        const plain = judgeHost(formatIpv4(value), false).map((h) => h.ruleId);
        const hex = judgeHost(`0x${value.toString(16)}`, false).map((h) => h.ruleId);
        expect(hex).toEqual([...plain, 'ssrf.obfuscated-address']);
      }),
    );
  });
});

describe('IPv6', () => {
  test.each<[string, string | undefined]>([
    ['::1', '::1'],
    ['::', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['0:0:0:0:0:ffff:127.0.0.1', '::ffff:7f00:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['FD00:EC2::254'.toLowerCase(), 'fd00:ec2::254'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    [':::1', undefined],
    ['1::2::3', undefined],
    ['12345::1', undefined],
    ['::ffff:256.0.0.1', undefined],
    ['1:2:3:4:5:6:7', undefined],
    ['std::string', undefined],
  ])('%s', (text, expected) => {
    const words = parseIpv6(text);
    expect(words === undefined ? undefined : formatIpv6(words)).toBe(expected);
  });
});

describe('ranges', () => {
  test.each<[string, string | undefined]>([
    ['8.8.8.8', undefined],
    ['172.15.255.255', undefined],
    ['172.16.0.0', 'private'],
    ['172.32.0.0', undefined],
    ['100.63.255.255', undefined],
    ['100.127.255.255', 'private'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['192.0.0.192', 'metadata'],
    ['192.0.2.1', undefined],
    ['0.1.2.3', 'loopback'],
    ['239.255.255.250', 'private'],
    ['254.0.0.1', 'private'],
  ])('%s → %s', (address, cls) => {
    const [value] = readIpv4(address);
    expect(classifyIpv4(value!.value)?.cls).toBe(cls);
  });

  test.each<[string, string | undefined]>([
    ['2001:4860:4860::8888', undefined],
    ['fe80::1', 'private'],
    ['febf::1', 'private'],
    ['fec0::1', 'private'],
    ['fd00::1', 'private'],
    ['ff02::1', 'private'],
    ['::ffff:8.8.8.8', undefined],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::a9fe:a9fe', 'metadata'],
    ['2002:a9fe:a9fe::', 'metadata'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'],
    ['fd20:ce::254', 'metadata'],
  ])('%s → %s', (address, cls) => {
    expect(classifyIpv6(parseIpv6(address)!)?.cls).toBe(cls);
  });
});

describe('names', () => {
  test.each<[string, boolean, string | undefined]>([
    ['localhost', false, 'loopback'],
    ['foo.localhost', false, 'loopback'],
    ['localhost.example.com', false, undefined],
    ['metadata.google.internal', false, 'metadata'],
    ['api.internal', false, 'internal'],
    ['printer.local', false, 'internal'],
    ['example.com', false, undefined],
    ['redis', true, 'internal'],
    ['redis', false, undefined],
    ['1.2.3.4.nip.io', false, 'rebinding'],
    ['nip.io.example.com', false, undefined],
    ['sub.lvh.me', false, 'loopback'],
  ])('%s (single label counts: %s) → %s', (name, single, cls) => {
    expect(classifyName(name, single)?.cls).toBe(cls);
  });

  test('addresses spelled inside rebinding names', () => {
    const shown = (name: string) => addressesInName(name).map((a) => ('v4' in a ? formatIpv4(a.v4) : formatIpv6(a.v6)));
    expect(shown('10.0.0.1.')).toEqual(['10.0.0.1']);
    expect(shown('app-192-168-1-2.')).toEqual(['192.168.1.2']);
    expect(shown('7f000001.c0a80001.')).toEqual(['127.0.0.1', '192.168.0.1']);
    expect(shown('--1.')).toEqual(['::1']);
    expect(shown('fe80--1.')).toEqual(['fe80::1']);
    expect(shown('www.')).toEqual([]);
  });
});

describe('host globs', () => {
  test.each<[string, string, boolean]>([
    ['localhost', 'localhost', true],
    ['localhost', 'localhost:3000', false],
    ['localhost:*', 'localhost:3000', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'example.com.evil.net', false],
    ['10.?.0.1', '10.1.0.1', true],
    ['*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['*', '', true],
  ])('%s ~ %s → %s', (glob, text, expected) => {
    expect(hostGlobMatch(glob, text)).toBe(expected);
  });
});
