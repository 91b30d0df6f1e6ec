/**
 * Turning raw tools/call arguments (and other free-form values) into something safe to log.
 * Pure: no I/O, no clock. Compiled once per sink, applied per record.
 */
import { nodeCrypto } from '../util/node-crypto.js';
import { flat } from './text-memo.js';
import { REDACTED, compileKeyGlob, isSecretKeyName, redactSecretsInText as redactShipped } from './secret-patterns.js';

/**
 * How arguments are logged.
 * - `redacted`: structure kept; secret-named keys and credential-shaped strings replaced with
 *   `[REDACTED]`, long strings truncated.
 * - `hashed`: structure and keys kept; each leaf replaced with `sha256:<16 hex>` of its JSON, so
 *   equal values can be correlated. Values under secret-named keys are `[REDACTED]` instead,
 *   because an unsalted hash of a short password can be brute-forced.
 * - `full`: logged as received. The log then holds whatever the model sent, secrets included:
 *   only for debugging, on a log file nobody else can read.
 * - `omit`: no `args` field at all.
 */
export type ArgumentsMode = 'redacted' | 'hashed' | 'full' | 'omit';

/** Bounds on what a logged value may cost. */
export interface ArgumentLimits {
  /** Containers nested deeper than this become `"[DEPTH]"`. */
  maxDepth: number;
  /** After this many values (not in `full` mode), the rest become `"[LIMIT]"`. */
  maxNodes: number;
  /** Strings longer than this (UTF-16 units) are truncated in `redacted` mode... */
  truncateOver: number;
  /** ...to this many characters, followed by `…[+N chars]`. */
  keepChars: number;
}

/** The defaults: depth 32, 10 000 values, strings over 1 KiB kept as their first 256 chars. */
export const DEFAULT_ARGUMENT_LIMITS: Readonly<ArgumentLimits> = {
  maxDepth: 32,
  maxNodes: 10_000,
  truncateOver: 1024,
  keepChars: 256,
};

/** Options for {@link createArgumentProcessor}. */
export interface ArgumentProcessorOptions {
  mode: ArgumentsMode;
  /** Extra key globs (`*`, `?`, case-insensitive) whose values are always redacted. */
  redactKeys?: readonly string[];
  limits?: Partial<ArgumentLimits>;
  /** Replaces secrets in a string (default: the shipped secret rules, see createSecretRedactor). */
  redactText?: (text: string) => string;
}

/** Maps a raw value to its loggable form; `undefined` means "log no field". */
export interface ArgumentProcessor {
  (value: unknown): unknown;
  /**
   * `JSON.stringify` of what the processor gives for `value`, made in one pass with the checks,
   * when `value` is a small plain object or array that the processor gives back as it is
   * (nothing in it redacted, cut, dropped or copied); undefined for anything else, which the
   * caller processes and writes as before. Not every processor has it.
   */
  text?: (value: unknown) => string | undefined;
}

// What the one-pass text of a value (ArgumentProcessor.text) reads at most before it leaves
// the value to the walk: values, depth (which also ends a cycle), as plain-json.ts reads.
const TEXT_NODES = 64;
const TEXT_DEPTH = 8;

// The memory of argument names judged: this many names, each at most this long.
const MEMO_KEYS = 1024;
const MEMO_KEY_CHARS = 128;

// Per-call state: a node budget and the current ancestors (to cut cycles, not shared refs),
// a stack as deep as the walk (at most its depth limit), searched by identity as a set would be.
interface WalkState {
  nodes: number;
  ancestors: object[];
}

