/**
 * The audit file: appends lines synchronously (a record is on disk, as far as the OS is
 * concerned, before the proxy acts on the decision) and, when chained, seals each line and
 * continues the chain of an existing file. This is the only file I/O in src/audit besides
 * verifyAuditFile.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENESIS_HEAD, chainHash, parseChainLine, sealLine, type ChainHead } from './chain.js';
import { AuditError } from './errors.js';

/** An open audit file. */
export interface AuditFile {
  /** Append one pino line (`{...}\n`), sealed into the chain when chaining is on. */
  write(line: string): void;
  /** Append several lines with one write. */
  writeLines(lines: string[]): void;
  /** Where the chain stands (GENESIS_HEAD when unchained). */
  head(): ChainHead;
  close(): void;
}

/**
 * Open (creating, mode 0600) an audit file for appending. With `chain`, read its last line
 * and continue from it; a last line that is not an intact chained record is an
 * AUDIT_TAIL_INVALID error: continuing would hide the damage behind fresh records.
 */
export function openAuditFile(path: string, options: { chain: boolean }): AuditFile {
  let fd: number;
  let head: ChainHead;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a+', 0o600);
  } catch (error) {
    throw new AuditError('AUDIT_OPEN_FAILED', `cannot open audit file ${path}: ${describe(error)}`, { cause: error });
  }
  try {
    head = options.chain ? readChainHead(fd, path) : { ...GENESIS_HEAD };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let failed: AuditError | undefined;
  let open = true;

  return {
    write(line) {
      this.writeLines([line]);
    },
    writeLines(lines) {
      if (failed !== undefined) throw failed;
      if (!open) return;
      let next = head;
      const texts: string[] = [];
      for (const line of lines) {
        const sealed = options.chain ? sealLine(next, line) : { text: line, head: next };
        texts.push(sealed.text);
        next = sealed.head;
      }
      try {
        writeAll(fd, Buffer.from(texts.join(''), 'utf8'));
      } catch (error) {
        // A failed write may have left half a line; stop, so the damage stays at the end.
        failed = new AuditError('AUDIT_WRITE_FAILED', `cannot write audit file ${path}: ${describe(error)}`, {
          cause: error,
        });
        throw failed;
      }
      head = next;
    },
    head: () => ({ ...head }),
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

// writeSync may write less than asked; loop until the whole line is out.
function writeAll(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
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
