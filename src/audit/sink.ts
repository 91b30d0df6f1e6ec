/**
 * createAuditSink: decision records and operational logs as pino JSON lines, to stderr and/or
 * a file, never to stdout (stdout is the MCP protocol channel).
 */
import pino, { type Logger } from 'pino';
import { createArgumentProcessor, type ArgumentsMode } from './arguments.js';
import { openAuditFile, type ReopenReason } from './audit-file.js';
import { AuditError } from './errors.js';
import { prettyRecord } from './pretty.js';
import { findCopiers } from './stderr-copier.js';
import { STDERR_QUEUE_BYTES, createStderrQueue, type StderrQueue } from './stderr-queue.js';
import { createFallbackRelay } from './stderr-relay.js';
import { bindingsText, decisionLine, levelPrefix } from './line.js';
import { decisionFields, decisionLevel, decisionMessage, decisionText, LEVEL_NUMBERS, shownToolOf, operationalFields, type AuditLevel } from './record.js';
import { createSecretRedactor } from './secret-patterns.js';
import { flat } from './text-memo.js';
import type { AuditSink, DecisionRecord } from './types.js';

// Records made in the same millisecond share one formatted time (and one `,"time":"…"`).
let lastMs = Number.NaN;
let lastIso = '';
let lastField = '';
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
    lastField = `,"time":"${lastIso}"`;
  }
  return lastIso;
}
function timeField(ms: number): string {
  isoTime(ms);
  return lastField;
}

/** How long a record may wait in the queue before it is written. */
const FLUSH_AFTER_MS = 20;
/**
 * How long an operational line may wait while the server has not said anything yet. The
 * first lines of a session (`server started`) are the first the secret rules read, and
 * reading them costs a cold start of their code (tens of ms); written 20 ms on, they would
 * land just when the server's first answer comes back and hold it up. They are written as
 * soon as the server's first message has been decided, or when a decision is queued, or on
 * flush and exit, or after this long at the latest.
 */
const STARTING_FLUSH_AFTER_MS = 1000;
/**
 * A queue this long is written at once, so memory stays bounded under load. Each queued
 * record holds its call's arguments and details: under pipelined calls a queue of 512 lived
 * long enough for young collections to promote it (64 MB promoted over 102 000 calls, 14 full
 * collections); at 128, 38 MB and 10, the shim's CPU over the run 4.5 % lower and its peak
 * 112 -> 109 MB (median of 5, interleaved). A write per 128 records costs little beside making them.
 */
export const FLUSH_AT_RECORDS = 128;

/** Anything with a `write(line)`: a test's collector, a PassThrough, a file stream. */
export interface AuditDestination {
  write(line: string): unknown;
}

/** Options for {@link createAuditSink}. */
export interface AuditSinkOptions {
  /** Name of the server this shim fronts; on every line as `server`. */
  serverName: string;
  /** Id of this shim's run, on every line as `session`; or what makes it when the first line needs it (the start's is made with node:crypto, after the server is spawned). */
  sessionId: string | (() => string);
  /**
   * `true`: write to fd 2 off the protocol path (a bounded queue; lines are dropped and counted
   * when stderr is not read); `false`: not at all; an object: write there (tests).
   */
  stderr: boolean | AuditDestination;
  /** Also append to this file (created 0600, parent directories made). */
  file?: string;
  /** How tools/call arguments are logged; see {@link ArgumentsMode}. */
  arguments: ArgumentsMode;
  /** Extra key globs (`*`, `?`, case-insensitive) whose values are always redacted. */
  redactKeys: string[];
  /** Seal every line of `file` into a hash chain (continuing an existing file's chain). */
  chain: boolean;
  /** Lowest level written; default `info`, which leaves out plain forwards of non-tool methods. */
  level?: AuditLevel;
  /**
   * Redaction by the secret rules inspection runs (src/inspect/secret-redactor.ts), applied
   * to every string of every record after the built-in shapes. Absent: the shapes only.
   */
  redactSecrets?: (text: string) => string;
  /** How stderr lines look: pino's JSON (default), or one readable line per record for a terminal. */
  stderrFormat?: 'json' | 'pretty';
  /** Source of `time`; injected by tests. */
  clock?: () => Date;
}

/**
 * Create the audit sink. Every line goes to every destination; operational logs join the
 * chain too, so the file is one verifiable sequence. File writes are synchronous (a batch per
 * turn), so nothing is lost when the process exits right after a decision, as long as `flush`
 * or `close` runs; stderr is written by a worker through a bounded queue, so a client that
 * never reads it cannot stop the shim (lines past the bound are dropped, counted and reported
 * there once it drains). A failing file write is thrown from the next `record`
 * (AUDIT_WRITE_FAILED) and `failed()` turns true, so the caller can fail closed. Throws
 * AUDIT_OPEN_FAILED / AUDIT_TAIL_INVALID when the file cannot be opened or its chain cannot
 * be continued.
 */