/** Compile the redaction settings once; the returned function is pure. */
export function createArgumentProcessor(options: ArgumentProcessorOptions): ArgumentProcessor {
  const limits = { ...DEFAULT_ARGUMENT_LIMITS, ...options.limits };
  const userGlobs = (options.redactKeys ?? []).map(compileKeyGlob);
  // Calls repeat their argument names: each name's answer is remembered (a few short names,
  // bounded), instead of normalising it and running every name test again for every record.
  const knownKeys = new Map<string, boolean>();
  const isSecretKey = (key: string): boolean => {
    const known = knownKeys.get(key);
    if (known !== undefined) return known;
    const secret = isSecretKeyName(key) || userGlobs.some((match) => match(key));
    if (key.length <= MEMO_KEY_CHARS) {
      if (knownKeys.size >= MEMO_KEYS) knownKeys.clear();
      knownKeys.set(key, secret);
    }
    return secret;
  };
  const mode = options.mode;
  if (mode === 'omit') return () => undefined;
  const redactSecretsInText = options.redactText ?? redactShipped;

  const leaf = (value: unknown): unknown => {
    if (mode === 'hashed') return hashLeaf(value);
    if (mode === 'redacted' && typeof value === 'string') return truncate(redactSecretsInText(value), limits);
    return value;
  };
  const key = (name: string): string => (mode === 'redacted' ? truncate(redactSecretsInText(name), limits) : name);

  // What nothing changed is returned as it came (its own object, not a copy): most arguments
  // hold no secret and no long string, and copying them only to serialise the copy cost more
  // than the redaction. Only plain data is passed on so (arrays, objects whose prototype is
  // Object's or none, as parsed JSON makes them), because the caller serialises what it gets
  // and must get the bytes a copy would give; anything else is copied as before.
  const walk = (value: unknown, depth: number, state: WalkState): unknown => {
    // `full` is bounded only in depth and cycles, which protect the serializer, not the reader.
    if (mode !== 'full' && ++state.nodes > limits.maxNodes) return '[LIMIT]';
    const plain = toPlain(value);
    if (plain === null || typeof plain !== 'object') return leaf(plain);
    if (depth >= limits.maxDepth) return '[DEPTH]';
    if (state.ancestors.includes(plain)) return '[CIRCULAR]';
    state.ancestors.push(plain);
    const asIs = plain === value && isPlainData(plain);
    try {
      if (Array.isArray(plain)) {
        let out: unknown[] | undefined = asIs ? undefined : [];
        for (let i = 0; i < plain.length; i++) {
          const item: unknown = plain[i];
          const shown = isDropped(item) ? null : walk(item, depth + 1, state);
          if (out === undefined && shown !== item) out = plain.slice(0, i);
          out?.push(shown);
        }
        return out ?? plain;
      }
      // A null prototype, so a `__proto__` key is kept as data instead of changing the object.
      let out: Record<string, unknown> | undefined = asIs ? undefined : Object.create(null);
      const names = Object.keys(plain);
      for (let i = 0; i < names.length; i++) {
        const name = names[i] as string;
        const item: unknown = (plain as Record<string, unknown>)[name];
        const dropped = isDropped(item);
        const shown = dropped ? undefined : mode !== 'full' && isSecretKey(name) ? REDACTED : walk(item, depth + 1, state);
        const shownName = dropped ? name : key(name);
        // The first change: the names before it were kept as they were, without a clash.
        if (out === undefined && (dropped || shown !== item || shownName !== name)) out = copyOf(plain as Record<string, unknown>, names, i);
        if (out !== undefined && !dropped) out[uniqueKey(out, shownName)] = shown;
      }
      return out ?? plain;
    } finally {
      state.ancestors.pop();
    }
  };

  // One walk state for every value: a walk leaves its ancestors as it found them (each one
  // pushed is popped on the way out, thrown or not), and walks do not nest.
  const state: WalkState = { nodes: 0, ancestors: [] };
  const processor: ArgumentProcessor = (value) => {
    if (value === undefined) return undefined;
    state.nodes = 0;
    state.ancestors.length = 0;
    return walk(value, 0, state);
  };
  if (mode === 'redacted') processor.text = cleanTextOf(limits, isSecretKey, redactSecretsInText);
  return processor;
}

/**
 * ArgumentProcessor.text in `redacted` mode: JSON.stringify of a small plain object or array in
 * which the walk would change nothing, checked and written in one pass: every string (each key,
 * each value) must come back from the redaction unchanged and uncut, no key may be a secret's
 * name, and no value may be one JSON leaves out or writes otherwise (a toJSON, a class, a bigint,
 * NaN); within the bounds above, which are also within the walk's (so that nothing of it would be
 * [LIMIT] or [DEPTH], and a cycle ends the pass). Undefined at the first thing that fails.
 *
 * The text is JSON.stringify's, written as the checks go (the values that pass are the few JSON
 * writes in one way only): a string as {@link jsonString} quotes it, a finite number as its
 * String() (JSON's ToString, -0 as 0), an object's own keys in for-in's order, which for own
 * keys is Object.keys' and so JSON.stringify's.
 */
