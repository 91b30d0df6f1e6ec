/** Reading and resolving paths: every form a server accepts lands where the server would. */
import { describe, expect, test } from 'vitest';
import { parsePath } from '../../../src/inspect/detectors/paths/parse.js';
import { isInside, renderPath, resolvePath } from '../../../src/inspect/detectors/paths/resolve.js';
import { parseAbsolute } from '../../../src/inspect/detectors/paths/parse.js';
import { fakeRealpath, pathContext } from './helpers.js';

const resolveAll = (text: string, ctx = pathContext()) =>
  parsePath(text).map((p) => {
    const r = resolvePath(p, ctx, ctx.realpath);
    return r ? renderPath(r.real) : undefined;
  });

describe('resolution', () => {
  test.each([
    ['notes/todo.txt', ['/srv/data/notes/todo.txt']],
    ['./a/./b', ['/srv/data/a/b']],
    ['a/../../x', ['/srv/x']],
    ['../../../../../../etc/passwd', ['/etc/passwd']],
    ['/srv//data///x', ['/srv/data/x']],
    ['~', ['/home/user']],
    ['~/.ssh/id_rsa', ['/home/user/.ssh/id_rsa']],
    ['~\\docs\\a.txt', ['/home/user/docs/a.txt']],
    ['~bob/.netrc', ['/home/bob/.netrc']],
    ['~root/.bashrc', ['/root/.bashrc']],
    ['..\\..\\etc\\hosts', ['/etc/hosts']],
    ['sub\\..//..\\x', ['/srv/x']],
    ['file:///etc/passwd', ['/etc/passwd']],
    ['file://localhost/etc/passwd', ['/etc/passwd']],
    ['file:///etc/%70asswd?x=1#y', ['/etc/passwd']],
    ['file:///C:/Windows/win.ini', ['C:\\Windows\\win.ini']],
    ['file:///c|/x', ['C:\\x']],
    ['file://fileserver/share/a', ['\\\\fileserver\\share\\a']],
    ['C:\\Users\\me\\..\\..\\Windows', ['C:\\Windows']],
    ['c:/data/cars.csv', ['C:\\data\\cars.csv']],
    ['\\\\?\\C:\\secret', ['C:\\secret']],
    ['\\\\.\\C:\\secret', ['C:\\secret']],
    ['\\\\?\\UNC\\host\\share\\f', ['\\\\host\\share\\f']],
    ['\\\\host\\share\\f', ['\\\\host\\share\\f', '/host/share/f']],
    ['//etc/passwd', ['\\\\etc\\passwd', '/etc/passwd']],
    ['..;/..;/x', ['/x']],
  ])('%s → %j', (text, expected) => {
    expect(resolveAll(text)).toEqual(expected);
  });

  test('relative paths start at the first root when there is one', () => {
    expect(resolveAll('x.txt', pathContext({ roots: ['/data/a', '/data/b'], cwd: '/' }))).toEqual(['/data/a/x.txt']);
  });

  test('symlinks are followed, also for a file that does not exist yet', () => {
    const realpath = fakeRealpath(['/srv', '/srv/data', '/srv/data/docs', '/etc', '/etc/passwd'], { '/srv/data/link': '/etc' });
    const ctx = pathContext({ realpath });
    expect(resolveAll('link/passwd', ctx)).toEqual(['/etc/passwd']);
    expect(resolveAll('link/new/deeper/file.txt', ctx)).toEqual(['/etc/new/deeper/file.txt']);
    expect(resolveAll('docs/new.md', ctx)).toEqual(['/srv/data/docs/new.md']);
  });

  test('a deep path that does not exist costs a few realpath calls, not one per part', () => {
    let calls = 0;
    const real = fakeRealpath(['/srv', '/srv/data']);
    const ctx = pathContext({ realpath: (p) => (calls++, real(p)) });
    const deep = Array.from({ length: 1000 }, (_, i) => `d${i}`).join('/');
    expect(resolveAll(deep, ctx)[0]).toBe(`/srv/data/${deep}`);
    expect(calls).toBeLessThan(20);
  });
});

describe('isInside', () => {
  const abs = (text: string) => parseAbsolute(text)!;
  test.each([
    ['/srv/data', '/srv/data', true],
    ['/srv/data/x/y', '/srv/data', true],
    ['/srv/data2', '/srv/data', false],
    ['/srv', '/srv/data', false],
    ['/SRV/data/x', '/srv/data', false],
    ['C:\\Work\\x', 'c:\\work', true],
    ['D:\\work\\x', 'C:\\work', false],
    ['\\\\HOST\\Share\\x', '\\\\host\\share', true],
    ['C:\\srv\\data', '/srv/data', false],
  ])('%s in %s: %s', (path, root, expected) => {
    expect(isInside(abs(path), abs(root))).toBe(expected);
  });
});
