// The pattern-rule path as it was before the keyword automaton (src/inspect/pattern-rules.ts at
// ee4fa76, imports adjusted): the oracle the fast path is compared with in
// test/inspect/pattern-rules-equivalence.test.ts. Not used by the product.
/**
 * Runs the pattern rules of the rule packs over every spelling of every string: keyword
 * prefilter first, then the linear-time patterns on the lower-cased text, then the
 * rule's validator on the matched text in its original case.
 */
import type { CompiledRule } from '../../../src/rules/rule-types.js';
import { charSetOfCodes, charsOf, mayMatch, requiredChars, type CharSet } from '../../../src/rules/required-chars.js';
import { excerpt, maskSecret } from '../../../src/inspect/evidence.js';
import type { ArgumentKind, Finding, InspectedString } from '../../../src/inspect/types.js';

/** One spelling of a string, lower-cased once for every rule. */
interface Spelling {
  text: string;
  lower: string;
  via: string;
  /** The rules' keywords that occur in it, found in one pass (see KeywordIndex). */
  keywords?: ReadonlySet<string>;
  /** The characters of `lower`, read in the same pass (see required-chars.ts). */
  chars?: CharSet;
}

/** What one pass over a text found: the rules' keywords in it, and its characters. */
interface Found {
  keywords: Set<string>;
  chars: CharSet;
}

// The characters each pattern needs (required-chars.ts), worked out once per pattern.
const needs = new WeakMap<RegExp, CharSet | null>();

function needOf(regex: RegExp): CharSet | undefined {
  let need = needs.get(regex);
  if (need === undefined) needs.set(regex, (need = requiredChars(regex) ?? null));
  return need ?? undefined;
}

/**
 * The keywords of a rule set, found in one pass over each spelling instead of one search
 * per keyword per rule: keywords are filed by their first two characters, so each position
 * of the text looks at the few keywords that could start there. Most text holds none, and
 * then no rule runs at all. It also lists, per keyword, the rules that name it.
 */
class KeywordIndex {
  // Keyed by the first two UTF-16 units, packed into one number: no string per position.
  private readonly byPrefix = new Map<number, string[]>();
  // For two ASCII units, the keywords starting with them, by array index: no hashing at all.
  private readonly asciiPairs: Array<string[] | undefined> = new Array<string[] | undefined>(128 * 128).fill(undefined);
  private readonly short: string[] = [];
  /** Rules by each of their keywords; rules without keywords are in `always`. */
  readonly rulesByKeyword = new Map<string, CompiledRule[]>();
  readonly always: CompiledRule[] = [];

  constructor(rules: readonly CompiledRule[]) {
    for (const rule of rules) {
      if (!rule.keywords) this.always.push(rule);
      for (const keyword of rule.keywords ?? []) {
        const list = this.rulesByKeyword.get(keyword);
        if (list) list.push(rule);
        else this.rulesByKeyword.set(keyword, [rule]);
      }
    }
    for (const keyword of this.rulesByKeyword.keys()) {
      if (keyword.length < 2) this.short.push(keyword);
      else {
        const a = keyword.charCodeAt(0);
        const b = keyword.charCodeAt(1);
        if (a < 128 && b < 128) (this.asciiPairs[a * 128 + b] ??= []).push(keyword);
        else {
          const list = this.byPrefix.get(a * 0x10000 + b);
          if (list) list.push(keyword);
          else this.byPrefix.set(a * 0x10000 + b, [keyword]);
        }
      }
    }
  }

  // The last text searched and what was found: the scan of a result searches the same text
  // for injections and then for secrets.
  private last: { lower: string; found: Found } | undefined;

  /** The keywords present in `lower`, and its characters (do not change what is returned). */
  find(lower: string): Found {
    if (this.last !== undefined && this.last.lower.length === lower.length && this.last.lower === lower) return this.last.found;
    const found = this.search(lower);
    this.last = lower.length >= WINDOW_FROM_BYTES ? { lower, found } : undefined;
    return found;
  }

