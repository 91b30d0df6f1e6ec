/** From a DecisionRecord to the fields of one log line, and the level it is logged at. */
import type { ArgumentProcessor } from './arguments.js';
import type { DecisionRecord } from './types.js';
import { LEFT_OUT, quote, valueText } from './line.js';
import { flat, PairMemo, TextMemo } from './text-memo.js';
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
export function decisionMessage(decision: DecisionRecord, redactText: (text: string) => string = redactSecretsInText, shownTool?: string): string {
  if (decision.detail === undefined && typeof decision.method === 'string') {
    const kept = keptMessage(verbOf(decision), decision.method, decision.tool, redactText, shownTool);
    if (kept !== undefined) return kept;
  }
  return madeMessage(decision, redactText);
}

/** {@link decisionMessage} made afresh, without the parts kept (tests compare the two). */
export function madeMessage(decision: DecisionRecord, redactText: (text: string) => string = redactSecretsInText): string {
  const method = decision.method === undefined ? undefined : peerMethod(decision.method, redactText);
  let msg = `${verbOf(decision)} ${method === undefined ? (decision.direction === 'server' ? 'server output' : 'client input') : cut(method)}`;
  if (decision.tool !== undefined) msg += ` ${cut(redactText(decision.tool))}`;
  // Most decisions carry no detail: nothing more to name.
  if (decision.detail === undefined) return msg;
  const hid = hiddenDefinitions(decision);
  if (hid.length > 0) msg += ` (hid ${hid.length}: ${cut(redactText(hid.join(', ')))})`;
  const unmatched = asArray(decision.detail.matchedNoTool).map((u) => `${String((u as { where?: unknown }).where)} "${String((u as { glob?: unknown }).glob)}"`);
  if (unmatched.length > 0) msg += ` (no listed tool matches ${cut(redactText(unmatched.join(', ')))})`;
  return msg;
}

// The verb a msg starts with. A call waiting for the shim's own listing is not decided yet:
// its decision follows.
function verbOf(decision: DecisionRecord): unknown {
  return decision.rules.includes('tools.held-for-list') ? 'held' : (VERDICT_WORDS[decision.verdict] ?? decision.verdict ?? '');
}

// Messages without detail, made once (text-memo.ts): a verb and a method of MCP's shape (so
// written as they are), then each tool's shown name (redacted for every message) after them.
const MESSAGE_STARTS = new PairMemo(256, 64);
const MESSAGES = new PairMemo(1024, 128);

