/**
 * The audit file: appends lines synchronously (a record is on disk, as far as the OS is
 * concerned, before the proxy acts on the decision) and, when chained, seals each line and
 * continues the chain of an existing file. This is the only file I/O in src/audit besides
 * verifyAuditFile.
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENESIS_HEAD, chainHash, parseChainLine, sealLine, type ChainHead } from './chain.js';
import { AuditError } from './errors.js';

/** Why the audit file was opened again while running. */
export type ReopenReason = 'moved' | 'removed' | 'truncated' | 'signal';

/** An open audit file. */
export interface AuditFile {
  /** Append one pino line (`{...}\n`), sealed into the chain when chaining is on. */
  write(line: string): void;
  /** Append several lines with one write. */
  writeLines(lines: string[]): void;
  /** Where the chain stands (GENESIS_HEAD when unchained). */
  head(): ChainHead;
  /** Close and open the path again (logrotate's SIGHUP); a new file gets a continuation record. */
  reopen(): void;
  close(): void;
}

/** Options for {@link openAuditFile}. */
export interface AuditFileOptions {
  chain: boolean;
  /**
   * The line that starts a file opened again while running (the old one was moved, removed
   * or truncated): a JSON object line with `"chain":"continued"`, which verify accepts as
   * the first record of a session whose earlier records are in another file.
   */
  continuation?: (reason: ReopenReason) => string;
}

/**
 * Open (creating, mode 0600) an audit file for appending. With `chain`, read its last line
 * and continue from it; a last line that is not an intact chained record is an
 * AUDIT_TAIL_INVALID error: continuing would hide the damage behind fresh records.
 *
 * Before each write the file is checked (one stat and one fstat per batch): a path that
 * now names another file or none (moved, removed) is opened again, and a file shorter than
 * we left it (truncated) is noticed; either way the next record is a continuation record,
 * so the chain of this session links across the two files.
 */
export function openAuditFile(path: string, options: AuditFileOptions): AuditFile {
  let fd = openPath(path);
  let head: ChainHead;
  try {
    head = options.chain ? readChainHead(fd, path) : { ...GENESIS_HEAD };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let failed: AuditError | undefined;
  let open = true;
  // Where the file ended after our last write; a smaller size means it was truncated.
  let end = fstatSync(fd).size;
  let regular = fstatSync(fd).isFile();
  let reopened: ReopenReason | undefined;

  const reopenAs = (reason: ReopenReason): void => {
    try {
      closeSync(fd);
    } catch {
      // Already gone with its file; the new one is what matters.
    }
    fd = openPath(path);
    const stat = fstatSync(fd);
    end = stat.size;
    regular = stat.isFile();
    reopened = reason;
  };
  // Moved, removed or truncated since our last write?
  const check = (): void => {
    if (!regular) return;
    let current;
    try {
      current = statSync(path);
    } catch {
      reopenAs('removed');
      return;
    }
    const mine = fstatSync(fd);
    if (current.ino !== mine.ino || current.dev !== mine.dev) reopenAs('moved');
    else if (mine.size < end) {
      end = mine.size;
      reopened = 'truncated';
    }
  };

  return {
    write(line) {
      this.writeLines([line]);
    },
    writeLines(lines) {
      if (failed !== undefined) throw failed;
      if (!open) return;
      let next = head;
      const texts: string[] = [];
      let written = 0;
      let before = end;
      try {
        check();
        before = end;
        const all = reopened !== undefined && options.continuation ? [options.continuation(reopened), ...lines] : lines;
        for (const line of all) {
          const sealed = options.chain ? sealLine(next, line) : { text: line, head: next };
          texts.push(sealed.text);
          next = sealed.head;
        }
        const buffer = Buffer.from(texts.join(''), 'utf8');
        written = writeAll(fd, buffer, (n) => (written = n));
        end = regular ? fstatSync(fd).size : end + written;
      } catch (error) {
        // A failed write may have left half a line: cut it off when nobody wrote after it,
        // so the file still verifies up to the last whole record; then stop.
        if (regular && written > 0) {
          try {
            if (fstatSync(fd).size === before + written) ftruncateSync(fd, before);
          } catch {
            // Nothing more can be done; verify will name the torn line.
          }
        }
        failed = new AuditError('AUDIT_WRITE_FAILED', `cannot write audit file ${path}: ${describe(error)}`, {
          cause: error,
        });
        throw failed;
      }
      reopened = undefined;
      head = next;
    },
    head: () => ({ ...head }),
    reopen() {
      if (!open || failed !== undefined) return;
      try {
        const same = regular && statSync(path).ino === fstatSync(fd).ino;
        if (same) return;
        reopenAs('signal');
      } catch {
        try {
          reopenAs('signal');
        } catch (error) {
          failed = new AuditError('AUDIT_WRITE_FAILED', `cannot reopen audit file ${path}: ${describe(error)}`, { cause: error });
        }
      }
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

// Open for appending (O_APPEND: whole batches land at the end, whoever else appends too).
function openPath(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'a+', 0o600);
  } catch (error) {
    throw new AuditError('AUDIT_OPEN_FAILED', `cannot open audit file ${path}: ${describe(error)}`, { cause: error });
  }
}

// writeSync may write less than asked; loop until the whole batch is out. `progress` keeps
// the count known to the caller when a later write throws.
function writeAll(fd: number, buffer: Buffer, progress: (written: number) => void): number {
  let offset = 0;
  while (offset < buffer.length) progress((offset += writeSync(fd, buffer, offset, buffer.length - offset)));
  return offset;
}

/** Read the last line of the file and return the head that continues the chain after it. */
function readChainHead(fd: number, path: string): ChainHead {
  const last = readLastLine(fd);
  if (last === undefined) return { ...GENESIS_HEAD };
  if (last.torn) {
    throw new AuditError(
      'AUDIT_TAIL_INVALID',
      `${path}: the last line is incomplete (a write was cut off); run \`vanguard audit verify\`, then move the file aside`,
    );
  }
  const record = parseChainLine(last.text);
  if (record === undefined || chainHash(record.prev, record.body) !== record.hash) {
    throw new AuditError(
      'AUDIT_TAIL_INVALID',
      `${path}: the last line is not an intact chained audit record; run \`vanguard audit verify\`, then move the file aside`,
    );
  }
  return { nextSeq: record.seq + 1, lastHash: record.hash };
}

// Read backwards in chunks until the last line is whole. 0x0a never occurs inside a multi-byte
// UTF-8 sequence, so splitting bytes at newlines is safe.
function readLastLine(fd: number): { text: string; torn: boolean } | undefined {
  const size = fstatSync(fd).size;
  if (size === 0) return undefined;
  const chunks: Buffer[] = [];
  let position = size;
  let tail = Buffer.alloc(0);
  let torn = false;
  while (position > 0) {
    const length = Math.min(64 * 1024, position);
    position -= length;
    const chunk = Buffer.alloc(length);
    readSync(fd, chunk, 0, length, position);
    chunks.unshift(chunk);
    tail = chunks.length === 1 ? chunk : Buffer.concat(chunks);
    // A file that does not end in a newline ends in a cut-off write.
    torn = tail[tail.length - 1] !== 0x0a;
    const end = torn ? tail.length : tail.length - 1;
    const start = tail.lastIndexOf(0x0a, end - 1);
    if (start >= 0 || position === 0) return { text: tail.subarray(start + 1, end).toString('utf8'), torn };
  }
  return { text: tail.toString('utf8'), torn };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
