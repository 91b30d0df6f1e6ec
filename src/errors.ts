/**
 * The shim's own errors: typed, with stable string codes. Only the CLI entry point turns
 * them into exit codes; numeric JSON-RPC codes live in protocol/errors.ts.
 */
export type VanguardErrorCode =
  | 'CHILD_NOT_FOUND'
  | 'CHILD_NOT_EXECUTABLE'
  | 'CHILD_START_FAILED'
  | 'POLICY_INVALID'
  | 'RULES_INVALID'
  | 'USAGE'
  | 'AUDIT_INVALID'
  | 'CLIENT_CONFIG'
  | 'APPROVALS_UNSAFE'
  | 'APPROVAL_UNKNOWN';

export class VanguardError extends Error {
  constructor(
    readonly code: VanguardErrorCode,
    message: string,
    /** The process exit code the CLI should use. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'VanguardError';
  }
}
