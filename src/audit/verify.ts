/**
 * Offline verification of a chained audit log.
 *
 * What it detects, naming the first line where the chain breaks:
 * - `altered`: a record whose hash does not match its content (any edit of a chained line), or
 *   a record rewritten with a recomputed hash (its successor no longer points to it);
 * - `removed`: records missing before a line (a seq gap, including at the start of the file);
 * - `reordered`: a record out of place (moved, swapped, or duplicated);
 * - `malformed`: a line that is not a chained record (e.g. an edit that broke the chain fields);
 * - `truncated`: a last line cut off mid-write.
 *
 * What it cannot detect without an anchor kept elsewhere: removal of the last N records, and a
 * rewrite of the whole chain from some record to the end with every hash recomputed. To close
 * that gap, record `lastHash` somewhere the writer of the log cannot change (a ticket, another
 * host) and pass it back as `anchor`: the chain must then contain that record unchanged.
 */
import { readFileSync } from 'node:fs';
import { GENESIS_HASH, chainHash, parseChainLine, readSeq, type ChainLine } from './chain.js';

/** The kinds of break verification can tell apart. */
export type VerifyProblemKind = 'altered' | 'removed' | 'reordered' | 'malformed' | 'truncated';

/** The first break in the chain. `line` is 1-based. */
export interface VerifyProblem {
  line: number;
  seq?: number;
  kind: VerifyProblemKind;
  message: string;
}

/** The outcome of a verification. */
export interface VerifyResult {
  ok: boolean;
  /** Records that verified before the first problem (all of them when ok). */
  records: number;
  problem?: VerifyProblem;
  /** Seq of the last record that verified. */
  lastSeq?: number;
  /** Hash of the last record that verified: keep it outside the log to detect later truncation. */
  lastHash?: string;
}

/** A record known from outside the log (e.g. an earlier `last`) that must still be in it. */
export interface VerifyAnchor {
  seq: number;
  hash: string;
}

type Last = Pick<VerifyResult, 'lastSeq' | 'lastHash'>;

/** Verify a whole chained log held in memory. Pure. */
export function verifyAuditLog(text: string, anchor?: VerifyAnchor): VerifyResult {
  const endsWithNewline = text.endsWith('\n');
  const lines = text === '' ? [] : text.split('\n');
  if (endsWithNewline) lines.pop();
  let expectedSeq = 0;
  let expectedPrev = GENESIS_HASH;
  let last: Last = {};
  let beforeLast: Last = {};
  let anchorFound = false;

  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const raw = lines[index] as string;
    const fail = (problem: VerifyProblem): VerifyResult => ({ ok: false, records: index, problem, ...last });
    const record = parseChainLine(raw);
    if (record === undefined) {
      if (index === lines.length - 1 && !endsWithNewline) {
        return fail({ line, kind: 'truncated', message: `line ${line}: the last line is incomplete (cut off mid-write)` });
      }
      return fail({ line, kind: 'malformed', message: `line ${line}: not a chained audit record (seq, prev or hash missing or damaged)` });
    }
    const { seq } = record;
    if (chainHash(record.prev, record.body) !== record.hash) {
      return fail({ line, seq, kind: 'altered', message: `line ${line} (seq ${seq}): content does not match its hash; the record was altered` });
    }
    if (!isJsonObject(record.body)) {
      return fail({ line, seq, kind: 'malformed', message: `line ${line} (seq ${seq}): the record is not a JSON object` });
    }
    const link = diagnoseLink(lines, index, record, expectedSeq, expectedPrev);
    if (link !== undefined) {
      // A bad link on a record that hashes fine means the previous record was rewritten.
      return link.line === line ? fail(link) : { ok: false, records: index - 1, problem: link, ...beforeLast };
    }
    if (anchor !== undefined && seq === anchor.seq) {
      if (record.hash !== anchor.hash) {
        return fail({ line, seq, kind: 'altered', message: `line ${line} (seq ${seq}): hash differs from the anchor; the chain was rewritten from here or earlier` });
      }
      anchorFound = true;
    }
    expectedSeq = seq + 1;
    expectedPrev = record.hash;
    beforeLast = last;
    last = { lastSeq: seq, lastHash: record.hash };
  }

  if (anchor !== undefined && !anchorFound) {
    const line = lines.length + 1;
    return { ok: false, records: lines.length, problem: { line, seq: anchor.seq, kind: 'removed', message: `the anchored record seq ${anchor.seq} is missing; records were removed from the end` }, ...last };
  }
  return { ok: true, records: lines.length, ...last };
}

/** Read a log file (UTF-8) and verify it. Synchronous: it serves a one-shot CLI command. */
export function verifyAuditFile(path: string, anchor?: VerifyAnchor): VerifyResult {
  return verifyAuditLog(readFileSync(path, 'utf8'), anchor);
}

/**
 * Why a self-consistent record does not follow on from the one before, if it does not. The
 * problem is on this line, except for a rewritten predecessor, which is named instead.
 */
function diagnoseLink(
  lines: readonly string[],
  index: number,
  record: ChainLine,
  expectedSeq: number,
  expectedPrev: string,
): VerifyProblem | undefined {
  const line = index + 1;
  const { seq } = record;
  if (seq === expectedSeq) {
    if (record.prev === expectedPrev) return undefined;
    // The seq fits but the link does not: the record before was replaced by one with a
    // recomputed hash (or, on line 1, the log does not start at the genesis hash).
    if (index === 0) {
      return { line, seq, kind: 'altered', message: 'line 1 (seq 0): does not start from the genesis hash; the record was rewritten' };
    }
    const message = `line ${line - 1} (seq ${seq - 1}): rewritten with a recomputed hash; line ${line} still points to the original`;
    return { line: line - 1, seq: seq - 1, kind: 'altered', message };
  }
  if (seq < expectedSeq) {
    const message = `line ${line}: seq ${seq} appears after seq ${expectedSeq - 1}; a record was moved or duplicated`;
    return { line, seq, kind: 'reordered', message };
  }
  if (laterSeqIndex(lines, index + 1, expectedSeq) >= 0) {
    return { line, seq, kind: 'reordered', message: `line ${line}: seq ${seq} is out of order; seq ${expectedSeq} appears later` };
  }
  const missing = seq - expectedSeq === 1 ? `seq ${expectedSeq} is` : `seq ${expectedSeq}..${seq - 1} are`;
  return { line, seq, kind: 'removed', message: `line ${line}: ${missing} missing before this line; records were removed` };
}

// Index of the first line from `from` that claims the given seq, or -1.
function laterSeqIndex(lines: readonly string[], from: number, seq: number): number {
  for (let index = from; index < lines.length; index++) if (readSeq(lines[index] as string) === seq) return index;
  return -1;
}

function isJsonObject(body: string): boolean {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