export function createAuditSink(options: AuditSinkOptions): AuditSink {
  // Milliseconds since the epoch; Date.now unless a test brings its own clock.
  const now = options.clock ? () => options.clock!().getTime() : Date.now;
  const makeSessionId = options.sessionId;
  let session = typeof makeSessionId === 'string' ? makeSessionId : undefined;
  const sessionId = (): string => (session ??= (makeSessionId as () => string)());
  const redactText = createSecretRedactor(options.redactSecrets);
  const processArgs = createArgumentProcessor({ mode: options.arguments, redactKeys: options.redactKeys, redactText });
  const redactValue = createArgumentProcessor({ mode: 'redacted', redactKeys: options.redactKeys, redactText });
  // A file opened again while running starts with this line (see openAuditFile).
  const continuation = (reason: ReopenReason): string =>
    `${JSON.stringify({ level: LEVEL_NUMBERS.warn, time: isoTime(now()), server: options.serverName, session: sessionId(), chain: 'continued', reason, msg: 'audit file opened again; this session\'s chain continues from its last record in the previous file' })}\n`;
  const file = options.file === undefined ? undefined : openAuditFile(options.file, { chain: options.chain, continuation });
  // Opened when the first lines are written, not here: the stderr relay is a process of its
  // own, and the server's start (after this sink's, so that the audit file is known good
  // first) should not wait for it.
  let stderr: StderrWriter | undefined;
  let stderrOpen = options.stderr === false;
  const stderrWriter = (): StderrWriter | undefined => {
    if (!stderrOpen) {
      stderrOpen = true;
      // The stderr copy's own warnings, as lines of their own.
      const warning = (fields: Record<string, unknown>, msg: string): string =>
        `${JSON.stringify({ level: LEVEL_NUMBERS.warn, time: isoTime(now()), server: options.serverName, session: sessionId(), ...fields, msg: `${msg} (the audit file, if any, has them)` })}\n`;
      stderr = openStderr(
        options.stderr,
        (dropped) => warning({ dropped }, `stderr was not being read: ${dropped} audit lines were not written to it`),
        (copier, code, signal) => warning({ copier, code, signal }, 'the process copying audit lines to stderr stopped; lines given to it may be missing here'),
      );
    }
    return stderr;
  };

  // Deciding is on the path of every frame; writing it down need not be. A record is
  // queued with its time, and the queue is serialised (redaction, pino) and written in one
  // go shortly after: every FLUSH_AFTER_MS, or sooner when it grows long. `flush()` writes
  // it at once (the CLI calls it on exit), so only a SIGKILL can lose queued records.
  // A decision is queued as it is (its line is made when the queue is written); an
  // operational line as the call that logs it. The queue is three arrays, one entry in each
  // per record (its time, level, and decision or call), not an object per record; made at
  // their full length (the queue is written when it is that long) and kept, not grown again
  // for every batch. An entry written is cleared, so that nothing holds its record.
  const queuedAt: number[] = new Array<number>(FLUSH_AT_RECORDS).fill(0);
  const queuedLevel: AuditLevel[] = new Array<AuditLevel>(FLUSH_AT_RECORDS).fill('info');
  const queued: (DecisionRecord | (() => void) | undefined)[] = new Array<undefined>(FLUSH_AT_RECORDS).fill(undefined);
  let queueLength = 0;
  let writingQueue = false;
  let timer: NodeJS.Timeout | undefined;
  let timerMs = 0;
  // Set once the server's first message has been decided (see STARTING_FLUSH_AFTER_MS).
  let serverSpoke = false;
  let failure: unknown;
  let lines: string[] = [];
  let madeAt = 0;
  // Each queued record's line, in order, into `lines`; the error to keep if one could not be made.
  const writeQueued = (): AuditError | undefined => {
    let unmade: AuditError | undefined;
    // The queue's length is read on every turn: a record queued meanwhile is written too.
    for (let i = 0; i < queueLength; i++) {
      const at = queuedAt[i] as number;
      const item = queued[i] as DecisionRecord | (() => void);
      queued[i] = undefined;
      madeAt = at;
      try {
        if (typeof item === 'function') item();
        else writeDecision(queuedLevel[i] as AuditLevel, item);
      } catch (error) {
        // A record that cannot be made (a fault in redaction or serialisation) must neither
        // kill the shim from this timer nor vanish: its place in the chain says so, and the
        // audit counts as failed, so the next call is refused (fail closed).
        lines.push(unwritableLine(at, error));
        unmade ??= new AuditError('AUDIT_WRITE_FAILED', `an audit record could not be made: ${error instanceof Error ? error.name : typeof error}`, { cause: error });
      }
    }
    return unmade;
  };
  const flushQueue = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    // Not again from within itself (a record queued while the queue is written is written
    // in the same loop, after those before it).
    if (queueLength === 0 || writingQueue) return;
    writingQueue = true;
    let unmade: AuditError | undefined;
    try {
      unmade = writeQueued();
    } finally {
      queueLength = 0;
      writingQueue = false;
    }
    const written = lines;
    lines = [];
    // The file first: it is the record that counts. Its error is kept and thrown from the
    // next record(), after stderr has had the lines, so a full disk still leaves a trace.
    try {
      if (failure === undefined) file?.writeLines(written);
    } catch (error) {
      // Said once, with how many records of this batch the file did not get (stderr did).
      failure = error;
      if (error instanceof Error) error.message += ` (${written.length} audit lines of the last batch were not written to it)`;
    }
    stderrWriter()?.write(options.stderrFormat === 'pretty' ? written.map((line) => `${prettyRecord(line)}\n`) : written);
    // Set after the file has the batch (the stand-in line included), so nothing else of it is lost.
    failure ??= unmade;
  };
  // What stands in the chain for a record that could not be made: no text of the peers.
  const unwritableLine = (at: number, error: unknown): string =>
    `${JSON.stringify({ level: LEVEL_NUMBERS.error, time: isoTime(at), server: options.serverName, session: sessionId(), unwritable: error instanceof Error ? error.name : typeof error, msg: 'an audit record could not be made; later calls are refused' })}\n`;
  // A flush within `ms`; an earlier one already due stands.
  const flushWithin = (ms: number): void => {
    if (timer !== undefined) {
      if (timerMs <= ms) return;
      clearTimeout(timer);
    }
    timerMs = ms;
    // Unref'd: a queue alone does not keep the process alive; exit paths flush.
    timer = setTimeout(flushQueue, ms).unref();
  };
  const enqueue = (at: number, level: AuditLevel, item: DecisionRecord | (() => void)): void => {
    queuedAt[queueLength] = at;
    queuedLevel[queueLength] = level;
    queued[queueLength] = item;
    queueLength += 1;
    if (queueLength >= FLUSH_AT_RECORDS) flushQueue();
    else flushWithin(typeof item === 'function' && !serverSpoke ? STARTING_FLUSH_AFTER_MS : FLUSH_AFTER_MS);
  };
  // pino's level test, by number: a level is written when it is at least the sink's.
  const lowest = LEVEL_NUMBERS[options.level ?? 'info'];
  // (Worked out once per level: asked for every record, the answer is then a comparison of the
  // level's name, not a look-up by it.)
  const debugOn = LEVEL_NUMBERS.debug >= lowest;
  const infoOn = LEVEL_NUMBERS.info >= lowest;
  const warnOn = LEVEL_NUMBERS.warn >= lowest;
  const errorOn = LEVEL_NUMBERS.error >= lowest;
  const enabled = (level: AuditLevel): boolean => (level === 'debug' ? debugOn : level === 'info' ? infoOn : level === 'warn' ? warnOn : level === 'error' ? errorOn : LEVEL_NUMBERS[level] >= lowest);
  const destination: AuditDestination = { write: (line: string) => void lines.push(line) };
  // Made when a line first needs it (one line.ts cannot write), not on the way to starting
  // the server; most sessions never need it.
  let pinoLogger: Logger<never, boolean> | undefined;
  const logger = (): Logger<never, boolean> =>
    (pinoLogger ??= pino(
      {
        level: options.level ?? 'info',
        base: { server: options.serverName, session: sessionId() },
        // The time the record was made, not the time it was written.
        timestamp: () => `,"time":"${isoTime(madeAt)}"`,
        // pino's own numeric levels (the default): `pino-pretty` and `jq 'select(.level>=40)'` read them.
      },
      destination,
    ));
  // Decision lines are written by hand in pino's bytes (line.ts, decisionText); pino writes what that cannot.
  let bindings: string | undefined;
  const prefixes: Record<AuditLevel, string> = { debug: levelPrefix(LEVEL_NUMBERS.debug), info: levelPrefix(LEVEL_NUMBERS.info), warn: levelPrefix(LEVEL_NUMBERS.warn), error: levelPrefix(LEVEL_NUMBERS.error) };
  // A line's head (level, time, server, session) is the same for the records of one level made
  // in one millisecond: made once for a run of them, not joined again per line.
  let headLevel: AuditLevel | undefined;
  let headMs = Number.NaN;
  let head = '';
  const headOf = (level: AuditLevel, ms: number): string => {
    if (level !== headLevel || ms !== headMs) {
      headLevel = level;
      headMs = ms;
      // Flat: every line of the run holds it (text-memo.ts, flat).
      head = flat(prefixes[level] + timeField(ms) + (bindings ??= bindingsText({ server: options.serverName, session: sessionId() })));
    }
    return head;
  };
  const writeDecision = (level: AuditLevel, decision: DecisionRecord): void => {
    // The tool's shown name, redacted once for the msg and the line.
    const shownTool = shownToolOf(decision, redactText);
    const msg = decisionMessage(decision, redactText, shownTool);
    const line = decisionText(headOf(level, madeAt), decision, processArgs, redactValue, redactText, msg, shownTool);
    if (line === undefined) logger()[level](decisionFields(decision, processArgs, redactValue, redactText), msg);
    else lines.push(line);
  };
  // Operational lines (the server started, exited, a signal) in pino's bytes too: pino, its
  // packages and the builtins they load (worker_threads, assert; on Node 24 about 20 ms of
  // CPU per session and 1-3 MB of RSS) are then loaded only for a value that needs its
  // serialisers (an Error under `err`, a bigint).
  const writeOperational = (level: AuditLevel, msg: string, fields: Record<string, unknown> | undefined): void => {
    const shown = operationalFields(fields, redactValue);
    const text = redactText(msg);
    const line = Object.prototype.hasOwnProperty.call(shown, 'err') ? undefined : decisionLine(headOf(level, madeAt), '', '', shown, text);
    if (line === undefined) logger()[level](shown, text);
    else lines.push(line);
  };
  let closed = false;

  return {
    record(decision: DecisionRecord) {
      if (failure !== undefined) throw failure;
      if (closed) return;
      if (!serverSpoke && decision.direction === 'server') {
        serverSpoke = true;
        // The first answer is on its way: the lines of the start may be written now.
        if (queueLength > 0) flushWithin(FLUSH_AFTER_MS);
      }
      const level = decisionLevel(decision);
      // Skip all work for lines the level would drop anyway.
      if (!enabled(level)) return;
      enqueue(now(), level, decision);
    },
    log(level, msg, fields) {
      if (closed || !enabled(level)) return;
      enqueue(now(), level, () => writeOperational(level, msg, fields));
    },
    flush() {
      flushQueue();
      stderr?.flush();
      if (failure !== undefined) throw failure;
    },
    failed() {
      return failure !== undefined;
    },
    reopen() {
      flushQueue();
      if (failure === undefined) file?.reopen();
    },
    close() {
      let stderrDone: Promise<void> = Promise.resolve();
      if (!closed) {
        closed = true;
        flushQueue();
        stderr?.flush();
        file?.close();
        // Bounded: stderr gets a moment to take the last lines, never longer.
        stderrDone = stderr?.close() ?? stderrDone;
      }
      return stderrDone.then(() => (failure === undefined ? undefined : Promise.reject(failure)));
    },
  };
}

