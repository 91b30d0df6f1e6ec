/** The paths detector end to end: which rule fires for which path, with and without roots. */
import { describe, expect, test } from 'vitest';
import { PATH_RULES } from '../../../src/inspect/detectors/paths/index.js';
import { detect, fakeRealpath, pathContext, rulesFor, str } from './helpers.js';

const T = PATH_RULES.traversal;
const OUT = PATH_RULES.outsideRoot;
const DENIED = PATH_RULES.denied;
const SENS = PATH_RULES.sensitive;

describe('without roots', () => {
  test.each([
    // traversal sequences, in every spelling the detector decodes itself
    ['../../../../etc/passwd', [SENS, T]],
    ['../../secrets.txt', [T]],
    ['..\\..\\..\\windows\\win.ini', [SENS, T]],
    ['/../../etc/hosts', [T]],
    ['/var/www/../../../etc/hosts', [T]],
    ['....//....//notes.txt', [T]],
    ['..;/..;/admin', [T]],
    ['%2e%2e/notes.txt', [T]],
    ['%2e%2e%2f%2e%2e%2fetc%2fhosts', [T]],
    ['..%2f..%2f..%2fetc%2fshadow', [SENS, T]],
    ['..%c0%af..%c0%afnotes.txt', [T]],
    ['%c0%ae%c0%ae%c0%afnotes.txt', [T]],
    ['..%c1%9c..%c1%9cnotes.txt', [T]],
    ['%252e%252e%252fnotes.txt', [T]],
    ['%uff0e%uff0e%u2215notes.txt', [T]],
    ['0x2e0x2e0x2fnotes.txt', [T]],
    ['．．／．．／notes.txt', [T]],
    ['../../../etc/passwd\u0000.png', [SENS, T]],
    ['AAAAAAAAAAAA/../etc/hosts', [T]],
    ['../etc/passwd', [T]],
    ['~/../../etc/hosts', [T]],
    ['file:///srv/data/../../../etc/hosts', [T]],
    // sensitive files, however they are named
    ['/etc/shadow', [SENS]],
    ['file:///etc/passwd', [SENS]],
    ['file://localhost/etc/%70asswd', [SENS]],
    ['~/.ssh/id_ed25519', [SENS]],
    ['/Users/ann/.ssh/id_rsa', [SENS]],
    ['/root/.aws/credentials', [SENS]],
    ['~/.config/gcloud/application_default_credentials.json', [SENS]],
    ['~/.docker/config.json', [SENS]],
    ['~bob/.git-credentials', [SENS]],
    ['.env', [SENS]],
    ['app/.env.local', [SENS]],
    ['/proc/self/environ', [SENS]],
    ['/proc/1/cmdline', [SENS]],
    ['C:\\Windows\\System32\\config\\SAM', [SENS]],
    ['\\\\?\\C:\\Windows\\System32\\config\\SAM', [SENS]],
    ['\\WINDOWS\\win.ini', [SENS]],
    ['//etc//shadow', [SENS]],
    ['／etc／shadow', [SENS]],
    ['/etc/pass%77d', [SENS]],
    ['C:\\Windows\\System32\\config\\SAM.', [SENS]],
    ['C:\\Windows\\System32\\config\\SAM::$DATA', [SENS]],
    ['C:..\\..\\Windows\\win.ini', [SENS, T]],
    ['/ETC/SHADOW', [SENS]],
  ])('%s → %j', (raw, expected) => {
    expect(rulesFor(raw)).toEqual(expected);
  });

  test.each([
    ['../README.md', 'one plain level up, to a sibling'],
    ['../other-project/src/index.ts', 'one plain level up, deeper down'],
    ['reports/2024/../2025/summary.md', '.. that stays inside'],
    ['/home/user/projects/app/../lib/index.ts', 'absolute, .. inside'],
    ['/etc/hosts', 'absolute outside any root, not sensitive'],
    ['/srv/data/reports/q3.csv', 'absolute'],
    ['C:\\Users\\me\\Documents\\report.docx', 'Windows absolute'],
    ['./résumé-template.docx', 'accents'],
    ['budget v2 (final).xlsx', 'spaces and brackets'],
    ['release..notes.md', '.. inside a name'],
    ['v1.2..v1.3/diff.txt', '.. inside a name, with a separator'],
    ['~/.ssh/id_rsa.pub', 'a public key'],
    ['~/.ssh/known_hosts', 'known hosts'],
    ['.env.example', 'an example env file'],
    ['config/.env.sample', 'a sample env file'],
    ['docs/env.md', 'env in a name'],
    ['100%25 done/notes.md', 'an escaped percent'],
    ['https://example.com/a/../b.txt', 'a URL in a path argument'],
  ])('%s is allowed (%s)', (raw) => {
    expect(rulesFor(raw)).toEqual([]);
  });
});

