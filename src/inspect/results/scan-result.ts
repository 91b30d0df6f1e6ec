/**
 * The scan of one result the server returns to the model (tools/call, resources/read,
 * prompts/get): every string, in one pass, has hidden characters stripped, is read for
 * instructions aimed at the model (as shown, and as a model reads it: NFKC-folded, with
 * text smuggled in tag characters or variation selectors decoded), and has secrets and personal data redacted. Binary
 * payloads (`blob`, and `data` of images and audio) are left alone when they are valid base64;
 * the texts of a list's items are also read together. Pure; bounded in depth
 * and time, and a bound exceeded is a failure the caller treats as a block.
 */
import type { CompiledResults } from '../../config/policy-types.js';
import type { CompiledRule } from '../../rules/rule-types.js';
import { buildReadingVariants } from '../normalize/index.js';
import { isPlainAscii } from '../normalize/chars.js';
import type { LowerCase } from '../lower-case.js';
import { runPatternRules, type Reading } from '../pattern-rules.js';
import { forgetLastText } from '../rule-index.js';
import { atLeast, type ArgumentKind, type Finding } from '../types.js';
import { redact, redactionKind } from './redact.js';
import { stripHidden } from './strip.js';
import { textLength } from '../text-length.js';
import { BUDGET_BASE_STEPS, CLOCK_EVERY_STEPS, createWorkBudget, OverBudget, stepLimit, type WorkBudget } from '../budget.js';
import { cueRules, firstSpan, judgeCues, type CueSpan } from './cues.js';
import { RecentWeakMap } from '../../util/recent-weak-map.js';

/** Where a string sits in the result: keys and indices from the result object down. */
export type Location = ReadonlyArray<string | number>;

export interface ResultScanner {
  settings: CompiledResults;
  /** Prompt-injection rules (all of them; the severity floor is applied here). */
  injectionRules: readonly CompiledRule[];
  /** Secret rules, and the personal-data rules of the kinds the policy names. */
  redactionRules: readonly CompiledRule[];
  /** The rule set the rules were taken from, for its keyword index. */
  allRules: readonly CompiledRule[];
  /** The last resort only (see ../budget.ts): wall-clock time one scan may take, plus so much per MiB. */
  clock?: { now(): number; budgetMs: number; msPerMiB: number };
  /** Steps allowed for a result of so many characters; default stepLimit (../budget.ts). */
  stepLimit?: (chars: number) => number;
}

export interface ResultScanOutcome {
  /** The result as the model may read it (the same object when nothing changed). */
  value: unknown;
  changed: boolean;
  /** Instructions aimed at the model, at or above the policy's floor, with where they are. */
  injection: ReadonlyArray<Finding & { at: Location }>;
  /** Redactions by kind (redacted, or only seen when the action is warn). */
  redacted: Readonly<Record<string, number>>;
  /** Hidden characters by kind (stripped, or only seen when the action is warn). */
  hidden: Readonly<Record<string, number>>;
  /** Why the result could not be scanned; the caller blocks it. */
  failure?: string;
}

// The outcome as the walk fills it in.
type WalkOutcome = ResultScanOutcome & { injection: Array<Finding & { at: Location }>; redacted: Record<string, number>; hidden: Record<string, number> };

// What a result known clean without a walk is found to hold: nothing, the same (frozen) for every one.
const NO_FINDINGS: ReadonlyArray<Finding & { at: Location }> = Object.freeze([]);
const NONE: Readonly<Record<string, number>> = Object.freeze({});

class ScanLimit extends Error {}

const MAX_DEPTH = 64;
// The shortest plain-ASCII string that could hold a finding (an SSN is 11 characters).
const MIN_SCANNED_LENGTH = 10;
const TEXT_ONLY: ReadonlySet<ArgumentKind> = new Set(['text']);

// Base64 as the protocol writes it: whole groups of four, padding only at the end.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// Binary payloads, exempt from the scan: a resource's blob, and the data of image and audio
// content, and only when they are valid base64. Anything else under those names is text a
// client may show, and is read like any other string.
function isBinary(key: string, parent: Record<string, unknown>, value: unknown): boolean {
  if (key !== 'blob' && !(key === 'data' && (parent.type === 'image' || parent.type === 'audio'))) return false;
  return typeof value === 'string' && value.length % 4 === 0 && BASE64.test(value);
}

