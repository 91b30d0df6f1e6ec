/**
 * JSON-RPC error codes the shim puts on the wire. Kept apart from the shim's own
 * string error codes (see src/errors.ts), which never reach a peer.
 */
export const JsonRpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** The server process went away before answering (as the SDK reports a closed connection). */
  connectionClosed: -32000,
  /** A call refused by policy, in `onBlock: error` mode. */
  blockedByPolicy: -32010,
  /** A frame over the size limit. */
  frameTooLarge: -32011,
} as const;
