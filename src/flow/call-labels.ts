/**
 * The labels a tools/call puts on the session, inferred from what the call names (each one
 * says why, for the audit and the refusal):
 *
 * - `sensitive-read`: a path argument on the shipped sensitive list or the policy's denied
 *   paths (the path detector's knowledge: credentials, keys, `.env`), an environment or
 *   credential dump (`get-env`, `list_secrets`, a `printenv` command): what the model holds
 *   afterwards is worth stealing.
 * - `egress`: a URL or host argument that leaves the machine, a command that talks to the
 *   network (`curl`, `scp`, `git push`), send/post/upload/mail/webhook tools, or a tool that
 *   declares `openWorldHint` without `readOnlyHint` (a write to the open world): a way out.
 * - `exec`: a command argument or a shell/terminal/code-running tool: anything can happen.
 * - `write`: `destructiveHint`, or write/edit/move/delete tools: the machine changes.
 * - `persistence`: a write to a place that makes something run later (shell start-up files,
 *   cron, services, git hooks, agent configurations; see locations.ts), or a command that
 *   installs one (`crontab`, `systemctl enable`): the first half of a planted callback.
 * - `exec-written`: a command that names a file this session wrote (its path or file name):
 *   running what was just put there, the second half of write-then-execute.
 *
 * `untrusted-source` is put by the call's result (result-labels.ts); what this call's result
 * will carry is worked out here, where the arguments are at hand.
 */
import type { KindHints } from '../inspect/kinds.js';
import { kindsOf } from '../inspect/kinds.js';
import { checksFor } from '../inspect/detectors/paths/match.js';
import { parsePath } from '../inspect/detectors/paths/parse.js';
import { renderPath, resolveLexically, type AbsolutePath } from '../inspect/detectors/paths/resolve.js';
import { parseShell } from '../inspect/detectors/shell/lexer.js';
import { findUrls } from '../inspect/detectors/network/extract.js';
import type { InspectedString, PathContext } from '../inspect/types.js';
import { dumpsEnvironment, installsPersistence, persistenceTest, talksToNetwork } from './locations.js';
import { nameFacts } from './tool-words.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

/** A label and why it was put. */
export interface Labelled {
  label: string;
  why: string;
}

/** What a call says about the session (read only: a call that says nothing shares NOTHING_SAID). */
export interface CallLabels {
  readonly labels: readonly Labelled[];
  /** Labels its result will put when it comes back. */
  readonly resultLabels: readonly Labelled[];
  /** Absolute paths it writes (for `exec-written` later). */
  readonly writes: readonly string[];
  /** Its command lines, for matching against written files. */
  readonly commands: readonly string[];
}

// Most calls put no label, write nothing and run no command: they share one frozen answer.
const NONE: readonly never[] = Object.freeze([]);
const NOTHING_SAID: CallLabels = Object.freeze({ labels: NONE, resultLabels: NONE, writes: NONE, commands: NONE });

/** What label inference needs besides the call. */
export interface LabelContext {
  paths: Omit<PathContext, 'realpath'>;
  hints: KindHints;
  /** True when the command text names a file this session wrote (flow state). */
  namesWritten(command: string): string | undefined;
}

// What kindsOf is given for a string's spellings: none (kindsOf reads no spelling; frozen, it cannot be given one).
const NO_VARIANTS = Object.freeze([]) as unknown as InspectedString['variants'];
const MAX_STRINGS = 256;
const MAX_CHARS = 8_192;
const MAX_DEPTH = 8;

// What reading a call's string arguments gathers, one string at a time (labelString).
interface ArgumentWalk {
  hints: KindHints;
  ready: PreparedPaths;
  labels: LabelMap;
  resultLabels: LabelMap;
  /** Made by the first path or command found (most calls have none). */
  paths: string[] | undefined;
  commands: string[] | undefined;
  /** Strings read so far (at most MAX_STRINGS). */
  strings: number;
  /** True while a call is labelled with this walk (a call labelled from within it gets a walk of its own). */
  busy: boolean;
  /** The string kindsOf is asked about, one object rewritten for each (kindsOf keeps none). */
  asked: InspectedString;
}

// Every string argument with its nearest key, bounded in number, length and depth, read in
// order as it is found (no list of them is made first: reading one changes none of the walk).
function walkArguments(value: unknown, key: string, walk: ArgumentWalk, depth: number): void {
  if (walk.strings >= MAX_STRINGS || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (value.length <= MAX_CHARS) {
      walk.strings++;
      labelString(key, value, walk);
    }
    return;
  }
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walkArguments(value[i], key, walk, depth + 1);
  else if (value !== null && typeof value === 'object') {
    // Own enumerable keys in order, as Object.keys lists them, with no list made (one per call, most of them one key long).
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      walkArguments((value as Record<string, unknown>)[key], key, walk, depth + 1);
    }
  }
}

