/**
 * Writing a client's config safely: a backup first (never over an older backup), then the
 * new text to a temporary file beside it, renamed over the original, with its mode kept.
 * A client that rewrites its file meanwhile (Claude Code does) makes us stop, not clobber.
 */
import { closeSync, constants, copyFileSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, chmodSync, chownSync } from 'node:fs';
import path from 'node:path';
import { VanguardError } from '../errors.js';

/** Read a config as text, refusing bytes that would not survive a UTF-8 round trip. */
export function readConfigText(file: string): string {
  const raw = readFileSync(file);
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) {
    throw new VanguardError('CLIENT_CONFIG', `${file} is not valid UTF-8; nothing was written`, 1);
  }
  return text;
}

/** `20261202T203000Z`: sortable, and legal in a Windows file name. */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/** Copy the file to FILE.vanguard-backup-<stamp>[-n], never replacing an existing file. */
export function writeBackup(file: string, now: Date): string {
  const base = `${file}.vanguard-backup-${backupStamp(now)}`;
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    try {
      // COPYFILE_EXCL fails when the name is taken, so two runs in one second keep both.
      copyFileSync(file, name, constants.COPYFILE_EXCL);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new VanguardError('CLIENT_CONFIG', `too many backups of ${file} in one second; nothing was written`, 1);
}

/**
 * Replace the file's contents with `text` if it still holds `expected`. Writes through a
 * symlink to its target (a dotfiles link stays a link). Returns the backup's path.
 */
export function replaceConfig(file: string, expected: string, text: string, now: Date): string {
  const real = realpathSync(file);
  if (readConfigText(real) !== expected) {
    throw new VanguardError('CLIENT_CONFIG', `${file} changed while vanguard was working; nothing was written, run it again`, 1);
  }
  const stat = statSync(real);
  const backup = writeBackup(file, now);
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.vanguard-${process.pid}-${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', stat.mode & 0o777);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // The umask may have narrowed the mode given to open; set it exactly.
    chmodSync(temp, stat.mode & 0o7777);
    try {
      chownSync(temp, stat.uid, stat.gid);
    } catch {
      // Only root may give a file away; as the owner the file is ours already.
    }
    renameSync(temp, real);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Nothing to clean up.
    }
    throw error;
  }
  return backup;
}
