/**
 * whatwgHost reads the commonest URL shape (`https://host/…`) without the URL parser. Held to
 * Node's URL parser itself, which it stands for: the same host and port, or the same failure,
 * on listed odd shapes (userinfo, IPv6, percent-escapes, backslashes, tabs and newlines,
 * unicode and IDNA hosts, every numeric IPv4 form, ports, empty labels) and on generated URLs
 * built from such pieces; and the shortcut is taken for the ordinary shapes it is for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { whatwgHost } from '../../../src/inspect/detectors/network/url-parse.js';
import { corpusStrings } from '../corpus-strings.js';
import { scaled } from '../../test-scale.js';

// What whatwgHost answered before the shortcut: the URL parser's hostname and port.
function parsed(text: string): { host: string; port: string | undefined } | undefined {
  try {
    const url = new URL(text);
    return url.hostname === '' ? undefined : { host: url.hostname, port: url.port === '' ? undefined : url.port };
  } catch {
    return undefined;
  }
}

function expectSame(text: string): void {
  expect([text, whatwgHost(text)]).toEqual([text, parsed(text)]);
}

const SCHEMES = ['https://', 'http://', 'ws://', 'wss://', 'ftp://', 'HTTPS://', 'Http://', 'file://', 'gopher://', 'https:/', 'https:///', 'https:\\\\', 'https:', ' https://', '\thttps://', 'https://\t', 'h\ttps://', 'jar:http://', ''];
const LABELS = ['a', 'api', 'github', 'com', 'example', 'EXAMPLE', 'Com', 'a-b', '-a', 'a-', 'a--b', 'xn--', 'xn--a', 'XN--a', 'xn--nxasmq6b', 'xn--abc', 'x', 'xn', '0', '1', '08', '0x', '0X', '0x7f', '0xg', '127', '255', '4294967295', '2130706433', '1a', 'a1', '09a', '', 'ü', 'ａ', '例え', 'ß', '%41', '%2e', '％', 'a b', 'a\tb', 'a\nb', '*', '_', '~', '!', '$', '\u0000', '\u00ad', '\u200b', 'İ'];
const SEPARATORS = ['.', '.', '.', '。', '．', '..', ''];
const AFTER = ['', '/', '/x', '?q=1', '#f', '/a b', '/%zz', '/\ud800', '/\\x', '\\x', ':', ':80', ':443', ':8080', ':080', ':65536', ':0', ':x', '@evil.com', ':pw@evil.com/', '@', '/@x', '?@x', '#@x', ' x', '\t', '\n/x', '/x\ty', '[', ']'];
const USERINFO = ['', '', '', 'u@', 'u:p@', '@', 'a b@', 'x@y@'];
const HOST_SHAPES = ['[::1]', '[::ffff:127.0.0.1]', '[fe80::1%25eth0]', '[::1', '::1', '127.0.0.1', '127.1', '0177.0.0.1', '0x7f.0.0.1', '0x7f000001', '2130706433', '017700000001', '1.2.3.4.', '256.1.1.1', '1.2.3', 'localhost', 'LOCALHOST', 'a.com.', '.a.com', 'a..com'];

describe('whatwgHost: the plain-URL shortcut answers as the URL parser does', () => {
  it('on listed shapes', () => {
    const listed = ['https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open', 'http://example.com', 'https://a.b.c.d.e/f', 'https://A.COM/x', 'https://a--b.com/', 'https://-a.com/', 'https://xn--a.com/', 'https://a.0x/', 'https://a.0xg/', 'https://a.08/', 'https://a.b1/', 'https://1a/', 'https://a.com.', 'https://a..b/', 'https://a.com?x', 'https://a.com#x', 'http://a.com:80/', 'https://a.com:443', 'ws://a.b/', 'ftp://f.example/x'];
    for (const text of listed) expectSame(text);
    for (const scheme of SCHEMES) for (const user of USERINFO) for (const host of HOST_SHAPES) for (const after of AFTER) expectSame(`${scheme}${user}${host}${after}`);
  });

  it('on generated URLs (property)', () => {
    const host = fc.array(fc.tuple(fc.constantFrom(...LABELS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 5 }).map((parts) => parts.map(([l, s], i) => (i === 0 ? l : s + l)).join(''));
    const url = fc.tuple(fc.constantFrom(...SCHEMES), fc.constantFrom(...USERINFO), fc.oneof(host, fc.constantFrom(...HOST_SHAPES), fc.string({ maxLength: 8 })), fc.constantFrom(...AFTER), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(url, ([scheme, user, h, after, tail]) => {
        expectSame(`${scheme}${user}${h}${after}${tail}`);
      }),
      { numRuns: scaled(20_000) },
    );
  });

  it('on every corpus string and its URLs', () => {
    for (const text of corpusStrings()) {
      expectSame(text);
      for (const m of text.matchAll(/[a-z]{2,6}:\/\/[^\s"'<>]{0,200}/gi)) expectSame(m[0]);
    }
  }, 300_000);

  it('is taken for ordinary URLs: the same object shape, no port', () => {
    // (Not the parser's: a URL the parser would fail on cannot be told apart by its answer.)
    expect(whatwgHost('https://api.github.com/repos/x?y=1')).toEqual({ host: 'api.github.com', port: undefined });
    expect(whatwgHost('http://Example.COM')).toEqual({ host: 'example.com', port: undefined });
  });
});