// The text of one item of a list as the model reads it: a string, a content item's text, a
// message's content text, an embedded resource's text.
function itemText(item: unknown): { text: string; at: Location } | undefined {
  if (typeof item === 'string') return { text: item, at: [] };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const obj = item as Record<string, unknown>;
  if (typeof obj.text === 'string') return { text: obj.text, at: ['text'] };
  for (const key of ['content', 'resource']) {
    const inner = obj[key] as Record<string, unknown> | undefined;
    if (typeof inner === 'object' && inner !== null && typeof inner.text === 'string') return { text: inner.text, at: [key, 'text'] };
  }
  return undefined;
}

// `.content[0].text` without its leading dot: one string built, for every string scanned.
function showPath(at: Location): string {
  let shown = '';
  for (const p of at) shown += typeof p === 'number' ? `[${p}]` : `.${p}`;
  return shown.charCodeAt(0) === 0x2e ? shown.slice(1) : shown;
}

const textOnly = (): ReadonlySet<ArgumentKind> => TEXT_ONLY;

/** Bounds on the memory of short strings found clean: strings per generation, and characters per string. */
export const CLEAN_MEMO = { entries: 512, maxChars: 256 };

/**
 * Short strings a scan found clean (nothing hidden, nothing found, nothing redacted), with
 * the steps their scan took. A string's scan depends on its text alone (the scanner's rules
 * and settings are fixed; where it sits only names a finding, and a clean one has none), so
 * the same text is clean again: results repeat their short texts ("ok", a status, an echo).
 * A text remembered is charged the same steps, so a result's budget is spent as it was.
 * Two generations, the older dropped whole when the newer is full (as the audit's memo).
 */
class CleanMemo {
  private recent = new Map<string, number>();
  private older = new Map<string, number>();

  /** The steps the text's clean scan took, or undefined when it is not remembered. */
  steps(text: string): number | undefined {
    return this.recent.get(text) ?? this.older.get(text);
  }

  add(text: string, steps: number): void {
    if (text.length > CLEAN_MEMO.maxChars) return;
    if (this.recent.size >= CLEAN_MEMO.entries) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(text, steps);
  }
}

interface InPlay {
  injectionRules: readonly CompiledRule[];
  redactionRules: readonly CompiledRule[];
  clean: CleanMemo;
}

// The rules a scanner's settings put in play, chosen once per scanner: the same arrays each
// time, so the keyword index built for them is reused.
// (The shim has one scanner: see RecentWeakMap.)
const inPlay = new RecentWeakMap<ResultScanner, InPlay>();

function rulesInPlay(scanner: ResultScanner): InPlay {
  let rules = inPlay.get(scanner);
  if (!rules) {
    const { settings } = scanner;
    rules = {
      // The rules at the floor, and those below it as cues (./cues.ts): one list, so one pass.
      injectionRules: settings.injection.action === 'off' ? [] : [...scanner.injectionRules.filter((r) => atLeast(r.severity, settings.injection.minSeverity)), ...cueRules(scanner.injectionRules, settings.injection.minSeverity)],
      redactionRules: scanner.redactionRules.filter((r) => (r.category === 'secrets' ? settings.secrets : settings.pii.action) !== 'off'),
      clean: new CleanMemo(),
    };
    inPlay.set(scanner, rules);
  }
  return rules;
}

// True when the item of a list has a text the items read together would take (see itemText).
function hasItemText(item: unknown): boolean {
  if (typeof item === 'string') return true;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  const obj = item as Record<string, unknown>;
  if (typeof obj.text === 'string') return true;
  for (const key of ['content', 'resource']) {
    const inner = obj[key] as Record<string, unknown> | undefined;
    if (typeof inner === 'object' && inner !== null && typeof inner.text === 'string') return true;
  }
  return false;
}

const NOT_ALL_KNOWN = -1;