// What one string argument says: a path (and whether it is sensitive), a host away from the machine, a command.
function labelString(key: string, raw: string, walk: ArgumentWalk): void {
  const { ready, labels, asked } = walk;
  asked.path = key;
  asked.key = key;
  asked.raw = raw;
  const kinds = kindsOf(asked, walk.hints);
  if (kinds.has('path')) {
    // Parsed and resolved once, for both questions.
    const resolved = resolvedOf(raw, ready);
    if (resolved !== undefined) (walk.paths ??= []).push(renderPath(resolved));
    if (isSensitivePath(resolved, ready)) labels.put('sensitive-read', `path argument "${key}" names a sensitive file`);
  }
  if (kinds.has('url') || kinds.has('command')) {
    const away = hostsOf(raw).find((h) => !isLoopback(h));
    if (away !== undefined) {
      labels.put('egress', `argument "${key}" names the host ${away.slice(0, 100)}`);
      walk.resultLabels.put('untrusted-source', `the call fetched from ${away.slice(0, 100)}`);
    }
  }
  if (kinds.has('command')) {
    (walk.commands ??= []).push(raw);
    labels.put('exec', `argument "${key}" is a command`);
  }
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === '0.0.0.0' || h === '';
}

function hostsOf(text: string): string[] {
  const hosts: string[] = [];
  for (const u of new Set([text.trim(), ...findUrls(text)])) {
    if (!URL.canParse(u) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) continue;
    hosts.push(new URL(u).hostname);
  }
  return hosts;
}

const annotation = (annotations: unknown, hint: string): unknown => (annotations !== null && typeof annotations === 'object' ? (annotations as Record<string, unknown>)[hint] : undefined);

interface PreparedPaths {
  pathCtx: PathContext;
  checks: ReturnType<typeof checksFor>;
  persistent: (path: string) => boolean;
}

// What the path facts of a context compile to, made once per context object (a policy's
// stays the same all session; see tool-flow.ts) instead of once per call.
// (A session labels with one context: see RecentWeakMap.)
const prepared = new RecentWeakMap<LabelContext['paths'], PreparedPaths>();

function preparePaths(paths: LabelContext['paths']): PreparedPaths {
  let ready = prepared.get(paths);
  if (ready === undefined) {
    const pathCtx: PathContext = { ...paths, realpath: () => undefined };
    ready = { pathCtx, checks: checksFor(pathCtx), persistent: persistenceTest(paths.home) };
    prepared.set(paths, ready);
  }
  return ready;
}

// Labels in the order first put, each with its first reason. Most calls put none: the
// map is made by the first label.
class LabelMap {
  private map: Map<string, string> | undefined;

  /** Forget every label put (the walk keeps its two maps between calls, emptied for each). */
  clear(): void {
    this.map = undefined;
  }

  /** True when no label was put. */
  get empty(): boolean {
    return this.map === undefined;
  }

  put(label: string, why: string): void {
    const map = (this.map ??= new Map());
    if (!map.has(label)) map.set(label, why);
  }

  has(label: string): boolean {
    return this.map !== undefined && this.map.has(label);
  }

  list(): Labelled[] {
    const list: Labelled[] = [];
    if (this.map !== undefined) for (const [label, why] of this.map) list.push({ label, why });
    return list;
  }
}

// A path argument made absolute (lexically), when it reads as one.
function resolvedOf(raw: string, ready: PreparedPaths): AbsolutePath | undefined {
  const parsed = parsePath(raw)[0];
  return parsed && resolveLexically(parsed, ready.pathCtx);
}

// Whether a path argument (resolvedOf) is on the sensitive list or the policy's denied paths.
function isSensitivePath(abs: AbsolutePath | undefined, ready: PreparedPaths): boolean {
  return abs !== undefined && (ready.checks.isSensitive(abs) || ready.checks.deniedBy(abs) !== undefined);
}

// A walk with nothing in it: its fields are set for each call (labelWithWalk).
function newWalk(): ArgumentWalk {
  return {
    hints: {},
    ready: undefined as unknown as PreparedPaths,
    labels: new LabelMap(),
    resultLabels: new LabelMap(),
    paths: undefined,
    commands: undefined,
    strings: 0,
    busy: false,
    asked: { path: '', key: undefined, isKey: false, raw: '', variants: NO_VARIANTS },
  };
}

// The walk of the call being labelled: one object, its fields set for each call.
const WALK: ArgumentWalk = newWalk();

