import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupStamp, readConfigText, replaceConfig, writeBackup } from '../../src/clients/write-config.js';

const temp = mkdtempSync(path.join(tmpdir(), 'vanguard-write-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const dir = path.join(temp, String(n++));
  mkdirSync(dir);
  return dir;
};
const now = new Date('2026-12-02T20:30:05.123Z');

describe('backups', () => {
  it('are named with a sortable stamp legal on Windows', () => {
    expect(backupStamp(now)).toBe('20261202T203005Z');
  });

  it('never replace an older backup of the same second', () => {
    const dir = freshDir();
    const file = path.join(dir, 'c.json');
    writeFileSync(file, 'one');
    const first = writeBackup(file, now);
    writeFileSync(file, 'two');
    const second = writeBackup(file, now);
    expect(first).toBe(`${file}.vanguard-backup-20261202T203005Z`);
    expect(second).toBe(`${file}.vanguard-backup-20261202T203005Z-2`);
    expect(readFileSync(first, 'utf8')).toBe('one');
    expect(readFileSync(second, 'utf8')).toBe('two');
  });
});

describe('replaceConfig', () => {
  it('writes the new text, keeps the old one as a backup, and leaves no temporary file', () => {
    const dir = freshDir();
    const file = path.join(dir, 'c.json');
    writeFileSync(file, '{"a":1}\n');
    const backup = replaceConfig(file, '{"a":1}\n', '{"a":2}\n', now);
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}\n');
    expect(readFileSync(backup, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(dir).sort()).toEqual(['c.json', 'c.json.vanguard-backup-20261202T203005Z']);
  });

  it.skipIf(process.platform === 'win32')('keeps the file mode (a config holding keys stays private)', () => {
    const dir = freshDir();
    const file = path.join(dir, 'c.json');
    writeFileSync(file, 'x');
    chmodSync(file, 0o600);
    const backup = replaceConfig(file, 'x', 'y', now);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.platform === 'win32')('writes through a symlink to its target, and the link stays a link', () => {
    const dir = freshDir();
    const target = path.join(dir, 'dotfiles-claude.json');
    const link = path.join(dir, '.claude.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    replaceConfig(link, 'old', 'new', now);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('writes nothing when the file changed after it was read (a client rewrote it)', () => {
    const dir = freshDir();
    const file = path.join(dir, 'c.json');
    writeFileSync(file, 'changed by the client');
    expect(() => replaceConfig(file, 'what we read', 'ours', now)).toThrow('changed while vanguard was working; nothing was written');
    expect(readFileSync(file, 'utf8')).toBe('changed by the client');
    expect(readdirSync(dir)).toEqual(['c.json']);
  });
});

describe('readConfigText', () => {
  it('refuses bytes that are not UTF-8 (they would not survive the rewrite)', () => {
    const file = path.join(freshDir(), 'c.json');
    writeFileSync(file, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect(() => readConfigText(file)).toThrow('is not valid UTF-8; nothing was written');
  });
});