/**
 * The steps the scan of `value` takes when every string in it is one the scan passes over
 * (a few plain characters) or one remembered clean, and no list has two texts to read
 * together; NOT_ALL_KNOWN otherwise (or past MAX_DEPTH, which the full walk reports). Such a
 * result scans clean, unchanged, for those steps: the full walk would find the same.
 */
function knownCleanSteps(value: unknown, depth: number, clean: CleanMemo, plainKnown: boolean, together: boolean): number {
  if (depth > MAX_DEPTH) return NOT_ALL_KNOWN;
  if (typeof value === 'string') return knownStringSteps(value, clean, plainKnown);
  if (typeof value !== 'object' || value === null) return 0;
  let steps = 0;
  if (Array.isArray(value)) {
    let texts = 0;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const item: unknown = value[i];
      if (together && hasItemText(item) && ++texts >= 2) return NOT_ALL_KNOWN;
      const more = knownCleanSteps(item, depth + 1, clean, plainKnown, together);
      if (more === NOT_ALL_KNOWN) return NOT_ALL_KNOWN;
      steps += more;
    }
    return steps;
  }
  const obj = value as Record<string, unknown>;
  // The own keys Object.keys gives, without the array it makes per object (steps are summed,
  // so their order does not matter).
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const forKey = knownStringSteps(key, clean, plainKnown);
    if (forKey === NOT_ALL_KNOWN) return NOT_ALL_KNOWN;
    const item = obj[key];
    const more = isBinary(key, obj, item) ? 0 : knownCleanSteps(item, depth + 1, clean, plainKnown, together);
    if (more === NOT_ALL_KNOWN) return NOT_ALL_KNOWN;
    steps += forKey + more;
  }
  return steps;
}

function knownStringSteps(text: string, clean: CleanMemo, plainKnown: boolean): number {
  if (text.length < MIN_SCANNED_LENGTH && (plainKnown || isPlainAscii(text))) return 0;
  return clean.steps(text) ?? NOT_ALL_KNOWN;
}

/**
 * Scan one result object. Never throws. `known.plain` says every string in it is plain ASCII
 * (read from the frame's bytes: src/protocol/plain-strings.ts), so no string is tested again.
 */
export function scanResult(result: unknown, scanner: ResultScanner, known: { plain?: boolean } = {}): ResultScanOutcome {
  const rules = rulesInPlay(scanner);
  // A result made only of strings known clean (a repeated short answer) is clean again, for
  // the same steps as the walk would count (each string's, and one at the end) when they are
  // within the budget and few enough that the last-resort clock would not be read. (Decided
  // here, before the walk's function: its closures and their context are not made at all.)
  const knownSteps = knownCleanSteps(result, 0, rules.clean, known.plain === true, rules.injectionRules.length > 0);
  if (knownSteps !== NOT_ALL_KNOWN && knownSteps + 1 < CLOCK_EVERY_STEPS) {
    const limit = scanner.stepLimit === undefined ? BUDGET_BASE_STEPS : scanner.stepLimit(textLength(result));
    if (knownSteps + 1 <= limit) return { value: result, changed: false, injection: NO_FINDINGS, redacted: NONE, hidden: NONE };
  }
  return walkResult(result, scanner, known, rules);
}