/** Where stderr lines go: the test's destination, or fd 2 through the bounded queue. */
interface StderrWriter {
  write(lines: string[]): void;
  flush(): void;
  close(): Promise<void>;
}

function openStderr(
  option: AuditSinkOptions['stderr'],
  notice: (dropped: number) => string,
  stopped: (copier: string, code: number | null, signal: NodeJS.Signals | null) => string,
): StderrWriter | undefined {
  if (option === false) return undefined;
  if (option !== true) return { write: (lines) => lines.forEach((line) => option.write(line)), flush: () => undefined, close: () => Promise.resolve() };
  // A relay process where there is a copier (Perl, or `cat`); elsewhere (Windows) a worker
  // thread, which also takes over from the last copier that stops (see createFallbackRelay).
  const openQueue = (): StderrQueue => createStderrQueue(2, notice);
  const relay = process.platform === 'win32' ? undefined : createFallbackRelay(notice, stopped, findCopiers(), STDERR_QUEUE_BYTES, openQueue);
  if (relay !== undefined) return { write: (lines) => relay.write(lines), flush: () => relay.flush(), close: () => relay.closed() };
  const queue = openQueue();
  return {
    write: (lines) => queue.write(lines),
    flush: () => queue.flush(),
    close: () => {
      queue.close();
      return Promise.resolve();
    },
  };
}
