/**
 * Paths are resolved as the kernel resolves them: symlinks followed part by part before `..`
 * is applied, per-process links (/proc/self/root, /dev/fd/N) refused, relative paths judged
 * from the server's own working directory too, Windows device paths absolute, and the
 * sensitive list covering cloud, cluster, macOS and agent/MCP configuration files.
 * Symlinks here are real, in a temporary folder; each attack was let through before.
 */
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { blockingRules, inspector } from './inspect-helpers.js';
import { inspectArguments } from '../../src/inspect/inspect.js';

let base: string;
let root: string;
let outside: string;

// The file system as the edge shows it (src/inspect/build.ts's symlinkTarget does the same).
const symlinkTarget = (p: string): string | null | undefined => {
  try {
    const stat = lstatSync(p, { throwIfNoEntry: false });
    return stat === undefined ? null : stat.isSymbolicLink() ? readlinkSync(p) : undefined;
  } catch {
    return null;
  }
};

const realpath = (p: string): string | undefined => {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
};

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'vanguard-paths-')));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'sub', 'deep'), { recursive: true });
  mkdirSync(path.join(outside, 'deep'), { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  writeFileSync(path.join(root, 'sub', 'ok.txt'), 'ok');
  // Inside the root, pointing out of it: absolute, relative, and through a second hop.
  symlinkSync('/etc', path.join(root, 'etc-link'));
  symlinkSync(path.join(outside, 'deep'), path.join(root, 'out-abs'));
  symlinkSync('../outside/deep', path.join(root, 'out-rel'));
  symlinkSync('out-rel', path.join(root, 'hop'));
  symlinkSync('sub/deep', path.join(root, 'in-link'));
  symlinkSync('loop-b', path.join(root, 'loop-a'));
  symlinkSync('loop-a', path.join(root, 'loop-b'));
  symlinkSync('/proc/self/root', path.join(root, 'proc-root'));
  symlinkSync('/dev/fd', path.join(root, 'fds'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const check = (p: string, extra: Parameters<typeof inspector>[0] = {}) =>
  inspectArguments({ tool: 'read_file', args: { path: p }, hints: {}, exempt: new Set() }, inspector({ roots: [root], cwd: root, realpath, readlink: symlinkTarget, ...extra }));

describe('symlinks are followed before ".." is applied', () => {
  // [path inside the root as written, where the kernel takes it]
  test.each<[string, string]>([
    ['out-abs/../secret.txt', 'outside/secret.txt'],
    ['out-rel/../secret.txt', 'outside/secret.txt'],
    ['hop/../secret.txt', 'outside/secret.txt'],
    ['out-abs/../../outside/secret.txt', 'outside/secret.txt'],
    ['sub/../out-abs/../secret.txt', 'outside/secret.txt'],
    ['./out-rel/./../secret.txt', 'outside/secret.txt'],
    ['out-abs/..', 'outside'],
    ['etc-link/../tmp', '/tmp'],
  ])('%s (the kernel reaches %s)', (relative) => {
    for (const p of [relative, `${root}/${relative}`]) {
      const result = check(p);
      expect(result.verdict).toBe('block');
      expect(blockingRules(result)).toContain('path.outside-root');
    }
  });

  test('a symlink inside the root to inside the root, followed by "..", stays allowed', () => {
    expect(check('in-link/../ok.txt').verdict).toBe('allow');
    expect(check(`${root}/in-link/../ok.txt`).verdict).toBe('allow');
    expect(check('sub/ok.txt').verdict).toBe('allow');
  });

  test('a symlink loop is refused (the kernel gives up after 40 links)', () => {
    expect(blockingRules(check('loop-a/x'))).toContain('path.outside-root');
  });
});

describe('per-process links reach any file', () => {
  test.each(['/proc/self/root/etc/hostname', '/proc/self/cwd/x', '/proc/thread-self/root/etc/hostname', '/proc/1/root/etc/hostname', '/proc/self/task/1/root/x', '/dev/fd/3/x', '/dev/stdin', 'proc-root/etc/hostname', 'fds/0'])('%s', (p) => {
    for (const roots of [[root], []]) {
      const result = check(p, { roots });
      expect(blockingRules(result)).toContain('path.sensitive-file');
    }
  });
});

describe('a relative path is judged from the server working directory too', () => {
  test('a server started elsewhere opens relative paths there', () => {
    // Inside the root when read from the root; outside when read from the server's cwd.
    expect(check('sub/ok.txt', { serverCwd: outside }).verdict).toBe('block');
    expect(check('sub/ok.txt', { serverCwd: root }).verdict).toBe('allow');
  });

  test('relative to a server cwd that holds the secrets, without roots', () => {
    const result = inspectArguments(
      { tool: 'read_file', args: { path: '.ssh/id_rsa' }, hints: {}, exempt: new Set() },
      inspector({ roots: [], cwd: '/srv/data', serverCwd: '/home/user', readlink: symlinkTarget, realpath }),
    );
    expect(blockingRules(result)).toContain('path.sensitive-file');
  });
});

describe('Windows device-namespace paths are absolute, outside roots and refused', () => {
  test.each([
    '\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\Windows\\System32\\config\\SAM',
    '\\\\.\\GLOBALROOT\\Device\\HarddiskVolume1\\x',
    '\\\\.\\PhysicalDrive0',
    '//./PhysicalDrive0',
    '\\\\?\\Volume{0b3c9f6e-1111-2222-3333-444455556666}\\Users\\ann\\notes.txt',
    '\\\\.\\pipe\\docker_engine',
    '\\\\.\\C:',
    '\\??\\C:\\Windows\\win.ini',
    '\\\\?\\HarddiskVolume2\\x',
  ])('%s', (p) => {
    for (const roots of [[root], []]) {
      expect(check(p, { roots }).verdict).toBe('block');
    }
  });

  test.each(['\\\\?\\C:\\work\\x', '\\\\server\\share\\x', '\\\\?\\UNC\\server\\share\\x'])('%s is outside the roots', (p) => {
    expect(blockingRules(check(p))).toContain('path.outside-root');
  });
});

describe('sensitive locations, with no roots configured', () => {
  test.each([
    '/private/etc/master.passwd',
    '/private/etc/sudoers',
    '/var/root/.ssh/id_ed25519',
    '/private/var/root/.aws/credentials',
    '/var/db/dslocal/nodes/Default/users/root.plist',
    '/var/run/secrets/kubernetes.io/serviceaccount/token',
    '/run/secrets/kubernetes.io/serviceaccount/token',
    '/run/secrets/db_password',
    '~/.aws/config',
    '/home/ann/.aws/config',
    '~/.ssh/config',
    '/Users/ann/.ssh/config',
    '~/.kube/config',
    '~/.docker/config.json',
    '~/.claude.json',
    '~/.claude/settings.json',
    '~/.claude/.credentials.json',
    '~/.cursor/mcp.json',
    '~/.codeium/windsurf/mcp_config.json',
    '/Users/ann/Library/Application Support/Claude/claude_desktop_config.json',
    'C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    '/home/ann/.config/Claude/claude_desktop_config.json',
    '/Users/ann/Library/Application Support/Code/User/mcp.json',
    '/work/project/.vscode/mcp.json',
    '/work/project/.cursor/mcp.json',
    '/work/project/.mcp.json',
    'project/.mcp.json',
  ])('%s', (p) => {
    expect(blockingRules(check(p, { roots: [] }))).toContain('path.sensitive-file');
  });

  test.each(['/work/project/src/index.ts', '/work/project/package.json', '/work/project/.vscode/settings.json', '/work/project/mcp.json', '~/projects/claude-notes.md', '/work/project/docs/config.md', '~/.config/nvim/init.lua'])('ordinary project files stay allowed: %s', (p) => {
    expect(check(p, { roots: [] }).verdict).toBe('allow');
  });
});