describe('with roots', () => {
  const rooted = pathContext({ roots: ['/srv/data'] });
  test.each([
    ['/etc/hosts', [OUT]],
    ['../README.md', [OUT]],
    ['/srv/data2/report.csv', [OUT]],
    ['/srv', [OUT]],
    ['~/notes.txt', [OUT]],
    ['C:\\data\\cars.csv', [OUT]],
    ['\\\\fileserver\\share\\x.docx', [OUT]],
    ['file:///tmp/x', [OUT]],
    ['../../../../etc/passwd', [OUT, SENS, T]],
    ['%2e%2e/x', [OUT, T]],
  ])('%s → %j', (raw, expected) => {
    expect(rulesFor(raw, rooted)).toEqual(expected);
  });

  test.each([['reports/q3.csv'], ['/srv/data/reports/q3.csv'], ['/srv/data'], ['./a/../b.txt'], ['file:///srv/data/x.md'], ['a/b/../../c.txt']])(
    '%s is inside',
    (raw) => {
      expect(rulesFor(raw, rooted)).toEqual([]);
    },
  );

  test('sensitive files inside a root are still refused', () => {
    expect(rulesFor('/srv/data/.env', rooted)).toEqual([SENS]);
  });

  test('a symlink inside the root that points out of it is followed', () => {
    const realpath = fakeRealpath(['/srv', '/srv/data', '/srv/data/docs', '/etc', '/etc/passwd', '/etc/hosts'], { '/srv/data/link': '/etc' });
    const ctx = pathContext({ roots: ['/srv/data'], realpath });
    expect(rulesFor('link/hosts', ctx)).toEqual([OUT]);
    expect(rulesFor('/srv/data/link/passwd', ctx)).toEqual([OUT, SENS]);
    expect(rulesFor('link/not-yet-written.txt', ctx)).toEqual([OUT]);
    expect(rulesFor('docs/new.md', ctx)).toEqual([]);
    expect(rulesFor('docs', ctx)).toEqual([]);
  });

  test('a symlink outside the root that points into it is judged where it lands', () => {
    const realpath = fakeRealpath(['/srv', '/srv/data', '/srv/data/x', '/tmp'], { '/tmp/in': '/srv/data' });
    expect(rulesFor('/tmp/in/x', pathContext({ roots: ['/srv/data'], realpath }))).toEqual([]);
  });

  test('Windows roots compare without case', () => {
    const ctx = pathContext({ roots: ['C:\\Work'], cwd: 'C:\\Work', home: 'C:\\Users\\me', realpath: () => undefined });
    expect(rulesFor('c:/work/notes.md', ctx)).toEqual([]);
    expect(rulesFor('notes.md', ctx)).toEqual([]);
    expect(rulesFor('C:\\Workshop\\x', ctx)).toEqual([OUT]);
    expect(rulesFor('~/.ssh/id_rsa', ctx)).toEqual([OUT, SENS]);
    expect(rulesFor('~bob/.aws/credentials', ctx)).toEqual([OUT, SENS]);
  });

  test('roots that are not absolute leave nothing inside (fail closed)', () => {
    expect(rulesFor('x.txt', pathContext({ roots: ['relative/root'] }))).toEqual([OUT]);
  });
});

