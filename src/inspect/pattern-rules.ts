/**
 * Runs the pattern rules of the rule packs over every spelling of every string: keyword
 * prefilter first, then the linear-time patterns on the lower-cased text, then the
 * rule's validator on the matched text in its original case.
 */
import type { CompiledRule } from '../rules/rule-types.js';
import { excerpt, maskSecret } from './evidence.js';
import { LowerCase } from './lower-case.js';
import type { QuietStrings } from './quiet-strings.js';
import { isSharedKinds } from './kinds.js';
import { has, ruleIndexOf, type RuleBits, type RuleIndex, type SpellingScan } from './rule-index.js';
import { NO_FINDINGS, type ArgumentKind, type Finding, type InspectedString } from './types.js';

export { lowerSameLength } from './lower-case.js';

/** One spelling of a string, lower-cased for every rule (a long one as far as they read it: lower-case.ts). */
class Spelling extends LowerCase {
  /** The rules with keywords that have one in it, and its characters, found in one pass (see rule-index.ts). */
  scan: SpellingScan | undefined = undefined;

  constructor(
    text: string,
    readonly via: string,
  ) {
    super(text);
  }
}

function spellings(s: InspectedString, withRaw: boolean): Spelling[] {
  const all: Spelling[] = withRaw ? [new Spelling(s.raw, 'raw')] : [];
  for (const v of s.variants) all.push(new Spelling(v.text, v.via));
  return all;
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
// rule has no keywords, else merged windows around every keyword occurrence. `keywordIn`:
// one of the rule's keywords occurs in `lower` (the keyword pass found it).
function searchWindows(rule: CompiledRule, lowerCase: LowerCase, keywordIn: boolean, checkBudget: (steps?: number) => void): Array<[number, number]> | undefined {
  if (!rule.keywords) return [[0, lowerCase.length]];
  if (!keywordIn) return undefined;
  // Each keyword is looked for through the whole text.
  checkBudget(lowerCase.length * rule.keywords.length);
  if (lowerCase.length < WINDOW_FROM_BYTES) return [[0, lowerCase.length]];
  const length = lowerCase.length;
  const hits: number[] = [];
  // (Windows are also cut into slices of at most SLICE_BYTES below, so the time budget is
  // checked between slices of a long stretch.)
  // Keywords so dense that their windows would cover the text anyway: search all of it.
  const dense = length / DENSE_EVERY;
  for (const keyword of rule.keywords) {
    for (let at = lowerCase.indexOf(keyword); at !== -1; at = lowerCase.indexOf(keyword, at + keyword.length)) {
      hits.push(at);
      if (hits.length > dense) return [[0, length]];
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => a - b);
  const windows: Array<[number, number]> = [];
  for (const hit of hits) {
    const from = Math.max(0, hit - WINDOW_BEFORE);
    const to = Math.min(length, hit + WINDOW_AFTER);
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
function eachMatch(rule: CompiledRule, may: ((r: number, from: number, to: number) => boolean) | undefined, text: string, lower: LowerCase, windows: Array<[number, number]>, checkBudget: (steps?: number) => void, visit: (match: Match) => boolean): void {
  // Lower-casing can change the length of some characters; then offsets only hold in the lower text.
  const sameLength = lower.length === text.length;
  for (const [from, to] of windows.length === 1 && windows[0]![1] - windows[0]![0] <= SLICE_BYTES ? windows : windows.flatMap(([a, b]) => slices(a, b))) {
    // (Made once a pattern is to run on it: a long text is lower-cased only there.)
    let region: string | undefined;
    for (let r = 0; r < rule.regexes.length; r++) {
      const regex = rule.regexes[r]!;
      // The linear engine reads the region once per pattern: charged before it runs (also
      // when the text lacks every character the pattern needs and it is not run, so the
      // budget, and any verdict resting on it, does not depend on the shortcut).
      checkBudget(to - from);
      if (may !== undefined && !may(r, from, to)) continue;
      region ??= lower.slice(from, to);
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

// The first match of rule `i` of the index in one spelling that its validator accepts.
function firstMatch(rule: CompiledRule, i: number, index: RuleIndex, spelling: Spelling, checkBudget: (steps?: number) => void): Match | undefined {
  const scan = spelling.scan as SpellingScan;
  const n = spelling.length;
  if (n < WINDOW_FROM_BYTES) {
    // (Counts from the index: `rule.keywords` and `rule.regexes` are slow reads on rule objects of many shapes.)
    const keywords = index.keywordCount[i]!;
    // Short text is one region. When none of the rule's patterns could match it, the steps
    // searchWindows and eachMatch would count are counted at once, and nothing runs.
    if (keywords >= 0 && !has(scan.woken, i)) return undefined;
    // (The patterns that may match, worked out once: eachMatch reads the bits, not asking again.)
    const mask = index.mayMatchMask(i, scan);
    if (mask === 0) {
      checkBudget(n * (Math.max(keywords, 0) + index.patternCount[i]!));
      return undefined;
    }
    if (mask !== -1) {
      // One region, the whole text: searchWindows' count is its keyword search.
      if (keywords >= 0) checkBudget(n * keywords);
      return firstIn(rule, i, index, spelling, mask, checkBudget);
    }
  }
  const windows = searchWindows(rule, spelling, has(scan.woken, i), checkBudget);
  if (!windows) return undefined;
  let first: Match | undefined;
  eachMatch(rule, (r, from, to) => index.mayMatchWithin(i, r, scan, from, to), spelling.text, spelling, windows, checkBudget, (match) => {
    first = match;
    return true;
  });
  return first;
}

// eachMatch's first accepted match over the whole of a short spelling, for the patterns in `mask`.
// (The patterns are read from the index, rule `i`'s own: `rule.regexes` is a slow read on rule objects of many shapes.)
function firstIn(rule: CompiledRule, i: number, index: RuleIndex, spelling: Spelling, mask: number, checkBudget: (steps?: number) => void): Match | undefined {
  const text = spelling.text;
  const lower = spelling.whole;
  const sameLength = lower.length === text.length;
  const count = index.patternCount[i]!;
  const first = index.firstPattern[i]!;
  for (let r = 0; r < count; r++) {
    checkBudget(lower.length);
    if ((mask & (1 << r)) === 0) continue;
    const regex = index.patterns[first + r]!;
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(lower)) !== null) {
      const start = match.index;
      const end = start + match[0].length;
      if (match[0].length === 0) regex.lastIndex++;
      else {
        const original = sameLength ? text.slice(start, end) : match[0];
        if (!rule.validate || rule.validate(original)) return { start, end, text: original };
      }
      checkBudget(match[0].length + 1);
    }
  }
  return undefined;
}

/** A stretch of text a rule matched (and its validator accepted). */
export interface Span {
  start: number;
  end: number;
  rule: CompiledRule;
}

/**
 * A text as one pass read it: lower-cased (toLowerCase, as far as it was read) and keyword-scanned by one index,
 * handed to the next pass over the same text so that it is neither copied nor read again
 * (a result's text is read for injections, then for secrets).
 */
export interface Reading {
  text: string;
  lower: LowerCase;
  index: RuleIndex;
  scan: SpellingScan;
}

/**
 * Every match of each rule in one text (not only the first), for redaction. Matches of one
 * rule do not overlap; `lowerCase` is lowerSameLength(text) (given, or as a LowerCase made
 * with `sameLength`). `read`: an earlier pass's reading, whose keyword scan is used when it is
 * of `lowerCase` by the same index.
 */
export function findAllSpans(
  text: string,
  lowerCase: string | LowerCase,
  rules: readonly CompiledRule[],
  checkBudget: (steps?: number) => void = () => undefined,
  /** The whole rule set `rules` was taken from (a stable array), whose keyword index runPatternRules shares. */
  allRules: readonly CompiledRule[] = rules,
  read?: Reading,
): Span[] {
  const spans: Span[] = [];
  const index = ruleIndexOf(allRules);
  const lower = typeof lowerCase === 'string' ? new LowerCase(text, lowerCase) : lowerCase;
  // One pass finds the keywords present; rules naming none of them do not run. (Counted
  // also when an earlier pass's scan is reused, so the budget is as if it ran again.)
  checkBudget(lower.length);
  // What the scan finds depends on the text and the index only, not on the rules asked about.
  const scan = read !== undefined && read.index === index && read.lower === lower ? read.scan : index.scanLower(lower);
  const { woken } = scan;
  for (const rule of rules) {
    const i = index.indexOf(rule);
    // (A rule without patterns matches nothing; only its keyword search is counted, as for any rule.)
    const keywordIn = i !== undefined ? has(woken, i) : (rule.keywords ?? []).some((k) => index.hasKeyword(k) && lower.whole.includes(k));
    // Short text, as in firstMatch: a rule whose keywords are absent, or none of whose
    // patterns could match, does not run; its steps are counted as searchWindows and eachMatch would.
    if (i !== undefined && lower.length < WINDOW_FROM_BYTES) {
      if (rule.keywords && !keywordIn) continue;
      if (!index.mayRun(i, scan)) {
        checkBudget(lower.length * ((rule.keywords?.length ?? 0) + rule.regexes.length));
        continue;
      }
    }
    const windows = searchWindows(rule, lower, keywordIn, checkBudget);
    if (!windows) continue;
    const found: Span[] = [];
    eachMatch(rule, i !== undefined ? (r, from, to) => index.mayMatchWithin(i, r, scan, from, to) : undefined, text, lower, windows, checkBudget, ({ start, end }) => {
      found.push({ start, end, rule });
      return false;
    });
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
  /** Given: filled in with the reading of the last string's raw text, for a later pass over it (findAllSpans). */
  keep?: { read?: Reading },
): readonly Finding[] {
  // (Made on the first finding: most calls have none.)
  let findings: Finding[] | undefined;
  const index = ruleIndexOf(allRules);
  // The rules in play (`rules` may leave out inactive categories).
  const inPlay = rules === allRules ? undefined : index.inPlayOf(rules);
  const { words } = index;
  const candidates = index.scratch[0];
  // The steps counted for the string being read, when it may be kept as quiet (one counter for every string).
  let counted: StepCounter | undefined;
  for (let n = 0; n < strings.length; n++) {
    const s = strings[n] as InspectedString;
    // A short string read before, as sent only, with these kinds and rules, where no rule fired:
    // nothing fires again, and its steps are counted as the reading counted them (see quietKeys).
    const quiet = keep === undefined && !skipRaw && s.variants.length === 0 && s.raw.length <= QUIET_MAX_CHARS ? quietOf(index, s, kindsOf, inPlay) : undefined;
    let spend = checkBudget;
    if (quiet !== undefined) {
      const steps = quiet.get(s.raw);
      if (steps !== undefined) {
        checkBudget(steps);
        continue;
      }
      counted ??= STEP_COUNTER.start(checkBudget);
      counted.spent = 0;
      spend = counted.spend;
    }
    const before = findings === undefined ? 0 : findings.length;
    const all = spellings(s, !skipRaw);
    // Only rules with no keywords, or with one present in some spelling, can fire.
    for (let w = 0; w < words; w++) candidates[w] = index.always[w]!;
    for (let k = 0; k < all.length; k++) {
      const spelling = all[k]!;
      spend(spelling.length);
      // (Short spellings are scanned into the index's kept scans, one per spelling of this
      // string; the raw text's own scan when it is handed on.)
      const scan = (spelling.scan = spelling.byStretch ? index.scanLower(spelling) : keep !== undefined && k === 0 && !skipRaw ? index.scan(spelling.whole) : index.scanShort(spelling.whole, k));
      for (let w = 0; w < words; w++) candidates[w]! |= scan.woken[w]!;
    }
    if (keep !== undefined && !skipRaw) {
      const raw = all[0]!;
      keep.read = { text: raw.text, lower: raw, index, scan: raw.scan! };
    }
    const forKinds = index.kindsScratch(kindsOf(s));
    // Bit order is rule-set order.
    for (let w = 0; w < words; w++) {
      let bits = candidates[w]! & forKinds[w]! & (inPlay ? inPlay[w]! : -1);
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const i = w * 32 + 31 - Math.clz32(low);
        const rule = index.rules[i]!;
        spend(1);
        for (const spelling of all) {
          const hit = firstMatch(rule, i, index, spelling, spend);
          if (!hit) continue;
          const shown = rule.category === 'secrets' ? maskSecret(hit.text) : excerpt(spelling.text, hit.start, hit.end);
          const finding: Finding = {
            ruleId: rule.id,
            category: rule.category,
            severity: rule.severity,
            path: s.path,
            evidence: spelling.via === 'raw' ? shown : `${shown} (after ${spelling.via})`,
            message: rule.message ?? rule.description,
          };
          (findings ??= []).push(finding);
          if (stop(finding)) return findings;
          break;
        }
      }
    }
    if (quiet !== undefined && (findings === undefined ? 0 : findings.length) === before) quiet.keep(s.raw, (counted as StepCounter).spent);
  }
  return findings ?? NO_FINDINGS;
}

/**
 * The steps a string's reading counts, counted on to the budget as they come: one for every
 * call of runPatternRules, which is its only user and fills it before reading it (nothing it
 * calls runs it again), so that none is made per call.
 */
class StepCounter {
  spent = 0;
  private budget: (steps?: number) => void = () => undefined;

  /** Count `steps`, and count them against the budget. */
  readonly spend = (steps = 1): void => {
    this.spent += steps;
    this.budget(steps);
  };

  /** Count on to `budget`, from nothing. */
  start(budget: (steps?: number) => void): StepCounter {
    this.budget = budget;
    this.spent = 0;
    return this;
  }
}

const STEP_COUNTER = new StepCounter();

// Strings up to this long are remembered when no rule fires on them (RuleIndex.quietKeys).
const QUIET_MAX_CHARS = 64;

// The quiet strings kept for `s`'s kinds and the rules in play: for an argument name (its kinds
// are the same on every call), and for a value whose kinds are a set kindsOf shares (a set
// built for one string would be kept under, and never found again).
function quietOf(index: RuleIndex, s: InspectedString, kindsOf: (s: InspectedString) => ReadonlySet<ArgumentKind>, inPlay: RuleBits | undefined): QuietStrings | undefined {
  const kinds = kindsOf(s);
  return s.isKey || isSharedKinds(kinds) ? index.quietKeys(kinds, inPlay, s.isKey) : undefined;
}
