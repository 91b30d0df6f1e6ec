// The result scan as it was before the walk kept its location on one stack (issue 13): the
// slow path that scan-walk-equivalence.test.ts holds the fast one to. Not used by the shim.
/**
 * The scan of one result the server returns to the model (tools/call, resources/read,
 * prompts/get): every string, in one pass, has hidden characters stripped, is read for
 * instructions aimed at the model (as shown, and as a model reads it: NFKC-folded, with
 * text smuggled in tag characters or variation selectors decoded), and has secrets and personal data redacted. Binary
 * payloads (`blob`, and `data` of images and audio) are left alone when they are valid base64;
 * the texts of a list's items are also read together. Pure; bounded in depth
 * and time, and a bound exceeded is a failure the caller treats as a block.
 */
import type { CompiledResults } from '../../../src/config/policy-types.js';
import type { CompiledRule } from '../../../src/rules/rule-types.js';
import { buildReadingVariants } from '../../../src/inspect/normalize/index.js';
import { isPlainAscii } from '../../../src/inspect/normalize/chars.js';
import { runPatternRules } from '../../../src/inspect/pattern-rules.js';
import { atLeast, type ArgumentKind, type Finding } from '../../../src/inspect/types.js';
import { redact, redactionKind } from '../../../src/inspect/results/redact.js';
import { stripHidden } from '../../../src/inspect/results/strip.js';
import { textLength } from '../../../src/inspect/text-length.js';
import { createWorkBudget, OverBudget, stepLimit, type WorkBudget } from '../../../src/inspect/budget.js';
import { cueRules, firstSpan, judgeCues, type CueSpan } from '../../../src/inspect/results/cues.js';

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
  injection: Array<Finding & { at: Location }>;
  /** Redactions by kind (redacted, or only seen when the action is warn). */
  redacted: Record<string, number>;
  /** Hidden characters by kind (stripped, or only seen when the action is warn). */
  hidden: Record<string, number>;
  /** Why the result could not be scanned; the caller blocks it. */
  failure?: string;
}

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