// The scan itself: every string read, stripped and redacted as the file comment says.
function walkResult(result: unknown, scanner: ResultScanner, known: { plain?: boolean }, rules: InPlay): ResultScanOutcome {
  const { settings } = scanner;
  const outcome: WalkOutcome = { value: result, changed: false, injection: [], redacted: {}, hidden: {} };
  const { injectionRules, redactionRules, clean } = rules;
  const redacting = (rule: CompiledRule) => (rule.category === 'secrets' ? settings.secrets : settings.pii.action) === 'redact';
  const clock = scanner.clock;
  let budget: WorkBudget | undefined;
  const checkBudget = (steps?: number): void => budget?.spend(steps);

  // Spans of cue rules in a text, worked out only when a text has two cues or more.
  let byId: Map<string, CompiledRule> | undefined;
  // (`known`: text.toLowerCase(), when a pass has it already.)
  const spansIn = (text: string, known?: LowerCase): CueSpan => {
    let lower: string | undefined;
    return (ruleId) => {
      byId ??= new Map(injectionRules.map((r) => [r.id, r]));
      const rule = byId.get(ruleId);
      if (!rule) return undefined;
      lower ??= known !== undefined ? known.whole : text.toLowerCase();
      checkBudget(lower.length);
      return firstSpan(rule, lower);
    };
  };

  // Where the walk is: keys and indices from the result down, pushed and popped as it goes,
  // and copied only where a location is kept (a finding) or shown (a string read by the rules).
  const path: Array<string | number> = [];
  // A string's text as the injection pass read it (lower-cased, keyword-scanned), for the
  // redaction pass: an 8 MiB text is lower-cased and scanned once, not twice.
  const keep: { read?: Reading } = {};
  // Kinds of hidden characters counted so far (a string that had any is not remembered clean).
  let hiddenKinds = 0;

  const scanString = (text: string): string => {
    let current = text;
    const plain = known.plain === true || isPlainAscii(text);
    // Nothing any rule looks for fits in a few plain characters ("text", "image", a name).
    if (plain && text.length < MIN_SCANNED_LENGTH) return text;
    const short = text.length <= CLEAN_MEMO.maxChars;
    if (short) {
      const steps = clean.steps(text);
      if (steps !== undefined) {
        checkBudget(steps);
        return text;
      }
    }
    const usedBefore = budget?.used() ?? 0;
    const hiddenBefore = hiddenKinds;
    const injectionBefore = outcome.injection.length;
    let redacted = false;
    // Stripping, decoding and reading the string: a few passes over it.
    checkBudget(text.length);
    // The text once stripped: worked out once, for the output and for reading.
    let stripped: string | undefined;
    if (!plain && settings.hidden !== 'off') {
      const found = stripHidden(text);
      stripped = found.text;
      for (const [kind, n] of Object.entries(found.removed)) {
        outcome.hidden[kind] = (outcome.hidden[kind] ?? 0) + n;
        hiddenKinds++;
      }
      if (settings.hidden === 'strip') current = found.text;
    }
    if (injectionRules.length > 0) {
      // Read as the model would read it once stripped, and in every decoded spelling of the original.
      const readable = plain ? text : (stripped ?? stripHidden(text).text);
      const variants = plain ? [] : buildReadingVariants(text).filter((v) => v.text !== readable);
      const broken = plain || !text.includes('\u001b') ? readable : stripHidden(text, '\n').text;
      if (broken !== readable) variants.unshift({ text: broken, via: 'ansi-as-break' });
      const found = runPatternRules([{ path: showPath(path), key: undefined, isKey: false, raw: readable, variants }], injectionRules, textOnly, checkBudget, scanner.allRules, undefined, false, keep);
      // (Nothing found, nothing judged: judgeCues of no findings reports none.)
      if (found.length > 0) {
        const at: Location = path.slice();
        for (const f of judgeCues(found, settings.injection.minSeverity, spansIn(readable, keep.read?.text === readable ? keep.read.lower : undefined))) outcome.injection.push({ ...f, at });
      }
    }
    if (redactionRules.length > 0) {
      const redaction = redact(current, redactionRules, checkBudget, scanner.allRules, keep.read);
      // Most text: nothing matched, and the text is as it was.
      if (redaction.hits.size === 0) current = redaction.text;
      else {
        redacted = true;
        for (const [rule, n] of redaction.hits) {
          const kind = redactionKind(rule);
          outcome.redacted[kind] = (outcome.redacted[kind] ?? 0) + n;
        }
        const hits = [...redaction.hits.keys()];
        // Kinds the policy only warns about are counted, not replaced.
        if (hits.every(redacting)) current = redaction.text;
        else if (hits.some(redacting)) current = redact(current, redactionRules.filter(redacting), checkBudget, undefined, keep.read).text;
      }
    }
    // (Not held past this string: it may be a long text's copy.)
    keep.read = undefined;
    checkBudget();
    if (short && current === text && !redacted && hiddenKinds === hiddenBefore && outcome.injection.length === injectionBefore && budget !== undefined) clean.add(text, budget.used() - usedBefore);
    return current;
  };

  // An instruction split over several items of one list (content items, messages) is read
  // as the model reads it: the items' texts one after the other. Only rules no single item
  // already matched are added; the joined text is no longer than its parts.
  const readTogether = (items: unknown[], before: number): void => {
    if (injectionRules.length === 0 || items.length < 2) return;
    const at: Location = path.slice();
    const parts: Array<{ text: string; at: Location }> = [];
    items.forEach((item, i) => {
      const found = itemText(item);
      if (found) parts.push({ text: known.plain === true || isPlainAscii(found.text) ? found.text : stripHidden(found.text).text, at: [...at, i, ...found.at] });
    });
    if (parts.length < 2) return;
    const seen = new Set(outcome.injection.slice(before).map((f) => f.ruleId));
    // Joined by a space: a client may show items apart, but rules read a phrase across a space, not every one across a line end.
    const joined = parts.map((p) => p.text).join(' ');
    const first = parts[0] as { at: Location };
    const found = judgeCues(runPatternRules([{ path: showPath(at), key: undefined, isKey: false, raw: joined, variants: [] }], injectionRules, textOnly, checkBudget, scanner.allRules), settings.injection.minSeverity, spansIn(joined));
    for (const f of found) if (!seen.has(f.ruleId)) outcome.injection.push({ ...f, evidence: f.evidence, path: `${showPath(at)} (items read together)`, at: first.at });
  };

  // `value` sits at `path`. (A bound exceeded throws out of the walk, and `path` with it.)
  const walk = (value: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new ScanLimit(`the result nests deeper than ${MAX_DEPTH} levels`);
    if (typeof value === 'string') return scanString(value);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      const before = outcome.injection.length;
      for (let i = 0; i < value.length; i++) {
        // (forEach skipped the holes of a sparse array; JSON makes none, but a caller might.)
        if (!(i in value)) continue;
        const item: unknown = value[i];
        path.push(i);
        const next = walk(item, depth + 1);
        path.pop();
        if (next !== item) (copy ??= [...value])[i] = next;
      }
      readTogether(value, before);
      return copy ?? value;
    }
    if (typeof value === 'object' && value !== null) {
      const obj = value as Record<string, unknown>;
      let copy: Record<string, unknown> | undefined;
      const keys = Object.keys(obj);
      // The names keys are read as, made only once one of them changes.
      let names: string[] | undefined;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string;
        const item = obj[key];
        path.push(key);
        // Keys reach the model too (structuredContent): read, stripped and redacted like values.
        const name = scanString(key);
        if (name !== key) (names ??= keys.slice(0, k)).push(name);
        else names?.push(name);
        const next = isBinary(key, obj, item) ? item : walk(item, depth + 1);
        path.pop();
        if (next !== item) (copy ??= { ...obj })[key] = next;
      }
      if (names === undefined) return copy ?? value;
      // Two keys may redact to the same marker: each keeps its value under a name of its own.
      const values = copy ?? obj;
      const named: Record<string, unknown> = {};
      for (let k = 0; k < keys.length; k++) {
        const name = names[k] as string;
        let unique = name;
        for (let n = 2; Object.hasOwn(named, unique); n++) unique = `${name} (${n})`;
        named[unique] = values[keys[k] as string];
      }
      return named;
    }
    return value;
  };

  try {
    const chars = textLength(result);
    const limit = (scanner.stepLimit ?? stepLimit)(chars);
    budget = createWorkBudget(limit, 'scanning the result', clock?.now, clock === undefined ? 0 : clock.budgetMs + clock.msPerMiB * (chars / (1024 * 1024)));
    outcome.value = walk(result, 0);
    checkBudget();
    outcome.changed = outcome.value !== result;
  } catch (error) {
    outcome.value = result;
    outcome.changed = false;
    outcome.failure = error instanceof ScanLimit || error instanceof OverBudget ? error.message : `scanning the result failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    // The result's long texts are read by this scan only: nothing keeps them past it.
    forgetLastText(scanner.allRules);
  }
  return outcome;
}
