/** From a DecisionRecord to the fields of one log line, and the level it is logged at. */
import type { ArgumentProcessor } from './arguments.js';
import type { DecisionRecord } from './types.js';
import { redactSecretsInText } from './secret-patterns.js';

/** The pino levels the audit trail uses. */
export type AuditLevel = 'debug' | 'info' | 'warn' | 'error';

/** The `msg` of every decision line. */
export const DECISION_MSG = 'decision';

// Methods whose forwarded decisions are worth seeing at the default level.

/**
 * The level of a decision line:
 * - `warn` for refusals, and for what monitor mode would have refused (block, hide, would-block);
 * - `debug` for a plain forward of anything but a client's tools/call and a server's tools/list
 *   answer: pings, progress, notifications, the answers to calls and the like would drown the
 *   log at the default level `info` (and cost a line per frame);
 * - `info` for the rest (tool calls and lists passed, rewrites, drops).
 */
export function decisionLevel(decision: DecisionRecord): AuditLevel {
  switch (decision.verdict) {
    case 'block':
    case 'hide':
    case 'would-block':
      return 'warn';
    case 'forward':
      return (decision.direction === 'client' && decision.method === 'tools/call') || (decision.direction === 'server' && decision.method === 'tools/list')
        ? 'info'
        : 'debug';
    default:
      return 'info';
  }
}

/**
 * The fields of a decision line, in a stable order. `args` go through the sink's argument
 * mode; `reason` and `detail` are always redacted (they may quote what a detector matched).
 * Undefined fields are left out of the line.
 */
export function decisionFields(
  decision: DecisionRecord,
  processArgs: ArgumentProcessor,
  redactValue: ArgumentProcessor,
  redactText: (text: string) => string = redactSecretsInText,
): Record<string, unknown> {
  return {
    direction: decision.direction,
    method: decision.method,
    // Chosen by a peer, so read like any other text.
    id: typeof decision.id === 'string' ? redactText(decision.id) : decision.id,
    tool: decision.tool === undefined ? undefined : redactText(decision.tool),
    verdict: decision.verdict,
    rules: decision.rules,
    reason: decision.reason === undefined ? undefined : redactText(decision.reason),
    decisionUs: decision.decisionUs,
    args: processArgs(decision.args),
    detail: redactValue(decision.detail),
  };
}

// Keys the line's own structure uses; an operational field with one of these names would
// shadow it for readers that keep the last duplicate (jq, JSON.parse).
const RESERVED_KEYS = new Set(['level', 'time', 'server', 'session', 'msg', 'seq', 'prev', 'hash']);

/** Fields of an operational line: redacted, with reserved names moved to `field_<name>`. */
export function operationalFields(
  fields: Record<string, unknown> | undefined,
  redactValue: ArgumentProcessor,
): Record<string, unknown> {
  if (fields === undefined) return {};
  const renamed: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(fields)) renamed[RESERVED_KEYS.has(key) ? `field_${key}` : key] = value;
  return redactValue(renamed) as Record<string, unknown>;
}
