/** The audit trail: public surface of src/audit. */
export type { AuditSink, DecisionRecord, Direction, Verdict } from './types.js';
export { createAuditSink, type AuditDestination, type AuditSinkOptions } from './sink.js';
export {
  createArgumentProcessor,
  processArguments,
  DEFAULT_ARGUMENT_LIMITS,
  type ArgumentLimits,
  type ArgumentProcessor,
  type ArgumentProcessorOptions,
  type ArgumentsMode,
} from './arguments.js';
export { REDACTED, redactSecretsInText, isSecretKeyName } from './secret-patterns.js';
export { decisionLevel, decisionMessage, LEVEL_NUMBERS, type AuditLevel } from './record.js';
export { GENESIS_HASH, type ChainHead } from './chain.js';
export {
  verifyAuditLog,
  verifyAuditFile,
  verifyAuditFiles,
  verifyAuditLogs,
  type NamedLog,
  type VerifyAnchor,
  type VerifyProblem,
  type VerifyProblemKind,
  type VerifyResult,
} from './verify.js';
export { AuditError, type AuditErrorCode } from './errors.js';
