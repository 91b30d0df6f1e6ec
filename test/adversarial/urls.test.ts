/**
 * URLs are read as the server's HTTP stack reads them: Node's WHATWG `URL` decides the host,
 * whatever the other readings find. Each case reaches a loopback, private or metadata host
 * through Node's own `URL` (asserted first, so the case is real), and was let through, or
 * refused only for an unrelated reason, before.
 */
import { describe, expect, test } from 'vitest';
import { blockingCategories, blockingRules, inspectJson } from './inspect-helpers.js';

const INTERNAL = ['ssrf.loopback', 'ssrf.private-address', 'ssrf.metadata-endpoint', 'ssrf.obfuscated-address'];

// [url as the server receives it, the host Node's URL picks]
const CASES: Array<[string, string]> = [
  ['http://a b@127.0.0.1/', '127.0.0.1'],
  ['http://a b@169.254.169.254/latest/meta-data/', '169.254.169.254'],
  ['http://x y z@10.0.0.5:8080/admin', '10.0.0.5'],
  ['http://user:pass word@192.168.1.1/', '192.168.1.1'],
  ['http://a@b c@169.254.169.254/', '169.254.169.254'],
  ['https://example.com and more@127.0.0.1/', '127.0.0.1'],
  ['ftp://a b@127.0.0.1/', '127.0.0.1'],
  ['ws://a b@10.1.2.3/socket', '10.1.2.3'],
  ['http://ａ b@127.0.0.1/', '127.0.0.1'],
  ['http://a\u00a0b@127.0.0.1/', '127.0.0.1'],
  ['http://a\u3000b@169.254.169.254/', '169.254.169.254'],
  [' http://a b@127.0.0.1/ ', '127.0.0.1'],
  ['http://a b@0x7f.1/', '127.0.0.1'],
  ['http://a b@[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
  ['http://a b@metadata.google.internal/', 'metadata.google.internal'],
];

describe('the host WHATWG picks is judged, spaces in the userinfo and all', () => {
  test.each(CASES)('%j under "url"', (url, host) => {
    expect(new URL(url).hostname).toBe(host);
    const rules = blockingRules(inspectJson(JSON.stringify({ url })));
    expect(rules.some((r) => INTERNAL.includes(r) || r === 'ssrf.internal-name' && host.endsWith('.internal'))).toBe(true);
  });

  test.each(CASES)('%j under a name that does not say URL (target, text)', (url, host) => {
    expect(new URL(url).hostname).toBe(host);
    for (const key of ['target', 'text', 'q']) {
      const rules = blockingRules(inspectJson(JSON.stringify({ [key]: url })));
      expect(rules.some((r) => INTERNAL.includes(r) || r === 'ssrf.internal-name')).toBe(true);
    }
  });

  test.each([
    ['curl "http://a b@169.254.169.254/latest/meta-data/"'],
    ["wget -qO- 'http://x y@127.0.0.1:2375/containers/json'"],
  ])('in a command: %s', (command) => {
    const rules = blockingRules(inspectJson(JSON.stringify({ command })));
    expect(rules.some((r) => INTERNAL.includes(r))).toBe(true);
  });
});

describe('URLs without a scheme, as a server that completes them reads them', () => {
  test.each([
    ['//a b@127.0.0.1/', '127.0.0.1'],
    ['\\\\a b@169.254.169.254\\x', '169.254.169.254'],
    ['a b@127.0.0.1/', '127.0.0.1'],
    ['x y@10.0.0.1:8080/admin', '10.0.0.1'],
  ])('%j', (url, host) => {
    const completed = url.startsWith('/') || url.startsWith('\\') ? new URL(url, 'http://base.invalid/') : new URL(`http://${url}`);
    expect(completed.hostname).toBe(host);
    const rules = blockingRules(inspectJson(JSON.stringify({ url })));
    expect(rules.some((r) => INTERNAL.includes(r))).toBe(true);
  });
});

describe('other WHATWG spellings (these were caught before, and still are)', () => {
  test.each([
    'http:\\\\169.254.169.254\\latest',
    'http:/127.0.0.1/',
    'http:127.0.0.1/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://127。0。0。1/',
    'http://１２７.0.0.1/',
    'http://%31%32%37.0.0.1/',
    'http://127.0.0.1%2e/',
    'http://127.0.0.1./',
    'http://a\tb@127.0.0.1/',
    'http://a\nb@127.0.0.1/',
    'http://127.0.0.1\t/',
    'HTTP://①②⑦.0.0.1/',
    'http://[::ffff:7f00:1]/',
    'http://[::1%25eth0]/',
    'http://[fe80::1%25eth0]/',
    'http://127.1:80\\@example.com/',
  ])('%j', (url) => {
    const rules = blockingRules(inspectJson(JSON.stringify({ url })));
    expect(rules.some((r) => INTERNAL.includes(r))).toBe(true);
  });

  test('a NUL inside the userinfo is refused (as a control character, before any host is read)', () => {
    expect(inspectJson(JSON.stringify({ url: 'http://example.com\u0000@127.0.0.1/' })).verdict).toBe('block');
  });
});

describe('ordinary URLs and prose stay quiet', () => {
  test.each([
    { url: 'https://example.com/a b c' },
    { url: 'https://api.github.com/search?q=a b' },
    { text: 'http://example.com is our site, mail bob@example.org' },
    { text: 'see https://docs.example.org/guide and http://example.com/x for more' },
    { command: 'curl "https://api.example.com/v1/items?name=a b"' },
  ])('%j', (args) => {
    expect(blockingCategories(inspectJson(JSON.stringify(args))).has('ssrf')).toBe(false);
  });
});
