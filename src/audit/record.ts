/** From a DecisionRecord to the fields of one log line, and the level it is logged at. */
import type { ArgumentProcessor } from './arguments.js';
import type { DecisionRecord } from './types.js';
import { LEFT_OUT, quote, valueText } from './line.js';
import { redactSecretsInText } from './secret-patterns.js';

/** The pino levels the audit trail uses. */
export type AuditLevel = 'debug' | 'info' | 'warn' | 'error';

/** pino's numeric levels, as written in every record (`jq 'select(.level>=40)'`, `pino-pretty`). */
export const LEVEL_NUMBERS: Readonly<Record<AuditLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

// A decision's verdict as the past tense its `msg` starts with.
const VERDICT_WORDS: Readonly<Record<DecisionRecord['verdict'], string>> = {
  forward: 'forwarded',
  rewrite: 'rewrote',
  block: 'blocked',
  hide: 'hidden',
  drop: 'dropped',
  'would-block': 'would block',
};

/**
 * The `msg` of a decision line, readable on its own: `blocked tools/call read_file`,
 * `rewrote tools/list (hid 2: write_file, edit_file)`. Peer-chosen text (the tool name) is
 * redacted by the caller and cut, so a line stays one short line.
 */
export function decisionMessage(decision: DecisionRecord, redactText: (text: string) => string = redactSecretsInText): string {
  // A call waiting for the shim's own listing is not decided yet: its decision follows.
  const held = decision.rules.includes('tools.held-for-list');
  const method = decision.method === undefined ? undefined : peerMethod(decision.method, redactText);
  let msg = `${held ? 'held' : (VERDICT_WORDS[decision.verdict] ?? decision.verdict ?? '')} ${method === undefined ? (decision.direction === 'server' ? 'server output' : 'client input') : cut(method)}`;
  if (decision.tool !== undefined) msg += ` ${cut(redactText(decision.tool))}`;
  // Most decisions carry no detail: nothing more to name.
  if (decision.detail === undefined) return msg;
  const hid = hiddenDefinitions(decision);
  if (hid.length > 0) msg += ` (hid ${hid.length}: ${cut(redactText(hid.join(', ')))})`;
  const unmatched = asArray(decision.detail.matchedNoTool).map((u) => `${String((u as { where?: unknown }).where)} "${String((u as { glob?: unknown }).glob)}"`);
  if (unmatched.length > 0) msg += ` (no listed tool matches ${cut(redactText(unmatched.join(', ')))})`;
  return msg;
}

// A method name as MCP spells them (`tools/call`, `notifications/cancelled`): words of
// letters between slashes. Such a name is written as it is.
const METHOD_SHAPE = /^[a-z]+(?:\/[a-zA-Z]+){0,3}$/;

/**
 * A decision's method for the audit line. The method is chosen by a peer, which may put
 * anything there (a secret, an injection, a megabyte): a name of MCP's shape is written as
 * it is, anything else is read like any other peer text.
 */
export function peerMethod(method: string, redactText: (text: string) => string): string {
  return method.length <= 64 && METHOD_SHAPE.test(method) ? method : redactText(method);
}

// Control characters (C0 and DEL), which a one-line msg writes as spaces.
const CONTROL = /[\u0000-\u001f\u007f]/g;

function cut(text: string): string {
  let oneLine = text;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      oneLine = text.replace(CONTROL, ' ');
      break;
    }
  }
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

// Names a list decision hid for their definitions (poisoning, pins): what `msg` names.
function hiddenDefinitions(decision: DecisionRecord): string[] {
  const detail = decision.detail;
  if (detail === undefined || decision.verdict === 'forward') return [];
  const names: string[] = [];
  for (const item of [...asArray(detail.poisoned), ...asArray(detail.pinned)]) {
    const entry = item as Record<string, unknown>;
    const name = entry.tool ?? entry.entry ?? entry.key;
    if (typeof name === 'string' && (entry.action === undefined || entry.action === 'hide') && entry.status !== 'removed') names.push(name);
  }
  return [...new Set(names)];
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

// Rules whose findings are warnings even when nothing was refused: those whose id starts so.
const WARNING_RULES = ['metadata.poisoning', 'metadata.instructions', 'pin.', 'constraint.unknown-argument'];

function isWarningRule(rule: string): boolean {
  for (const start of WARNING_RULES) if (rule.startsWith(start)) return true;
  return false;
}

/**
 * The level of a decision line:
 * - `warn` for refusals and what monitor mode would have refused (block, hide, would-block),
 *   for a finding a `warn` action let through (a forward that names rules), and for
 *   poisoned definitions and pin differences, whatever was done with them;
 * - `debug` for a plain forward of anything but a client's tools/call and a server's tools/list
 *   answer: pings, progress, notifications, the answers to calls and the like would drown the
 *   log at the default level `info` (and cost a line per frame);
 * - `info` for the rest (tool calls and lists passed, rewrites, drops).
 */
export function decisionLevel(decision: DecisionRecord): AuditLevel {
  if (decision.rules.some(isWarningRule) || decision.detail?.matchedNoTool !== undefined) return 'warn';
  switch (decision.verdict) {
    case 'block':
    case 'hide':
    case 'would-block':
      return 'warn';
    case 'forward':
      // An allowed call names the rule that allowed it; anything else forwarded with rules,
      // or a call with findings, is a finding a `warn` action let through.
      if (decision.detail?.findings !== undefined) return 'warn';
      if (decision.rules.length > 0 && !(decision.direction === 'client' && decision.method === 'tools/call')) return 'warn';
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
    method: decision.method === undefined ? undefined : peerMethod(decision.method, redactText),
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

/**
 * The whole decision line (with its newline), in the bytes `decisionLine` writes for
 * `decisionFields` of the same decision, but without making the fields object and walking it:
 * the fields are known and in a fixed order. `head` is the line's start up to its first field
 * (level, time and bindings). Undefined when a value needs pino's safe serialiser; the caller
 * then logs `decisionFields` through pino.
 */
export function decisionText(
  head: string,
  decision: DecisionRecord,
  processArgs: ArgumentProcessor,
  redactValue: ArgumentProcessor,
  redactText: (text: string) => string,
  msg: string,
): string | undefined {
  const id = decision.id;
  const tool = decision.tool;
  const reason = decision.reason;
  // The fields in decisionFields' order, each added as it is written (no list of them made).
  let text: string | undefined = head;
  text = field(text, ',"direction":', valueText(decision.direction));
  text = field(text, ',"method":', valueText(decision.method === undefined ? undefined : peerMethod(decision.method, redactText)));
  text = field(text, ',"id":', valueText(typeof id === 'string' ? redactText(id) : id));
  text = field(text, ',"tool":', tool === undefined ? LEFT_OUT : valueText(redactText(tool)));
  text = field(text, ',"verdict":', valueText(decision.verdict));
  text = field(text, ',"rules":', valueText(decision.rules));
  text = field(text, ',"reason":', reason === undefined ? LEFT_OUT : valueText(redactText(reason)));
  text = field(text, ',"decisionUs":', valueText(decision.decisionUs));
  text = field(text, ',"args":', valueText(processArgs(decision.args)));
  text = field(text, ',"detail":', valueText(redactValue(decision.detail)));
  return text === undefined ? undefined : `${text},"msg":${quote(msg)}}\n`;
}

// The line so far with one field added: undefined once a value needs pino's serialiser.
function field(text: string | undefined, key: string, written: string | undefined): string | undefined {
  if (text === undefined || written === undefined) return undefined;
  return written === LEFT_OUT ? text : text + key + written;
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