/** Infer the labels of one call. Pure; bounded by the argument limits above. */
export function labelCall(name: string, args: unknown, annotations: unknown, ctx: LabelContext): CallLabels {
  // A call labelled from within another (ctx.namesWritten is the caller's) gets a walk of its
  // own: the shared one holds the outer call's labels until it returns.
  if (WALK.busy) return labelWithWalk(name, args, annotations, ctx, newWalk());
  WALK.busy = true;
  try {
    return labelWithWalk(name, args, annotations, ctx, WALK);
  } finally {
    WALK.busy = false;
  }
}

// labelCall with a walk that no other call is using.
function labelWithWalk(name: string, args: unknown, annotations: unknown, ctx: LabelContext, walk: ArgumentWalk): CallLabels {
  const facts = nameFacts(name);
  // Names in reasons are cut short: a tool name can be as long as a frame.
  const tool = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  const ready = preparePaths(ctx.paths);
  const persistent = ready.persistent;

  // The walk's own two maps, emptied (a call before this one may have stopped part way).
  const labels = walk.labels;
  const resultLabels = walk.resultLabels;
  labels.clear();
  resultLabels.clear();
  walk.hints = ctx.hints;
  walk.ready = ready;
  walk.paths = undefined;
  walk.commands = undefined;
  walk.strings = 0;
  try {
    walkArguments(args, '', walk, 0);
  } finally {
    // Nothing of this call is held past it.
    walk.asked.path = walk.asked.raw = '';
    walk.asked.key = undefined;
  }
  const paths: readonly string[] = walk.paths ?? NONE;
  const commands: readonly string[] = walk.commands ?? NONE;
  walk.paths = walk.commands = undefined;

  for (let i = 0; i < commands.length; i++) {
    const command = commands[i] as string;
    const parse = parseShell(command, { windows: false, escapedNewlines: true });
    for (const c of parse.commands) {
      const w = c.words.map((x) => x.text);
      if (dumpsEnvironment(w)) labels.put('sensitive-read', `the command "${w.join(' ').slice(0, 60)}" prints the environment`);
      if (talksToNetwork(w)) {
        labels.put('egress', `the command "${w[0]}" talks to the network`);
        resultLabels.put('untrusted-source', `the command "${w[0]}" reads from the network`);
      }
      if (installsPersistence(w)) labels.put('persistence', `the command "${w.slice(0, 2).join(' ')}" installs something to run later`);
    }
    const writesFile = /[>]|(^|\s)(tee|cp|mv|install|ln|sed)\s/.test(command);
    for (const token of command.split(/[\s'"`;&|<>()]+/)) {
      if (!/[\\/]|^~/.test(token)) continue;
      const resolved = resolvedOf(token, ready);
      if (isSensitivePath(resolved, ready)) labels.put('sensitive-read', 'the command names a sensitive file');
      const abs = resolved === undefined ? undefined : renderPath(resolved);
      if (writesFile && abs !== undefined && persistent(abs)) labels.put('persistence', `the command writes ${abs.slice(-80)}, which runs later`);
    }
    const written = ctx.namesWritten(command);
    if (written !== undefined) labels.put('exec-written', `the command names ${written.slice(-80)}, which this session wrote`);
  }

  if (facts.dumpsSecrets) labels.put('sensitive-read', `"${tool}" dumps the environment or credentials`);
  if (facts.sendsOut) labels.put('egress', `"${tool}" sends data out`);
  const openWorld = annotation(annotations, 'openWorldHint') === true;
  const readOnly = annotation(annotations, 'readOnlyHint') === true;
  if (openWorld && !readOnly) labels.put('egress', `"${tool}" declares openWorldHint and is not read-only`);
  if (facts.runsCommands) labels.put('exec', `"${tool}" runs commands`);
  if (annotation(annotations, 'destructiveHint') === true) labels.put('write', `"${tool}" declares destructiveHint`);
  else if (!readOnly && facts.changesThings) labels.put('write', `"${tool}" writes, moves or deletes`);
  if (labels.has('write')) {
    const place = paths.find(persistent);
    if (place !== undefined) labels.put('persistence', `"${tool}" writes ${place.slice(-80)}, which runs later`);
  }
  if (facts.readsOpenWorld) resultLabels.put('untrusted-source', `"${tool}" reads from the web or an inbox`);
  if (openWorld) resultLabels.put('untrusted-source', `"${tool}" declares openWorldHint`);

  if (labels.empty && resultLabels.empty && commands === NONE) return NOTHING_SAID;
  const said: CallLabels = { labels: labels.list(), resultLabels: resultLabels.list(), writes: labels.has('write') ? paths : NONE, commands };
  // Nothing of this call is held past it.
  labels.clear();
  resultLabels.clear();
  return said;
}
