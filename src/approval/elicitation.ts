/**
 * The question put to a person, as an elicitation (form mode): a message naming the server,
 * the tool, the arguments (redacted as in the audit) and the reason, and a form with two
 * booleans. And reading the answer: only an accept with `approve: true` approves.
 */
import { createArgumentProcessor, type ArgumentProcessor } from '../audit/arguments.js';
import { isObject } from '../protocol/jsonrpc.js';
import type { AskRequest } from './types.js';

/** The form the person fills in. */
export const APPROVAL_SCHEMA = Object.freeze({
  type: 'object',
  properties: {
    approve: { type: 'boolean', title: 'Approve this call', description: 'Let the server run this tool call once.', default: false },
    remember: { type: 'boolean', title: 'For the rest of this session', description: 'Also approve later calls of this tool in this session without asking.', default: false },
  },
  required: ['approve'],
});

const processors = new Map<string, ArgumentProcessor>();

/** The arguments as the audit shows them in redacted mode, short enough for a dialog. */
export function redactedArguments(args: unknown, redactKeys: readonly string[]): unknown {
  const key = redactKeys.join('\u0000');
  let processor = processors.get(key);
  if (!processor) processors.set(key, (processor = createArgumentProcessor({ mode: 'redacted', redactKeys, limits: { truncateOver: 200, keepChars: 120, maxNodes: 200 } })));
  return processor(args);
}

/** What the person reads. */
export function questionText(server: string, ask: AskRequest, shownArgs: unknown): string {
  const args = JSON.stringify(shownArgs ?? {});
  const shown = args.length > 1000 ? `${args.slice(0, 1000)}…` : args;
  return `Vanguard: the MCP server "${server}" is about to run the tool "${ask.tool}" with arguments ${shown}. Approval is needed: ${ask.reason.trim()} (rule ${ask.ruleId}). Approve this call?`;
}

/** The params of an elicitation/create (form mode) asking about this call. */
export function questionParams(server: string, ask: AskRequest, shownArgs: unknown): Record<string, unknown> {
  return { mode: 'form', message: questionText(server, ask, shownArgs), requestedSchema: APPROVAL_SCHEMA };
}

/** How the person answered. */
export type Answer = { approved: true; remember: boolean } | { approved: false; why: string };

/** Read an ElicitResult (or an error answer): anything but accept with approve true is a no. */
export function readAnswer(result: unknown, error?: unknown): Answer {
  if (error !== undefined || !isObject(result)) return { approved: false, why: 'the client could not ask the user' };
  const action = result.action;
  if (action === 'decline') return { approved: false, why: 'the user declined' };
  if (action !== 'accept') return { approved: false, why: 'the user dismissed the question' };
  const content = isObject(result.content) ? result.content : {};
  if (content.approve !== true) return { approved: false, why: 'the user did not approve' };
  return { approved: true, remember: content.remember === true };
}

/** True when the capabilities (legacy initialize, or a modern request's `_meta`) include form elicitation. */
export function supportsFormElicitation(capabilities: unknown): boolean {
  if (!isObject(capabilities) || !isObject(capabilities.elicitation)) return false;
  const modes = capabilities.elicitation;
  // An empty elicitation object means form mode (the mode of the first protocol version that had it).
  return Object.keys(modes).length === 0 || modes.form !== undefined;
}
