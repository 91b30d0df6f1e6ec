/** What the model reads when an asked call is not run, and when it must ask the user to approve it. */
import { formatWait } from '../limits/parse.js';
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import type { RequestId } from '../protocol/jsonrpc.js';
import type { BlockResponseMode } from '../config/policy-types.js';

/** A refusal in the form the policy chose (a tool error result, or a JSON-RPC error). */
export function approvalRefusal(id: RequestId, tool: string, rule: string, text: string, modern: boolean, onBlock: BlockResponseMode): Record<string, unknown> {
  if (onBlock === 'error') return errorResponse(id, JsonRpcCode.blockedByPolicy, text, { rule, tool });
  return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }], isError: true, ...(modern && { resultType: 'complete' }) } };
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The call waits for `vanguard approve <code>`: what the model tells the user. */
export function outOfBandText(tool: string, rule: string, reason: string, code: string, ttlMs: number): string {
  return (
    `Vanguard needs a person's approval before "${tool}" runs (rule ${rule}): ${sentence(reason)} ` +
    `This client cannot show the question, so ask the user to approve it by running \`vanguard approve ${code}\` in a terminal, ` +
    `then retry this exact call with the same arguments within ${formatWait(ttlMs)}. Do not run that command yourself.`
  );
}

/** The person said no, or did not answer; `reason` (why approval is needed) is given when nobody could be asked. */
export function notApprovedText(tool: string, rule: string, why: string, reason?: string): string {
  const because = reason === undefined ? '' : ` ${sentence(reason)}`;
  return `Vanguard did not run "${tool}": it needs a person's approval (rule ${rule}) and ${why}.${because} Tell the user; do not retry this call unless they ask you to.`;
}