  private search(lower: string): Found {
    const found = new Set<string>();
    for (const keyword of this.short) if (lower.includes(keyword)) found.add(keyword);
    // Long one-byte text is read from a byte copy: charCodeAt on the many shapes a string
    // can have (sliced from a frame, external) is several times slower than a typed array.
    if (lower.length >= BYTE_COPY_FROM && !BEYOND_LATIN1.test(lower)) return this.searchBytes(lower, Buffer.from(lower, 'latin1'), found);
    const { byPrefix, asciiPairs } = this;
    const n = lower.length;
    // Which characters occur, for the patterns' needs (see required-chars.ts).
    const chars = charsOf(lower);
    let b = n > 0 ? lower.charCodeAt(0) : 0;
    for (let i = 0; i + 1 < n; i++) {
      const a = b;
      b = lower.charCodeAt(i + 1);
      const candidates = a < 128 && b < 128 ? asciiPairs[a * 128 + b] : byPrefix.get(a * 0x10000 + b);
      if (candidates === undefined) continue;
      const c = lower.charCodeAt(i + 2);
      for (const keyword of candidates) {
        if (keyword.length > 2 && keyword.charCodeAt(2) !== c) continue;
        if (!found.has(keyword) && lower.startsWith(keyword, i)) found.add(keyword);
      }
    }
    return { keywords: found, chars };
  }

  // search() over the bytes of a text with no code unit above 0xff.
  private searchBytes(lower: string, bytes: Uint8Array, found: Set<string>): Found {
    const { byPrefix, asciiPairs } = this;
    const n = bytes.length;
    const seen = new Uint8Array(256);
    if (n > 0) seen[bytes[n - 1] as number] = 1;
    for (let i = 0; i + 1 < n; i++) {
      const a = bytes[i] as number;
      const b = bytes[i + 1] as number;
      seen[a] = 1;
      const candidates = a < 128 && b < 128 ? asciiPairs[a * 128 + b] : byPrefix.get(a * 0x10000 + b);
      if (candidates === undefined) continue;
      const c = bytes[i + 2];
      for (const keyword of candidates) {
        if (keyword.length > 2 && keyword.charCodeAt(2) !== c) continue;
        if (!found.has(keyword) && lower.startsWith(keyword, i)) found.add(keyword);
      }
    }
    return { keywords: found, chars: charSetOfCodes(seen.subarray(0, 128), seen.subarray(128).includes(1)) };
  }
}

// From this length, search() works on a byte copy of one-byte text.
const BYTE_COPY_FROM = 4096;
const BEYOND_LATIN1 = /[^\x00-\xff]/;

// The set of each rules array passed in, built once per array.
const inPlaySets = new WeakMap<readonly CompiledRule[], ReadonlySet<CompiledRule>>();
const indexes = new WeakMap<readonly CompiledRule[], KeywordIndex>();
const orders = new WeakMap<readonly CompiledRule[], Map<CompiledRule, number>>();

function spellings(s: InspectedString, withRaw: boolean): Spelling[] {
  const all = withRaw ? [{ text: s.raw, via: 'raw' }, ...s.variants] : s.variants;
  return all.map(({ text, via }) => ({ text, lower: text.toLowerCase(), via }));
}

// Long text is searched only around the rule's keywords: the linear engine costs tens of
// milliseconds per MiB per pattern, and a match always contains a keyword (a pack test
// holds every example to that). A window reaches this far before and after each keyword.
const WINDOW_FROM_BYTES = 2048;
const WINDOW_BEFORE = 512;
const WINDOW_AFTER = 1024;
// One regex run covers at most this much text; slices overlap by the window's reach.
const SLICE_BYTES = 64 * 1024;
// One keyword hit every this many characters on average, and windows would merge into one.
const DENSE_EVERY = 256;
const SLICE_OVERLAP = WINDOW_AFTER;

// Cut [from, to) into overlapping slices of at most SLICE_BYTES.
function slices(from: number, to: number): Array<[number, number]> {
  if (to - from <= SLICE_BYTES) return [[from, to]];
  const out: Array<[number, number]> = [];
  for (let at = from; at < to; at += SLICE_BYTES - SLICE_OVERLAP) {
    out.push([at, Math.min(to, at + SLICE_BYTES)]);
    if (at + SLICE_BYTES >= to) break;
  }
  return out;
}