// The msg decisionMessage makes for a decision without detail, when its verb is a string and
// its method has MCP's shape (peerMethod and cut write such a method as it is); else undefined.
function keptMessage(verb: unknown, method: string, tool: string | undefined, redactText: (text: string) => string, shownTool: string | undefined): string | undefined {
  if (typeof verb !== 'string') return undefined;
  let start = MESSAGE_STARTS.known(verb, method);
  if (start === undefined) {
    if (!(method.length <= 64 && METHOD_SHAPE.test(method))) return undefined;
    start = MESSAGE_STARTS.keep(verb, method, `${verb} ${method}`);
  }
  if (tool === undefined) return start;
  const shown = shownTool ?? redactText(tool);
  if (typeof shown !== 'string') return undefined;
  return MESSAGES.known(start, shown) ?? MESSAGES.keep(start, shown, `${start} ${cut(shown)}`);
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
// Their first characters (ASCII), marked in a table by code: a rule starting with none of
// them is no warning rule, and most rules (`default`, `allow.*`, `inspect.*`) are told so by
// one look.
const WARNING_FIRSTS = new Uint8Array(128);
for (const start of WARNING_RULES) WARNING_FIRSTS[start.charCodeAt(0)] = 1;

function isWarningRule(rule: string): boolean {
  // (An empty rule's code is NaN, and a table read out of range gives undefined: no warning rule.)
  if (WARNING_FIRSTS[rule.charCodeAt(0)] !== 1) return false;
  for (let i = 0; i < WARNING_RULES.length; i++) if (rule.startsWith(WARNING_RULES[i] as string)) return true;
  return false;
}

// Whether any of the rules is a warning rule (a loop: some() with a callback costs more, on
// the way of every record).
function hasWarningRule(rules: readonly string[]): boolean {
  for (let i = 0; i < rules.length; i++) if (isWarningRule(rules[i] as string)) return true;
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
  // (Each field read once: records come in many shapes, and each read of one is a look-up.)
  const rules = decision.rules;
  const detail = decision.detail;
  if (hasWarningRule(rules) || detail?.matchedNoTool !== undefined) return 'warn';
  switch (decision.verdict) {
    case 'block':
    case 'hide':
    case 'would-block':
      return 'warn';
    case 'forward': {
      // An allowed call names the rule that allowed it; anything else forwarded with rules,
      // or a call with findings, is a finding a `warn` action let through.
      if (detail?.findings !== undefined) return 'warn';
      const direction = decision.direction;
      const method = decision.method;
      const call = direction === 'client' && method === 'tools/call';
      if (rules.length > 0 && !call) return 'warn';
      return call || (direction === 'server' && method === 'tools/list') ? 'info' : 'debug';
    }
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
 * `redactText(decision.tool)`, made once for a line's msg and its `tool` (decisionMessage and
 * decisionText take it): a tool's name is redacted like any peer text, and the secret rules
 * that run on it cost as much as the rest of the line's known parts.
 */
export function shownToolOf(decision: DecisionRecord, redactText: (text: string) => string): string | undefined {
  return decision.tool === undefined ? undefined : redactText(decision.tool);
}

/**
 * The whole decision line (with its newline), in the bytes `decisionLine` writes for
 * `decisionFields` of the same decision, but without making the fields object and walking it:
 * the fields are known and in a fixed order. `head` is the line's start up to its first field
 * (level, time and bindings). Undefined when a value needs pino's safe serialiser; the caller
 * then logs `decisionFields` through pino.
 *
 * The parts that repeat from line to line (direction and method, the shown tool, verdict and
 * rules, msg) are made once and kept (text-memo.ts), each by the exact input of the pure step
 * that makes it: redaction itself runs for every line, only its quoted result is kept.
 * `shownTool`, when given, is shownToolOf(decision, redactText), already made for the msg.
 */
export function decisionText(
  head: string,
  decision: DecisionRecord,
  processArgs: ArgumentProcessor,
  redactValue: ArgumentProcessor,
  redactText: (text: string) => string,
  msg: string,
  shownTool?: string,
): string | undefined {
  const { id, tool, reason, decisionUs } = decision;
  const start = directionMethodText(decision.direction, decision.method, redactText);
  if (start === undefined) return undefined;
  // The fields in decisionFields' order, each added as it is written (no list of them made).
  let text: string | undefined;
  // A number after the kept `,"id":` (its text as JSON writes it: one not finite as null).
  if (typeof id === 'number') text = headStartAndIdKey(head, start) + (Number.isFinite(id) ? String(id) : 'null');
  else if (id === null) text = `${headStartAndIdKey(head, start)}null`;
  else text = field(headAndStart(head, start), ',"id":', valueText(typeof id === 'string' ? redactText(id) : id));
  if (text !== undefined && tool !== undefined) {
    const shown = shownTool ?? redactText(tool);
    text = typeof shown === 'string' ? text + TOOL_TEXTS.text(shown, toolText) : field(text, ',"tool":', valueText(shown));
  }
  text = field(text, '', verdictRulesText(decision.verdict, decision.rules));
  if (reason !== undefined) text = field(text, ',"reason":', valueText(redactText(reason)));
  if (text === undefined) return undefined;
  const args = argumentsText(processArgs, decision.args);
  // Nearly every line has both: the kept `,"decisionUs":N,"args":` before the arguments' text.
  if (typeof decisionUs === 'number' && args !== undefined && args !== LEFT_OUT) text = text + decisionUsAndArgsKey(decisionUs) + args;
  else {
    text = typeof decisionUs === 'number' ? text + decisionUsText(decisionUs) : field(text, ',"decisionUs":', valueText(decisionUs));
    text = field(text, ',"args":', args);
  }
  text = field(text, ',"detail":', argumentsText(redactValue, decision.detail));
  if (text === undefined) return undefined;
  return text + (typeof msg === 'string' ? MSG_TEXTS.text(msg, msgText) : `,"msg":${quote(msg)}}\n`);
}

// A line's head and its direction and method, joined once for a run of lines that share both
// (the head is the same for the lines of one level made in one millisecond); and the same
// followed by `,"id":`, which nearly every line has next.
let lastHead = '';
let lastStart = '';
let lastHeadAndStart = '';
let lastIdKey = '';
function headAndStart(head: string, start: string): string {
  if (head !== lastHead || start !== lastStart) {
    lastHead = head;
    lastStart = start;
    lastHeadAndStart = flat(head + start);
    lastIdKey = '';
  }
  return lastHeadAndStart;
}
function headStartAndIdKey(head: string, start: string): string {
  const headStart = headAndStart(head, start);
  if (lastIdKey === '') lastIdKey = flat(`${headStart},"id":`);
  return lastIdKey;
}

// `,"decisionUs":N`; kept for the small whole numbers nearly every decision takes.
const KEPT_DECISION_US = 1024;
const DECISION_US_TEXTS: (string | undefined)[] = new Array<string | undefined>(KEPT_DECISION_US).fill(undefined);
function decisionUsText(us: number): string {
  if (Number.isInteger(us) && us >= 0 && us < KEPT_DECISION_US) return (DECISION_US_TEXTS[us] ??= flat(`,"decisionUs":${us}`));
  return `,"decisionUs":${Number.isFinite(us) ? us : 'null'}`;
}

// `,"decisionUs":N,"args":`, kept for the same numbers.
const DECISION_US_ARGS_TEXTS: (string | undefined)[] = new Array<string | undefined>(KEPT_DECISION_US).fill(undefined);
function decisionUsAndArgsKey(us: number): string {
  if (Number.isInteger(us) && us >= 0 && us < KEPT_DECISION_US) return (DECISION_US_ARGS_TEXTS[us] ??= flat(`,"decisionUs":${us},"args":`));
  return `,"decisionUs":${Number.isFinite(us) ? us : 'null'},"args":`;
}

// The line so far with one field added: undefined once a value needs pino's serialiser.
function field(text: string | undefined, key: string, written: string | undefined): string | undefined {
  if (text === undefined || written === undefined) return undefined;
  return written === LEFT_OUT ? text : text + key + written;
}

// Parts made once (see decisionText): a few hundred short inputs each.
const CLIENT_METHOD_TEXTS = new TextMemo(128, 64);
const SERVER_METHOD_TEXTS = new TextMemo(128, 64);
const TOOL_TEXTS = new TextMemo(512, 128);
const MSG_TEXTS = new TextMemo(512, 200);
const VERDICTS_WITHOUT_RULES = new TextMemo(32, 32);
const VERDICTS_WITH_RULE = new PairMemo(512, 128);
const toolText = (shown: string): string => `,"tool":${quote(shown)}`;
const msgText = (msg: string): string => `,"msg":${quote(msg)}}\n`;

// `,"direction":…` and `,"method":…`. A method of MCP's shape is written as it is (peerMethod),
// so its text is kept; any other is redacted for every line.
function directionMethodText(direction: unknown, method: unknown, redactText: (text: string) => string): string | undefined {
  const texts = direction === 'client' ? CLIENT_METHOD_TEXTS : direction === 'server' ? SERVER_METHOD_TEXTS : undefined;
  if (texts !== undefined && typeof method === 'string') {
    // Only shaped methods are kept: one known needs no test of its shape.
    const known = texts.known(method);
    if (known !== undefined) return known;
    if (method.length <= 64 && METHOD_SHAPE.test(method)) return texts.keep(method, `,"direction":${quote(direction as string)},"method":${quote(method)}`);
  }
  const start = field('', ',"direction":', valueText(direction));
  return field(start, ',"method":', method === undefined ? LEFT_OUT : valueText(peerMethod(method as string, redactText)));
}

// `,"verdict":…,"rules":[…]`, kept for a verdict with no rule or one (nearly every line);
// rules are the engine's ids, written as they are.
function verdictRulesText(verdict: unknown, rules: unknown): string | undefined {
  if (typeof verdict === 'string' && isPlainArray(rules)) {
    if (rules.length === 0) return VERDICTS_WITHOUT_RULES.known(verdict) ?? keptIfMade(VERDICTS_WITHOUT_RULES, verdict, verdictRulesWritten(verdict, rules));
    const rule: unknown = rules[0];
    if (rules.length === 1 && typeof rule === 'string') {
      const known = VERDICTS_WITH_RULE.known(verdict, rule);
      if (known !== undefined) return known;
      const made = verdictRulesWritten(verdict, rules);
      return made === undefined ? undefined : VERDICTS_WITH_RULE.keep(verdict, rule, made);
    }
  }
  return verdictRulesWritten(verdict, rules);
}

function verdictRulesWritten(verdict: unknown, rules: unknown): string | undefined {
  const written = valueText(verdict);
  const rulesWritten = valueText(rules);
  if (written === undefined || rulesWritten === undefined) return undefined;
  return (written === LEFT_OUT ? '' : `,"verdict":${written}`) + (rulesWritten === LEFT_OUT ? '' : `,"rules":${rulesWritten}`);
}

function keptIfMade(memo: TextMemo, key: string, made: string | undefined): string | undefined {
  return made === undefined ? undefined : memo.keep(key, made);
}

// An array written as its items alone: Array's own prototype, no toJSON of its own or inherited.
function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && (value as { toJSON?: unknown }).toJSON === undefined;
}

// What `process` gives for `value`, as the line writes it: the processor's own text where it
// has one (see ArgumentProcessor.text), else that of the value it gives.
function argumentsText(process: ArgumentProcessor, value: unknown): string | undefined {
  const shown = process.text?.(value);
  return shown !== undefined ? shown : valueText(process(value));
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
