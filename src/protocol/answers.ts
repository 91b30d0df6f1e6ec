/**
 * Messages the shim writes on the server's behalf. Each returns a plain object; the
 * caller serialises it. Modern-era answers carry `resultType: "complete"`.
 */
import { JsonRpcCode } from './errors.js';
import type { RequestId } from './jsonrpc.js';

/** A JSON-RPC error response. */
export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): Record<string, unknown> {
  const error: Record<string, unknown> = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

/**
 * The answer to a call of a tool the policy hides. It copies, key order included, what
 * servers built on the official SDK answer for a tool they do not have, so a hidden
 * tool cannot be told apart from one that does not exist (invariant 9).
 */
export function unknownToolResponse(id: RequestId, tool: string, modern: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {
    content: [{ type: 'text', text: `MCP error ${JsonRpcCode.invalidParams}: Tool ${tool} not found` }],
    isError: true,
  };
  if (modern) result.resultType = 'complete';
  return { result, jsonrpc: '2.0', id };
}

/** What the model reads when a call is refused: which rule, and what to do instead. */
export interface Refusal {
  tool: string;
  ruleId: string;
  reason: string;
}

/** One line the model can act on. */
export function refusalText(refusal: Refusal): string {
  const reason = refusal.reason.trim();
  const sentence = /[.!?]$/.test(reason) ? reason : `${reason}.`;
  return `Blocked by Vanguard policy (rule ${refusal.ruleId}): ${sentence} Do not retry this call unchanged.`;
}

/** A refused tools/call answered as a tool error the model sees (the default). */
export function blockedToolResult(id: RequestId, refusal: Refusal, modern: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {
    content: [{ type: 'text', text: refusalText(refusal) }],
    isError: true,
  };
  if (modern) result.resultType = 'complete';
  return { jsonrpc: '2.0', id, result };
}

/** A refused tools/call answered as a JSON-RPC error (`onBlock: error`). */
export function blockedToolError(id: RequestId, refusal: Refusal): Record<string, unknown> {
  return errorResponse(id, JsonRpcCode.blockedByPolicy, refusalText(refusal), {
    rule: refusal.ruleId,
    tool: refusal.tool,
  });
}
