/** Typed errors thrown by the audit trail; `code` is stable and safe to match on. */

/** Stable string codes; kept apart from the numeric JSON-RPC codes that go on the wire. */
export type AuditErrorCode =
  /** The existing audit file's last line is not a chain record, so the chain cannot continue. */
  | 'AUDIT_TAIL_INVALID'
  /** Writing a record to the audit file failed; the chain is stopped rather than left torn. */
  | 'AUDIT_WRITE_FAILED'
  /** The audit file could not be opened or read at startup. */
  | 'AUDIT_OPEN_FAILED';

/** An audit failure the caller (the CLI) reports and turns into an exit code. */
export class AuditError extends Error {
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditError';
    this.code = code;
  }
}