function showPath(at: Location): string {
  return at.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

// The rules a scanner's settings put in play, chosen once per scanner: the same arrays each
// time, so the keyword index built for them is reused.
const inPlay = new WeakMap<ResultScanner, { injectionRules: readonly CompiledRule[]; redactionRules: readonly CompiledRule[] }>();

function rulesInPlay(scanner: ResultScanner): { injectionRules: readonly CompiledRule[]; redactionRules: readonly CompiledRule[] } {
  let rules = inPlay.get(scanner);
  if (!rules) {
    const { settings } = scanner;
    rules = {
      // The rules at the floor, and those below it as cues (./cues.ts): one list, so one pass.
      injectionRules: settings.injection.action === 'off' ? [] : [...scanner.injectionRules.filter((r) => atLeast(r.severity, settings.injection.minSeverity)), ...cueRules(scanner.injectionRules, settings.injection.minSeverity)],
      redactionRules: scanner.redactionRules.filter((r) => (r.category === 'secrets' ? settings.secrets : settings.pii.action) !== 'off'),
    };
    inPlay.set(scanner, rules);
  }
  return rules;
}

/**
 * Scan one result object. Never throws. `known.plain` says every string in it is plain ASCII
 * (read from the frame's bytes: src/protocol/plain-strings.ts), so no string is tested again.
 */
export function referenceScanResult(result: unknown, scanner: ResultScanner, known: { plain?: boolean } = {}): ResultScanOutcome {
  const { settings } = scanner;
  const outcome: ResultScanOutcome = { value: result, changed: false, injection: [], redacted: {}, hidden: {} };
  const { injectionRules, redactionRules } = rulesInPlay(scanner);
  const redacting = (rule: CompiledRule) => (rule.category === 'secrets' ? settings.secrets : settings.pii.action) === 'redact';
  const clock = scanner.clock;
  let budget: WorkBudget | undefined;
  const checkBudget = (steps?: number): void => budget?.spend(steps);

  // Spans of cue rules in a text, worked out only when a text has two cues or more.
  let byId: Map<string, CompiledRule> | undefined;
  const spansIn = (text: string): CueSpan => {
    let lower: string | undefined;
    return (ruleId) => {
      byId ??= new Map(injectionRules.map((r) => [r.id, r]));
      const rule = byId.get(ruleId);
      if (!rule) return undefined;
      lower ??= text.toLowerCase();
      checkBudget(lower.length);
      return firstSpan(rule, lower);
    };
  };

  const scanString = (text: string, at: Location): string => {
    let current = text;
    const plain = known.plain === true || isPlainAscii(text);
    // Nothing any rule looks for fits in a few plain characters ("text", "image", a name).
    if (plain && text.length < MIN_SCANNED_LENGTH) return text;
    // Stripping, decoding and reading the string: a few passes over it.
    checkBudget(text.length);
    // The text once stripped: worked out once, for the output and for reading.
    let stripped: string | undefined;
    if (!plain && settings.hidden !== 'off') {
      const found = stripHidden(text);
      stripped = found.text;
      for (const [kind, n] of Object.entries(found.removed)) outcome.hidden[kind] = (outcome.hidden[kind] ?? 0) + n;
      if (settings.hidden === 'strip') current = found.text;
    }
    if (injectionRules.length > 0) {
      // Read as the model would read it once stripped, and in every decoded spelling of the original.
      const readable = plain ? text : (stripped ?? stripHidden(text).text);
      const variants = plain ? [] : buildReadingVariants(text).filter((v) => v.text !== readable);
      const broken = plain || !text.includes('\u001b') ? readable : stripHidden(text, '\n').text;
      if (broken !== readable) variants.unshift({ text: broken, via: 'ansi-as-break' });
      const found = runPatternRules([{ path: showPath(at), key: undefined, isKey: false, raw: readable, variants }], injectionRules, () => TEXT_ONLY, checkBudget, scanner.allRules);
      for (const f of judgeCues(found, settings.injection.minSeverity, spansIn(readable))) outcome.injection.push({ ...f, at });
    }
    if (redactionRules.length > 0) {
      const redaction = redact(current, redactionRules, checkBudget, scanner.allRules);
      for (const [rule, n] of redaction.hits) {
        const kind = redactionKind(rule);
        outcome.redacted[kind] = (outcome.redacted[kind] ?? 0) + n;
      }
      const hits = [...redaction.hits.keys()];
      // Kinds the policy only warns about are counted, not replaced.
      if (hits.every(redacting)) current = redaction.text;
      else if (hits.some(redacting)) current = redact(current, redactionRules.filter(redacting), checkBudget).text;
    }
    checkBudget();
    return current;
  };

  // An instruction split over several items of one list (content items, messages) is read
  // as the model reads it: the items' texts one after the other. Only rules no single item
  // already matched are added; the joined text is no longer than its parts.
  const readTogether = (items: unknown[], at: Location, before: number): void => {
    if (injectionRules.length === 0 || items.length < 2) return;
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
    const found = judgeCues(runPatternRules([{ path: showPath(at), key: undefined, isKey: false, raw: joined, variants: [] }], injectionRules, () => TEXT_ONLY, checkBudget, scanner.allRules), settings.injection.minSeverity, spansIn(joined));
    for (const f of found) if (!seen.has(f.ruleId)) outcome.injection.push({ ...f, evidence: f.evidence, path: `${showPath(at)} (items read together)`, at: first.at });
  };

  const walk = (value: unknown, at: Location, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new ScanLimit(`the result nests deeper than ${MAX_DEPTH} levels`);
    if (typeof value === 'string') return scanString(value, at);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      const before = outcome.injection.length;
      value.forEach((item, i) => {
        const next = walk(item, [...at, i], depth + 1);
        if (next !== item) (copy ??= [...value])[i] = next;
      });
      readTogether(value, at, before);
      return copy ?? value;
    }
    if (typeof value === 'object' && value !== null) {
      const obj = value as Record<string, unknown>;
      let copy: Record<string, unknown> | undefined;
      let renamed = false;
      const entries: Array<[string, unknown]> = [];
      for (const key of Object.keys(obj)) {
        const item = obj[key];
        // Keys reach the model too (structuredContent): read, stripped and redacted like values.
        const name = scanString(key, [...at, key]);
        if (name !== key) renamed = true;
        const next = isBinary(key, obj, item) ? item : walk(item, [...at, key], depth + 1);
        if (next !== item) (copy ??= { ...obj })[key] = next;
        entries.push([name, next]);
      }
      if (!renamed) return copy ?? value;
      // Two keys may redact to the same marker: each keeps its value under a name of its own.
      const named: Record<string, unknown> = {};
      for (const [name, item] of entries) {
        let unique = name;
        for (let n = 2; Object.hasOwn(named, unique); n++) unique = `${name} (${n})`;
        named[unique] = item;
      }
      return named;
    }
    return value;
  };

  try {
    const chars = textLength(result);
    budget = createWorkBudget((scanner.stepLimit ?? stepLimit)(chars), 'scanning the result', clock?.now, clock && clock.budgetMs + clock.msPerMiB * (chars / (1024 * 1024)));
    outcome.value = walk(result, [], 0);
    checkBudget();
    outcome.changed = outcome.value !== result;
  } catch (error) {
    outcome.value = result;
    outcome.changed = false;
    outcome.failure = error instanceof ScanLimit || error instanceof OverBudget ? error.message : `scanning the result failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return outcome;
}
