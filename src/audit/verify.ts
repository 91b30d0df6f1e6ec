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
 * Chains are per session: each record carries its session id (`session`), and a session's
 * records link to each other. A session's first record links to the record that ended the
 * file when it opened (any session's, or the genesis hash for an empty file), so two shims
 * appending to one file each keep a chain that verifies, and a session removed whole is
 * seen by the session that linked to it. A session whose earlier records are in another
 * file (the file was rotated, moved or truncated while it ran) starts this file with a
 * continuation record (`"chain":"continued"`): verified alone, the file accepts its link to
 * the outside; verified after the earlier file, the link must meet that file's last record.
 *
 * What it cannot detect without an anchor kept elsewhere: removal of the last N records, and a
 * rewrite of the whole chain from some record to the end with every hash recomputed. To close
 * that gap, record `lastHash` somewhere the writer of the log cannot change (a ticket, another
 * host) and pass it back as `anchor`: the chain must then contain that record unchanged.
 */
import { readFileSync } from 'node:fs';
import { GENESIS_HASH, chainHash, parseChainLine } from './chain.js';
import { parseJson } from '../protocol/escaped-keys.js';

/** The kinds of break verification can tell apart. */
export type VerifyProblemKind = 'altered' | 'removed' | 'reordered' | 'malformed' | 'truncated';

/** The first break in the chain. `line` is 1-based, within `file` when several were read. */
export interface VerifyProblem {
  line: number;
  seq?: number;
  kind: VerifyProblemKind;
  message: string;
  file?: string;
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
  /** Sessions (chains) seen, when more than one. */
  sessions?: number;
  /** Continuation records whose earlier records are not in what was read (a rotated-away file). */
  continued?: number;
}

/** A record known from outside the log (e.g. an earlier `last`) that must still be in it. */
export interface VerifyAnchor {
  seq: number;
  hash: string;
}

/** One file's text, with the name problems are reported under. */
export interface NamedLog {
  name?: string;
  text: string;
}

// Where one session's chain stands.
interface SessionState {
  seq: number;
  hash: string;
  /** Where that record is, and what had verified before it (to name it when it was rewritten). */
  line: number;
  file?: string;
  before: { records: number; last: Pick<VerifyResult, 'lastSeq' | 'lastHash'> };
}

/** Verify a whole chained log held in memory. Pure. */
export function verifyAuditLog(text: string, anchor?: VerifyAnchor): VerifyResult {
  return verifyAuditLogs([{ text }], anchor);
}

/**
 * Verify files that follow on from each other (a rotated file, then its successor), as one
 * log: each session's chain may cross from one file into the next. Pure.
 */
export function verifyAuditLogs(logs: readonly NamedLog[], anchor?: VerifyAnchor): VerifyResult {
  const sessions = new Map<string, SessionState>();
  // Every hash seen so far, with its seq: a session's first record links to one of them.
  const known = new Map<string, number>([[GENESIS_HASH, -1]]);
  let records = 0;
  let continued = 0;
  let last: Pick<VerifyResult, 'lastSeq' | 'lastHash'> = {};
  let anchorFound = false;
  const counts = () => ({ ...(sessions.size > 1 && { sessions: sessions.size }), ...(continued > 0 && { continued }) });
  const finish = (extra: Partial<VerifyResult>): VerifyResult => ({ ok: false, records, ...last, ...counts(), ...extra });

  for (const log of logs) {
    const text = log.text;
    const endsWithNewline = text.endsWith('\n');
    const lines = text === '' ? [] : text.split('\n');
    if (endsWithNewline) lines.pop();
    const at = (line: number) => (log.name === undefined ? `line ${line}` : `${log.name}: line ${line}`);
    const fail = (problem: VerifyProblem) => finish({ problem: log.name === undefined ? problem : { ...problem, file: log.name } });

    for (let index = 0; index < lines.length; index++) {
      const line = index + 1;
      const raw = lines[index] as string;
      const record = parseChainLine(raw);
      if (record === undefined) {
        if (index === lines.length - 1 && !endsWithNewline) {
          return fail({ line, kind: 'truncated', message: `${at(line)}: the last line is incomplete (cut off mid-write)` });
        }
        return fail({ line, kind: 'malformed', message: `${at(line)}: not a chained audit record (seq, prev or hash missing or damaged)` });
      }
      const { seq } = record;
      if (chainHash(record.prev, record.body) !== record.hash) {
        return fail({ line, seq, kind: 'altered', message: `${at(line)} (seq ${seq}): content does not match its hash; the record was altered` });
      }
      const fields = jsonObject(record.body);
      if (fields === undefined) {
        return fail({ line, seq, kind: 'malformed', message: `${at(line)} (seq ${seq}): the record is not a JSON object` });
      }
      const session = typeof fields.session === 'string' ? fields.session : '';
      const state = sessions.get(session);
      if (state !== undefined) {
        // Within a session: the next seq, pointing at the session's last record.
        if (seq <= state.seq) {
          return fail({ line, seq, kind: 'reordered', message: `${at(line)}: seq ${seq} appears after seq ${state.seq} of its session; a record was moved or duplicated` });
        }
        if (seq > state.seq + 1) {
          const later = laterSession(lines, index + 1, session, state.seq + 1);
          if (later) return fail({ line, seq, kind: 'reordered', message: `${at(line)}: seq ${seq} is out of order; seq ${state.seq + 1} appears later` });
          const missing = seq - state.seq === 2 ? `seq ${state.seq + 1} is` : `seq ${state.seq + 1}..${seq - 1} are`;
          return fail({ line, seq, kind: 'removed', message: `${at(line)}: ${missing} missing before this line; records were removed` });
        }
        if (record.prev !== state.hash) {
          // This record hashes fine but the link does not: the one before was rewritten.
          const where = state.file === undefined ? `line ${state.line}` : `${state.file}: line ${state.line}`;
          records = state.before.records;
          last = state.before.last;
          const problem: VerifyProblem = { line: state.line, seq: state.seq, kind: 'altered', message: `${where} (seq ${state.seq}): rewritten with a recomputed hash; ${at(line)} still points to the original` };
          return finish({ problem: state.file === undefined ? problem : { ...problem, file: state.file } });
        }
      } else if (fields.chain === 'continued' && !known.has(record.prev)) {
        // A session carried on from a file that was not read: its link leads outside.
        continued += 1;
      } else {
        // A session's first record: it links to a record already read (or the genesis hash).
        const linked = known.get(record.prev);
        if (linked === undefined) {
          if (records === 0 && seq > 0) {
            const missing = seq === 1 ? 'seq 0 is' : `seq 0..${seq - 1} are`;
            return fail({ line, seq, kind: 'removed', message: `${at(line)}: ${missing} missing before this line; records were removed` });
          }
          const what = records === 0 ? 'does not start from the genesis hash' : 'links to a record that is not in the log (not the genesis hash, not an earlier record)';
          return fail({ line, seq, kind: 'altered', message: `${at(line)} (seq ${seq}): ${what}; records before it were removed or rewritten` });
        }
        if (seq !== linked + 1 && seq !== 0) {
          return fail({ line, seq, kind: 'reordered', message: `${at(line)} (seq ${seq}): follows seq ${linked} but does not continue it` });
        }
      }
      if (anchor !== undefined && seq === anchor.seq) {
        if (record.hash === anchor.hash) anchorFound = true;
        else if (sessions.size <= 1 && (state !== undefined || sessions.size === 0)) {
          return fail({ line, seq, kind: 'altered', message: `${at(line)} (seq ${seq}): hash differs from the anchor; the chain was rewritten from here or earlier` });
        }
      }
      sessions.set(session, { seq, hash: record.hash, line, ...(log.name !== undefined && { file: log.name }), before: { records, last } });
      known.set(record.hash, seq);
      records += 1;
      last = { lastSeq: seq, lastHash: record.hash };
    }
  }

  if (anchor !== undefined && !anchorFound) {
    return finish({ problem: { line: records + 1, seq: anchor.seq, kind: 'removed', message: `the anchored record seq ${anchor.seq} is missing; records were removed from the end` } });
  }
  return { ok: true, records, ...last, ...counts() };
}

/** Read a log file (UTF-8) and verify it. Synchronous: it serves a one-shot CLI command. */
export function verifyAuditFile(path: string, anchor?: VerifyAnchor): VerifyResult {
  return verifyAuditLog(readFileSync(path, 'utf8'), anchor);
}

/** Read files that follow on from each other, oldest first, and verify them as one log. */
export function verifyAuditFiles(paths: readonly string[], anchor?: VerifyAnchor): VerifyResult {
  return verifyAuditLogs(paths.map((name) => ({ name, text: readFileSync(name, 'utf8') })), anchor);
}

// Whether a later line of the same session claims the given seq (a reorder, not a removal).
function laterSession(lines: readonly string[], from: number, session: string, seq: number): boolean {
  for (let index = from; index < lines.length; index++) {
    const record = parseChainLine(lines[index] as string);
    if (record?.seq !== seq) continue;
    const fields = jsonObject(record.body);
    if ((typeof fields?.session === 'string' ? fields.session : '') === session) return true;
  }
  return false;
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = parseJson(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
