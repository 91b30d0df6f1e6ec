/**
 * createAuditSink: decision records and operational logs as pino JSON lines, to stderr and/or
 * a file, never to stdout (stdout is the MCP protocol channel).
 */
import pino, { type Logger } from 'pino';
import { createArgumentProcessor, type ArgumentsMode } from './arguments.js';
import { openAuditFile } from './audit-file.js';
import { DECISION_MSG, decisionFields, decisionLevel, operationalFields, type AuditLevel } from './record.js';
import { redactSecretsInText } from './secret-patterns.js';
import type { AuditSink, DecisionRecord } from './types.js';

/** Anything with a `write(line)`: a test's collector, a PassThrough, a file stream. */
export interface AuditDestination {
  write(line: string): unknown;
}

/** Options for {@link createAuditSink}. */
export interface AuditSinkOptions {
  /** Name of the server this shim fronts; on every line as `server`. */
  serverName: string;
  /** Id of this shim's run; on every line as `session`. */
  sessionId: string;
  /** `true`: write to fd 2 synchronously; `false`: not at all; an object: write there (tests). */
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
  /** Source of `time`; injected by tests. */
  clock?: () => Date;
}

/**
 * Create the audit sink. Every line goes to every destination; operational logs join the
 * chain too, so the file is one verifiable sequence. Writes are synchronous, so nothing is lost
 * when the process exits right after a decision. A failing file write throws from `record`
 * (AUDIT_WRITE_FAILED) so the caller can fail closed; a failing stderr is given up silently,
 * since the parent may simply have closed it. Throws AUDIT_OPEN_FAILED / AUDIT_TAIL_INVALID
 * when the file cannot be opened or its chain cannot be continued.
 */
export function createAuditSink(options: AuditSinkOptions): AuditSink {
  const clock = options.clock ?? (() => new Date());
  const processArgs = createArgumentProcessor({ mode: options.arguments, redactKeys: options.redactKeys });
  const redactValue = createArgumentProcessor({ mode: 'redacted', redactKeys: options.redactKeys });
  const file = options.file === undefined ? undefined : openAuditFile(options.file, { chain: options.chain });
  const stderr = openStderr(options.stderr);

  const destination: AuditDestination = {
    write(line: string) {
      // The file first: it is the record that counts. Its error is rethrown after stderr has
      // had the line, so a full disk still leaves a trace on the terminal.
      let fileError: unknown;
      try {
        file?.write(line);
      } catch (error) {
        fileError = error;
      }
      stderr?.write(line);
      if (fileError !== undefined) throw fileError;
    },
  };
  const logger: Logger<never, boolean> = pino(
    {
      level: options.level ?? 'info',
      base: { server: options.serverName, session: options.sessionId },
      timestamp: () => `,"time":"${clock().toISOString()}"`,
      // Level names read better in an audit file than pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  let closed = false;

  return {
    record(decision: DecisionRecord) {
      if (closed) return;
      const level = decisionLevel(decision);
      // Skip redaction work for lines the level would drop anyway.
      if (!logger.isLevelEnabled(level)) return;
      logger[level](decisionFields(decision, processArgs, redactValue), DECISION_MSG);
    },
    log(level, msg, fields) {
      if (closed || !logger.isLevelEnabled(level)) return;
      logger[level](operationalFields(fields, redactValue), redactSecretsInText(msg));
    },
    close() {
      if (!closed) {
        closed = true;
        stderr?.flush();
        file?.close();
      }
      return Promise.resolve();
    },
  };
}

/** A stderr writer that gives up (rather than throwing into the proxy) once stderr fails. */
interface StderrWriter {
  write(line: string): void;
  flush(): void;
}

function openStderr(option: AuditSinkOptions['stderr']): StderrWriter | undefined {
  if (option === false) return undefined;
  if (option !== true) return { write: (line) => void option.write(line), flush: () => undefined };
  // fd 2, written synchronously: an exit right after a decision must not lose its line.
  const sonic = pino.destination({ dest: 2, sync: true });
  let failed = false;
  sonic.on('error', () => {
    failed = true;
  });
  return {
    write(line) {
      if (failed) return;
      try {
        sonic.write(line);
      } catch {
        failed = true;
      }
    },
    flush() {
      if (failed) return;
      try {
        sonic.flushSync();
      } catch {
        failed = true;
      }
    },
  };
}