// The stretches of `lower` worth searching for a rule: all of it when short or when the
// rule has no keywords, else merged windows around every keyword occurrence.
function searchWindows(rule: CompiledRule, lower: string, present?: ReadonlySet<string>, checkBudget: (steps?: number) => void = () => undefined): Array<[number, number]> | undefined {
  if (!rule.keywords) return [[0, lower.length]];
  if (present && !rule.keywords.some((k) => present.has(k))) return undefined;
  // Each keyword is looked for through the whole text.
  checkBudget(lower.length * rule.keywords.length);
  // (`present` holds exactly the keywords in `lower`, so one of this rule's is there.)
  if (lower.length < WINDOW_FROM_BYTES) return present || rule.keywords.some((k) => lower.includes(k)) ? [[0, lower.length]] : undefined;
  const hits: number[] = [];
  // (Windows are also cut into slices of at most SLICE_BYTES below, so the time budget is
  // checked between slices of a long stretch.)
  // Keywords so dense that their windows would cover the text anyway: search all of it.
  const dense = lower.length / DENSE_EVERY;
  for (const keyword of rule.keywords) {
    for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + keyword.length)) {
      hits.push(at);
      if (hits.length > dense) return [[0, lower.length]];
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => a - b);
  const windows: Array<[number, number]> = [];
  for (const hit of hits) {
    const from = Math.max(0, hit - WINDOW_BEFORE);
    const to = Math.min(lower.length, hit + WINDOW_AFTER);
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows;
}

/** A match a rule's validator accepted: where, and the text in its original case. */
interface Match {
  start: number;
  end: number;
  text: string;
}

/**
 * Visit each match of a rule in the windows of `lower` (the lower-cased `text`) that its
 * validator accepts, until `visit` returns true. Matches come per slice and per pattern.
 */
function eachMatch(rule: CompiledRule, text: string, lower: string, windows: Array<[number, number]>, checkBudget: (steps?: number) => void, visit: (match: Match) => boolean, chars: CharSet): void {
  // Lower-casing can change the length of some characters; then offsets only hold in the lower text.
  const sameLength = lower.length === text.length;
  for (const [from, to] of windows.length === 1 && windows[0]![1] - windows[0]![0] <= SLICE_BYTES ? windows : windows.flatMap(([a, b]) => slices(a, b))) {
    const region = from === 0 && to === lower.length ? lower : lower.slice(from, to);
    for (const regex of rule.regexes) {
      // The linear engine reads the region once per pattern: charged before it runs (also
      // when the text lacks every character the pattern needs and it is not run, so the
      // budget, and any verdict resting on it, does not depend on the shortcut).
      checkBudget(region.length);
      if (!mayMatch(needOf(regex), chars)) continue;
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(region)) !== null) {
        const start = from + match.index;
        const end = start + match[0].length;
        if (match[0].length === 0) regex.lastIndex++;
        else {
          const original = sameLength ? text.slice(start, end) : match[0];
          if ((!rule.validate || rule.validate(original)) && visit({ start, end, text: original })) return;
        }
        // Text full of near-misses (matches the validator turns down): each validation counts.
        checkBudget(match[0].length + 1);
      }
    }
  }
}

// The first match of a rule in one spelling that its validator accepts.
function firstMatch(rule: CompiledRule, spelling: Spelling, checkBudget: (steps?: number) => void): Match | undefined {
  const windows = searchWindows(rule, spelling.lower, spelling.keywords, checkBudget);
  if (!windows) return undefined;
  let first: Match | undefined;
  eachMatch(rule, spelling.text, spelling.lower, windows, checkBudget, (match) => {
    first = match;
    return true;
  }, spelling.chars as CharSet);
  return first;
}

/** A stretch of text a rule matched (and its validator accepted). */
export interface Span {
  start: number;
  end: number;
  rule: CompiledRule;
}

/**
 * Lower-case `text` without changing its length, so that offsets found in the lower-cased
 * text hold in the original: the few characters whose lower case is longer stay as they are.
 */
export function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/**
 * Every match of each rule in one text (not only the first), for redaction. Matches of one
 * rule do not overlap; `lower` is lowerSameLength(text).
 */