function cleanTextOf(limits: ArgumentLimits, isSecretKey: (key: string) => boolean, redactText: (text: string) => string): (value: unknown) => string | undefined {
  const maxNodes = Math.min(TEXT_NODES, limits.maxNodes);
  const maxDepth = Math.min(TEXT_DEPTH, limits.maxDepth);
  let nodes = 0;
  const cleanString = (text: string): string | undefined => (text.length <= limits.truncateOver && redactText(text) === text ? jsonString(text) : undefined);
  const clean = (value: unknown, depth: number): string | undefined => {
    if (++nodes > maxNodes) return undefined;
    switch (typeof value) {
      case 'string':
        return cleanString(value);
      case 'number':
        // NaN is not itself to the walk (NaN !== NaN): it would copy the container.
        return Number.isFinite(value) ? String(value) : undefined;
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        if (value === null) return 'null';
        return depth < maxDepth && (value as { toJSON?: unknown }).toJSON === undefined ? cleanContainer(value, depth) : undefined;
      default:
        return undefined;
    }
  };
  const cleanContainer = (value: object, depth: number): string | undefined => {
    if (Array.isArray(value)) {
      let text = '[';
      for (let i = 0; i < value.length; i++) {
        const item = clean(value[i], depth + 1);
        if (item === undefined) return undefined;
        text += i === 0 ? item : `,${item}`;
      }
      return `${text}]`;
    }
    if (!isPlainData(value)) return undefined;
    // Its own keys in Object.keys' order, without making their list: for-in gives the own
    // keys first, in that order, and then inherited ones, which are passed over. A string that
    // JSON writes as it is (printable ASCII without `"` and `\`) is added without its quotes:
    // the opening one ends its key's text, the closing one starts what comes after it.
    let text = '';
    let after = KEY_FIRST;
    for (const name in value) {
      if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
      if (isSecretKey(name) || !(name.length <= limits.truncateOver && redactText(name) === name)) return undefined;
      const item: unknown = (value as Record<string, unknown>)[name];
      if (typeof item === 'string' && isBareString(item)) {
        if (++nodes > maxNodes || !(item.length <= limits.truncateOver && redactText(item) === item)) return undefined;
        text = text + keyText(name, after + KEY_BEFORE_STRING) + item;
        after = KEY_AFTER_STRING;
      } else {
        const written = clean(item, depth + 1);
        if (written === undefined) return undefined;
        text = text + keyText(name, after) + written;
        after = KEY_AFTER_VALUE;
      }
    }
    return after === KEY_FIRST ? '{}' : text + (after === KEY_AFTER_STRING ? '"}' : '}');
  };
  // A key's text between the value before it and its own: `{"name":` for an object's first,
  // `,"name":` after a value, `","name":` after a string left open; with a `"` at the end when
  // its own value is a string added without its quotes. Kept for the names calls repeat (as
  // isSecretKey keeps its answers), not quoted and joined again; the name is checked (redacted)
  // for every record before its text is taken, as the redaction may change.
  const keyTexts = new Map<string, (string | undefined)[]>();
  const keyText = (name: string, form: number): string => {
    let forms = keyTexts.get(name);
    if (forms === undefined) {
      forms = new Array<string | undefined>(KEY_FORMS).fill(undefined);
      if (name.length <= MEMO_KEY_CHARS) {
        if (keyTexts.size >= MEMO_KEYS) keyTexts.clear();
        keyTexts.set(name, forms);
      }
    }
    return (forms[form] ??= flat(`${KEY_STARTS[form >> 1]}${jsonString(name)}:${form & KEY_BEFORE_STRING ? '"' : ''}`));
  };
  return (value) => {
    if (value === null || typeof value !== 'object') return undefined;
    nodes = 0;
    return clean(value, 0);
  };
}

// The forms of a key's text (cleanTextOf's keyText): what is before it, times two, plus one
// when its value is a string added without its quotes.
const KEY_FIRST = 0;
const KEY_AFTER_VALUE = 2;
const KEY_AFTER_STRING = 4;
const KEY_BEFORE_STRING = 1;
const KEY_FORMS = 6;
const KEY_STARTS = ['{', ',', '",'];

// A string JSON.stringify writes between quotes as it is: printable ASCII without `"` and `\`.
function isBareString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

// JSON.stringify of a string: printable ASCII without `"` and `\` is written between quotes as
// it is; anything else is left to JSON.stringify (escapes, lone surrogates).
function jsonString(text: string): string {
  return isBareString(text) ? `"${text}"` : JSON.stringify(text);
}

/** One-shot form of {@link createArgumentProcessor}, for callers that process one value. */
export function processArguments(value: unknown, options: ArgumentProcessorOptions): unknown {
  return createArgumentProcessor(options)(value);
}

/** `sha256:` and the first 16 hex digits of the leaf's JSON text. */
export function hashLeaf(value: unknown): string {
  const json = typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? 'null');
  return `sha256:${nodeCrypto().createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}

/** Cut a long string to its head and say how much was left out. */
export function truncate(text: string, limits: Pick<ArgumentLimits, 'truncateOver' | 'keepChars'>): string {
  if (text.length <= limits.truncateOver) return text;
  let keep = limits.keepChars;
  // Never split a surrogate pair: half a character would not survive UTF-8.
  const last = text.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return `${text.slice(0, keep)}…[+${text.length - keep} chars]`;
}

// What JSON.stringify would do with the value (toJSON, e.g. dates), except that errors keep
// their name, message, code and stack instead of becoming `{}`.
function toPlain(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: value.message, ...(code === undefined ? {} : { code }), stack: value.stack };
  }
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  return value;
}

// Data the serialiser writes as a copy would be written: an array, or an object with
// Object's prototype or none (no class whose own behaviour a copy would lose).
function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A null-prototype copy of the first `count` entries, which were kept as they were.
function copyOf(source: Record<string, unknown>, names: readonly string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (let i = 0; i < count; i++) out[names[i] as string] = source[names[i] as string];
  return out;
}

// JSON leaves these out of objects (and turns them into null in arrays).
function isDropped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

// Two keys can redact to the same text; keep both values rather than lose one.
function uniqueKey(out: Record<string, unknown>, name: string): string {
  if (!(name in out)) return name;
  let n = 2;
  while (`${name}#${n}` in out) n++;
  return `${name}#${n}`;
}
