/**
 * Reads the audit file the shim under test writes, as it grows. The file is the shim's
 * own account of every decision (a server can write anything to stderr, but not here), so
 * verdicts are taken from it, never from wording in an answer.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parseJson } from '../protocol/escaped-keys.js';

/** The fields of an audit line `vanguard test` reads. */
export interface AuditRecord {
  direction?: 'client' | 'server';
  method?: string;
  id?: string | number | null;
  tool?: string;
  verdict?: string;
  rules?: string[];
  reason?: string;
  detail?: Record<string, unknown>;
}

/** Records are written a few milliseconds after the decision; how often to look again. */
const POLL_MS = 5;
/**
 * A last resort only: a live shim writes its records within ~20 ms, and a shim that has
 * exited has written all of them. This bounds a shim that hangs without exiting.
 */
const GIVE_UP_MS = 60_000;

/** Reads new complete lines of `file` on demand. */
export class AuditReader {
  readonly records: AuditRecord[] = [];
  private offset = 0;
  private partial = '';

  constructor(private readonly file: string) {}

  /** Read whatever was appended since the last call. A file not yet created reads as empty. */
  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.alloc(1 << 16);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, this.offset);
        if (n === 0) break;
        this.offset += n;
        this.partial += buffer.toString('utf8', 0, n);
      }
    } finally {
      closeSync(fd);
    }
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        this.records.push(parseJson(line) as AuditRecord);
      } catch {
        // Not ours to judge here: `vanguard audit verify` says what is wrong with a line.
      }
    }
  }

  /**
   * Wait until `find` returns a record. Returns undefined once `ended()` says the shim is
   * gone and a last read found nothing (it flushes everything before exiting).
   */
  async waitFor(find: (records: readonly AuditRecord[]) => AuditRecord | undefined, ended: () => boolean): Promise<AuditRecord | undefined> {
    const started = Date.now();
    for (;;) {
      const wasEnded = ended();
      this.poll();
      const found = find(this.records);
      if (found !== undefined || wasEnded) return found;
      if (Date.now() - started > GIVE_UP_MS) throw new Error(`Vanguard wrote no audit record for the request within ${GIVE_UP_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/**
 * The record of the shim's decision on our request `method` with this id (`client`), or on
 * the server's answer to it (`server`). The method must match too: ids of the server's own
 * requests (roots/list, sampling…) and of the client's answers to them live in another id
 * space and can carry the same number. The one server record without a method is an answer
 * too large to read (`limits.frame`), which the shim answers in the server's place. A call
 * held until the shim has listed the tools (`tools.held-for-list`) is not yet decided: its
 * decision is the record written when it is released.
 */
export function recordFor(records: readonly AuditRecord[], direction: 'client' | 'server', id: string | number, method: string): AuditRecord | undefined {
  return records.find(
    (r) => r.direction === direction && r.id === id && r.verdict !== undefined && r.rules?.includes('tools.held-for-list') !== true && (r.method === method || (direction === 'server' && r.method === undefined && r.rules?.includes('limits.frame') === true)),
  );
}