export function findAllSpans(
  text: string,
  lower: string,
  rules: readonly CompiledRule[],
  checkBudget: (steps?: number) => void = () => undefined,
  /** The whole rule set `rules` was taken from (a stable array), whose keyword index runPatternRules shares. */
  allRules: readonly CompiledRule[] = rules,
): Span[] {
  const spans: Span[] = [];
  let index = indexes.get(allRules);
  if (!index) indexes.set(allRules, (index = new KeywordIndex(allRules.filter((r) => r.regexes.length > 0))));
  // One pass finds the keywords present; rules naming none of them do not run.
  checkBudget(lower.length);
  const { keywords: present, chars } = index.find(lower);
  for (const rule of rules) {
    const windows = searchWindows(rule, lower, present, checkBudget);
    if (!windows) continue;
    const found: Span[] = [];
    eachMatch(rule, text, lower, windows, checkBudget, ({ start, end }) => {
      found.push({ start, end, rule });
      return false;
    }, chars);
    // Slices overlap, and so can the matches of a rule's several patterns: keep the first of each overlap.
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    // (A loop, not push(...spans): a result dense with secrets has more matches than a call may take arguments.)
    for (const span of nonOverlapping(found)) spans.push(span);
  }
  return spans;
}

/** From spans sorted by start, each that begins where the last one kept has ended. */
export function nonOverlapping<T extends { start: number; end: number }>(sorted: readonly T[]): T[] {
  const kept: T[] = [];
  let reached = 0;
  for (const span of sorted) {
    if (span.start < reached) continue;
    kept.push(span);
    reached = span.end;
  }
  return kept;
}

/** Every pattern rule that fires, once per rule and string, with where and how it matched. */
export function runPatternRules(
  strings: readonly InspectedString[],
  rules: readonly CompiledRule[],
  kindsOf: (s: InspectedString) => ReadonlySet<ArgumentKind>,
  checkBudget: (steps?: number) => void = () => undefined,
  /** The whole rule set `rules` was taken from (a stable array), to build the keyword index once. */
  allRules: readonly CompiledRule[] = rules,
  /** Stop at the first finding for which this is true (it settles the verdict). */
  stop: (finding: Finding) => boolean = () => false,
  /** Leave out the raw text of each string (an earlier pass read it): only its decoded spellings. */
  skipRaw = false,
): Finding[] {
  const findings: Finding[] = [];
  let index = indexes.get(allRules);
  if (!index) indexes.set(allRules, (index = new KeywordIndex(allRules.filter((r) => r.regexes.length > 0))));
  // The rules in play (`rules` may leave out inactive categories), in rule-set order.
  let inPlay: ReadonlySet<CompiledRule> | undefined;
  if (rules !== allRules) {
    inPlay = inPlaySets.get(rules);
    if (!inPlay) inPlaySets.set(rules, (inPlay = new Set(rules)));
  }
  const order = orders.get(allRules) ?? new Map(allRules.map((r, i) => [r, i]));
  orders.set(allRules, order);
  for (const s of strings) {
    const kinds = kindsOf(s);
    const all = spellings(s, !skipRaw);
    // Only rules with no keywords, or with one present in some spelling, can fire.
    const candidates = new Set<CompiledRule>(index.always);
    for (const spelling of all) {
      checkBudget(spelling.lower.length);
      ({ keywords: spelling.keywords, chars: spelling.chars } = index.find(spelling.lower));
      for (const keyword of spelling.keywords) for (const rule of index.rulesByKeyword.get(keyword) ?? []) candidates.add(rule);
    }
    const applicable = [...candidates]
      .filter((r) => (!inPlay || inPlay.has(r)) && (!r.kinds || r.kinds.some((k) => kinds.has(k))))
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    for (const rule of applicable) {
      checkBudget(1);
      for (const spelling of all) {
        const hit = firstMatch(rule, spelling, checkBudget);
        if (!hit) continue;
        const shown = rule.category === 'secrets' ? maskSecret(hit.text) : excerpt(spelling.text, hit.start, hit.end);
        findings.push({
          ruleId: rule.id,
          category: rule.category,
          severity: rule.severity,
          path: s.path,
          evidence: spelling.via === 'raw' ? shown : `${shown} (after ${spelling.via})`,
          message: rule.message ?? rule.description,
        });
        break;
      }
      const last = findings[findings.length - 1];
      if (last !== undefined && stop(last)) return findings;
    }
  }
  return findings;
}
