/** The kernel's walk: symlinks followed where they are met, before a later `..`; bounded. */
import { describe, expect, test } from 'vitest';
import { MAX_SYMLINKS, magicInText, walkKernel, type Readlink } from '../../../src/inspect/detectors/paths/kernel.js';
import { parsePath } from '../../../src/inspect/detectors/paths/parse.js';
import { renderPath } from '../../../src/inspect/detectors/paths/resolve.js';
import { symlinkTarget } from '../../../src/inspect/build.js';

const POSIX = { type: 'posix' } as const;
const links = (table: Record<string, string>): Readlink => (p) => table[p];
const walk = (path: string, table: Record<string, string>) => {
  const result = walkKernel({ anchor: POSIX, segments: [] }, path.split('/'), links(table));
  return { ...result, text: renderPath(result.path) };
};

describe('walkKernel', () => {
  test.each<[string, Record<string, string>, string]>([
    ['/srv/data/link/../x', { '/srv/data/link': '/etc' }, '/x'],
    ['/srv/data/link/../x', { '/srv/data/link': '../../opt/y' }, '/opt/x'],
    ['/srv/data/a/b/../../c', { '/srv/data/a': 'q/r' }, '/srv/data/q/c'],
    ['/srv/data/hop/../x', { '/srv/data/hop': 'link', '/srv/data/link': '/etc/ssl' }, '/etc/x'],
    ['/srv/data/plain/../x', {}, '/srv/data/x'],
    ['/../../etc/passwd', {}, '/etc/passwd'],
    ['/a/./b//c', {}, '/a/b/c'],
  ])('%s with %j is %s', (path, table, expected) => {
    expect(walk(path, table).text).toBe(expected);
  });

  test('a loop fails after as many links as the kernel follows', () => {
    const asked: string[] = [];
    const result = walkKernel({ anchor: POSIX, segments: [] }, ['a', 'x'], (p) => {
      asked.push(p);
      return p === '/a' ? 'b' : p === '/b' ? 'a' : undefined;
    });
    expect(result.failed).toContain(`${MAX_SYMLINKS}`);
    expect(asked.length).toBeLessThanOrEqual(MAX_SYMLINKS + 2);
  });

  test('nothing past a part that does not exist is looked up (the kernel stops there too)', () => {
    const asked: string[] = [];
    const result = walkKernel({ anchor: POSIX, segments: [] }, ['srv', 'gone', 'a', 'b', '..', 'c'], (p) => {
      asked.push(p);
      return p === '/srv' ? undefined : null;
    });
    expect(asked).toEqual(['/srv', '/srv/gone']);
    expect(renderPath(result.path)).toBe('/srv/gone/a/c');
  });

  test('the edge readlink says which: a link, a plain file, or nothing there', () => {
    expect(symlinkTarget('/proc/self')).toMatch(/^[0-9]+$/);
    expect(symlinkTarget('/')).toBeUndefined();
    expect(symlinkTarget('/no/such/path/here')).toBeNull();
  });

  test('a very long path fails instead of walking on', () => {
    const result = walkKernel({ anchor: POSIX, segments: [] }, Array.from({ length: 10_000 }, () => 'a'), () => undefined);
    expect(result.failed).toBeDefined();
  });

  test.each([
    ['/proc/self/root/etc/passwd', {}, '/proc/self/root'],
    ['/srv/p/etc/passwd', { '/srv/p': '/proc/self/root' }, '/proc/self/root'],
    ['/srv/f/3/x', { '/srv/f': '/dev/fd' }, '/dev/fd'],
    ['/proc/self/task/7/cwd', {}, '/proc/self/task/7/cwd'],
  ])('%s goes through the per-process link %s', (path, table, magic) => {
    expect(walk(path, table as Record<string, string>).magic).toBe(magic);
  });

  test('a link to a Windows path is not guessed at', () => {
    expect(walk('/srv/w/x', { '/srv/w': 'C:\\Windows' }).failed).toBeDefined();
  });

  test('non-POSIX paths are not looked up', () => {
    const asked: string[] = [];
    walkKernel({ anchor: { type: 'drive', letter: 'c' }, segments: [] }, ['a', 'b'], (p) => void asked.push(p) as undefined);
    expect(asked).toEqual([]);
  });
});

describe('magicInText and device paths', () => {
  test('a per-process link is seen in the text alone', () => {
    expect(magicInText({ anchor: POSIX, segments: ['proc', '1', 'cwd', 'x'] })).toBe('/proc/1/cwd');
    expect(magicInText({ anchor: POSIX, segments: ['proc', '1', 'status'] })).toBeUndefined();
  });

  test.each(['\\\\?\\GLOBALROOT\\Device\\X', '\\\\.\\PhysicalDrive0', '\\\\?\\Volume{1}\\a', '\\\\.\\pipe\\p', '\\??\\GLOBALROOT\\x', '\\\\.\\C:'])('%s is absolute, in the device namespace', (text) => {
    const [parsed] = parsePath(text);
    expect(parsed?.start).toMatchObject({ kind: 'absolute', anchor: { type: 'device' } });
  });
});