describe('denied globs', () => {
  const ctx = pathContext({ deny: ['**/*.pem', '/srv/data/private/**', '~/Documents/**', 'secrets/**', 'C:\\Vault\\**'] });
  test.each([
    ['certs/server.pem', [DENIED]],
    ['/opt/x/KEY.PEM', [DENIED]],
    ['/srv/data/private/plan.md', [DENIED]],
    ['/srv/data/private', [DENIED]],
    ['private/plan.md', [DENIED]],
    ['file:///srv/data/private/plan.md', [DENIED]],
    ['~/Documents/taxes.pdf', [DENIED]],
    ['secrets/api.txt', [DENIED]],
    ['c:/vault/x', [DENIED]],
    ['/srv/data/privateer/plan.md', []],
    ['certs/server.crt', []],
  ])('%s → %j', (raw, expected) => {
    expect(rulesFor(raw, ctx)).toEqual(expected);
  });

  test('a glob with many stars stays linear on long names (the test would hang otherwise)', () => {
    const ctx = pathContext({ deny: ['*a*a*a*a*a*a*a*b', '**/*a*a*a*a*a*a*a*b/**'] });
    expect(rulesFor(`${'a'.repeat(250)}/${'a'.repeat(250)}/${'a'.repeat(250)}`, ctx)).toEqual([]);
    expect(rulesFor(`${'a'.repeat(200)}b`, ctx)).toEqual([DENIED]);
  });

  test('an extglob the linear engine cannot run still matches', () => {
    expect(rulesFor('/srv/data/notes/x.md', pathContext({ deny: ['/srv/data/!(public)/**'] }))).toEqual([DENIED]);
    expect(rulesFor('/srv/data/public/x.md', pathContext({ deny: ['/srv/data/!(public)/**'] }))).toEqual([]);
  });

  test('a glob without a slash matches the file name anywhere', () => {
    expect(rulesFor('a/b/c/id.key', pathContext({ deny: ['*.key'] }))).toEqual([DENIED]);
  });

  test('the resolved path is what is matched, through symlinks', () => {
    const realpath = fakeRealpath(['/srv', '/srv/data', '/home', '/home/user', '/home/user/.ssh', '/home/user/.ssh/known_hosts'], { '/srv/data/s': '/home/user/.ssh' });
    expect(rulesFor('s/known_hosts', pathContext({ deny: ['~/.ssh/**'], realpath }))).toEqual([DENIED]);
  });
});

describe('findings', () => {
  test('one finding per rule and string, naming the argument, the spelling and the rule', () => {
    const findings = detect([str('../../../../etc/passwd', [], 'paths', 'paths[1]')]);
    expect(findings.map((f) => f.ruleId).sort()).toEqual([SENS, T]);
    const traversal = findings.find((f) => f.ruleId === T)!;
    expect(traversal).toMatchObject({ category: 'path-traversal', severity: 'high', path: 'paths[1]', evidence: '../../../../etc/passwd' });
    expect(traversal.message).toContain('climbs 4 levels');
  });

  test('a finding from a decoded spelling says which decoding showed it', () => {
    const [finding] = detect([str('%2e%2e/x', [{ text: '../x', via: 'url' }])]);
    expect(finding).toMatchObject({ ruleId: T, evidence: '../x (after url)' });
    expect(finding!.message).toContain('encoding');
  });

  test('the outside-root message names the resolved path and the roots', () => {
    const [finding] = detect([str('../x.txt')], pathContext({ roots: ['/srv/data'] }));
    expect(finding!.message).toBe('Refused: the path resolves to /srv/x.txt, outside the folders this server may use (/srv/data); use a path inside them.');
  });

  test('evidence stays short for a long path', () => {
    const findings = detect([str(`${'A'.repeat(5000)}/../../../../etc/passwd`)]);
    for (const f of findings) expect(f.evidence.length).toBeLessThanOrEqual(82);
  });

  test('strings that are not paths are not inspected', () => {
    expect(detect([str('../../../../etc/passwd', [], 'message')], pathContext(), ['text'])).toEqual([]);
  });

  test('each string of an array is inspected on its own', () => {
    const findings = detect([str('a.txt', [], 'paths', 'paths[0]'), str('/etc/shadow', [], 'paths', 'paths[1]')]);
    expect(findings.map((f) => [f.path, f.ruleId])).toEqual([['paths[1]', SENS]]);
  });

  test('a realpath that throws makes inspection throw (the caller blocks)', () => {
    const ctx = pathContext({
      realpath: () => {
        throw new Error('EACCES');
      },
    });
    expect(() => detect([str('x')], ctx)).toThrow('EACCES');
  });
});
