/**
 * A rule set's pattern rules, indexed once for the hot path: one keyword automaton over every
 * rule's keywords (see ../rules/keyword-automaton.ts), and per-rule bit sets so that the rules
 * a text can wake, the rules in play and the rules for a string's kinds are combined with a
 * few integer operations instead of sets and sorts. Bit i is the i-th pattern rule in rule-set
 * order, so reading the bits in order visits the rules in that order.
 */
import { KeywordAutomaton, type KeywordScan } from '../rules/keyword-automaton.js';
import type { LowerCase } from './lower-case.js';
import { charsWithin, type WindowChars } from '../rules/keyword-lanes.js';
import { SHAPE_SIZE, shapeAllows, shapeNeeds, shapeOf, type ShapeNeeds } from '../rules/pattern-shape.js';
import { mayMatchEach, requiredCharsEach, requiredLiteral, type CharSet } from '../rules/required-chars.js';
import type { CompiledRule } from '../rules/rule-types.js';
import { QuietStrings } from './quiet-strings.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

/** A set of rules by their index: `words` 32-bit words. */
export type RuleBits = Int32Array;

/** What one pass over one spelling found. */
export interface SpellingScan {
  /** The rules with keywords that have one of them in the text. */
  woken: RuleBits;
  /** The patterns (by `firstPattern[rule] + index`) whose required literal is in the text, or that have none. */
  literals: RuleBits;
  /** The characters of the text. */
  chars: CharSet;
  /** The text read (for a text read case-folded, the text itself: the same length as its lower case, and only its length is read). */
  text: string;
  /** Its length and runs of character classes (pattern-shape.ts), worked out when first asked. */
  shape: Int32Array | undefined;
  /** A long text's characters, per window of its read (keyword-lanes.ts); undefined for a short one. */
  windows: WindowChars | undefined;
}

// A scan written over for each short text (RuleIndex.scanShort): its arrays are kept, the
// automaton's outputs reached (scanInto) and the shape's array with them.
interface ReusedScan extends SpellingScan {
  outputs: Int32Array;
  shapeArray: Int32Array;
}

// From this length, a one-byte text is read from its bytes (a window at a time): charCodeAt on the many shapes a
// string can have (sliced from a frame, external) is several times slower than a typed array.
const BYTE_COPY_FROM = 4096;
const BEYOND_LATIN1 = /[^\x00-\xff]/;
// Long texts are remembered (the last one): the scan of a result reads the same text for
// injections and then for secrets.
const REMEMBER_FROM = 2048;
// Required literals shorter than this are not looked for.
const MIN_LITERAL = 3;
// Shorter texts are measured (pattern-shape.ts) for the patterns that get past the other
// pre-tests; a longer one is not read again for it.
const SHAPE_BELOW = 2048;
// How many scans of short texts are written over rather than made anew (one per spelling of
// a string; a string has at most a few).
const REUSED_SCANS = 16;

// The key of quietKeys' answers for the whole rule set in play.
const ALL_IN_PLAY = {};

/** The pattern rules of one rule set, indexed. */
export class RuleIndex {
  /** The rules with patterns, in rule-set order: bit i is rules[i]. */
  readonly rules: readonly CompiledRule[];
  /** Number of 32-bit words in a RuleBits. */
  readonly words: number;
  /** Rules without keywords: they may run on any text. */
  readonly always: RuleBits;
  // Per rule, what each of its patterns needs (required-chars.ts: every set listed), worked
  // out on the rule's first use: reading every pattern at once would delay the first call.
  private readonly needs: Array<ReadonlyArray<CharSet[] | undefined> | undefined>;
  // Per rule, what each of its patterns needs of a text's shape, also worked out on first use.
  private readonly shapes: Array<readonly ShapeNeeds[] | undefined>;
  /** Per rule, the number of the first of its patterns among all rules' patterns. */
  readonly firstPattern: readonly number[];
  /** Every rule's patterns in one list, rule after rule: pattern r of rule i is `patterns[firstPattern[i] + r]`. */
  readonly patterns: readonly RegExp[];
  /**
   * Per rule, the number of its keywords, or -1 when it has none (no `keywords`): read here,
   * not from the rules, whose objects come in many shapes and make every such read slow.
   */
  readonly keywordCount: Int32Array;
  /** Per rule, the number of its patterns. */
  readonly patternCount: Int32Array;
  // Per rule, its patterns' needs and shape needs in one array (see checksOf), built on first use.
  private readonly checks: Array<Int32Array | undefined>;
  private readonly reused: Array<ReusedScan | undefined> = [];
  /**
   * Two rule sets for runPatternRules to work in, kept so that none is made per call: it is
   * the only user, it fills them before reading them, and nothing it calls runs it again.
   */
  readonly scratch: readonly [RuleBits, RuleBits];
  private readonly position = new Map<CompiledRule, number>();
  // Patterns with no required literal, as pattern bits; and per automaton output, the patterns whose literal it shows.
  private readonly literalFree: RuleBits;
  private readonly literalsBy: Int32Array;
  private readonly patternWords: number;
  private readonly automaton: KeywordAutomaton;
  // Per automaton output, the rules woken (outputs × words).
  private readonly wokenBy: Int32Array;
  // Rules woken by the empty keyword, if any rule has it.
  private readonly wokenEverywhere: RuleBits;
  // Rules naming no kind (they apply to every string), and rules by each kind they name.
  private readonly anyKind: RuleBits;
  private readonly byKind = new Map<string, RuleBits>();
  private readonly inPlay = new WeakMap<readonly CompiledRule[], RuleBits>();
  // The last long text scanned, and whether it was read case-folded (scanLower).
  private last: { lower: string; folded: boolean; scan: SpellingScan } | undefined;
  private readonly keywordIds = new Map<string, number>();
  // Per keyword id, the rules naming it (none for a pattern's literal that is no rule's keyword).
  private readonly keywordRules: number[][] = [];

  constructor(allRules: readonly CompiledRule[]) {
    this.rules = allRules.filter((r) => r.regexes.length > 0);
    this.words = Math.max(1, Math.ceil(this.rules.length / 32));
    this.keywordCount = Int32Array.from(this.rules, (r) => (r.keywords ? r.keywords.length : -1));
    this.patternCount = Int32Array.from(this.rules, (r) => r.regexes.length);
    this.checks = new Array<Int32Array | undefined>(this.rules.length).fill(undefined);
    this.always = this.empty();
    this.anyKind = this.empty();
    this.scratch = [this.empty(), this.empty()];
    const keywordIds = this.keywordIds;
    const keywordRules = this.keywordRules;
    this.rules.forEach((rule, i) => {
      this.position.set(rule, i);
      if (!rule.keywords) set(this.always, i);
      for (const keyword of rule.keywords ?? []) {
        let id = keywordIds.get(keyword);
        if (id === undefined) {
          keywordIds.set(keyword, (id = keywordRules.length));
          keywordRules.push([]);
        }
        keywordRules[id]!.push(i);
      }
      if (!rule.kinds) set(this.anyKind, i);
      for (const kind of rule.kinds ?? []) {
        let bits = this.byKind.get(kind);
        if (!bits) this.byKind.set(kind, (bits = this.empty()));
        set(bits, i);
      }
    });
    this.needs = new Array<ReadonlyArray<CharSet[] | undefined> | undefined>(this.rules.length).fill(undefined);
    this.shapes = new Array<readonly ShapeNeeds[] | undefined>(this.rules.length).fill(undefined);
    // Each pattern's required literal (required-chars.ts) is read by the same automaton: a
    // pattern whose literal is not in a text is not run on it.
    const firstPattern: number[] = [];
    let patterns = 0;
    for (const rule of this.rules) {
      firstPattern.push(patterns);
      patterns += rule.regexes.length;
    }
    this.firstPattern = firstPattern;
    this.patterns = this.rules.flatMap((rule) => rule.regexes);
    this.patternWords = Math.max(1, Math.ceil(patterns / 32));
    this.literalFree = new Int32Array(this.patternWords);
    const literalPatterns = new Map<number, number[]>();
    this.rules.forEach((rule, i) => {
      rule.regexes.forEach((regex, r) => {
        const p = firstPattern[i]! + r;
        const literal = requiredLiteral(regex);
        // Short literals rule out little and would make the automaton report often.
        if (literal === undefined || literal.length < MIN_LITERAL) {
          set(this.literalFree, p);
          return;
        }
        let id = keywordIds.get(literal);
        if (id === undefined) {
          keywordIds.set(literal, (id = keywordRules.length));
          keywordRules.push([]);
        }
        const list = literalPatterns.get(id);
        if (list) list.push(p);
        else literalPatterns.set(id, [p]);
      });
    });
    this.automaton = new KeywordAutomaton([...keywordIds.keys()]);
    this.wokenBy = new Int32Array(this.automaton.outputCount * this.words);
    this.literalsBy = new Int32Array(this.automaton.outputCount * this.patternWords);
    this.automaton.outputs.forEach((ids, output) => {
      for (const id of ids) {
        for (const i of keywordRules[id]!) this.wokenBy[output * this.words + (i >> 5)]! |= 1 << (i & 31);
        for (const p of literalPatterns.get(id) ?? []) this.literalsBy[output * this.patternWords + (p >> 5)]! |= 1 << (p & 31);
      }
    });
    this.wokenEverywhere = this.empty();
    for (const id of this.automaton.everywhere) for (const i of keywordRules[id]!) set(this.wokenEverywhere, i);
  }

  /** Whether pattern `r` of rule `i` may match a text with what `scan` found (its characters and literals). */
  mayMatch(i: number, r: number, scan: SpellingScan): boolean {
    if (!has(scan.literals, this.firstPattern[i]! + r) || !mayMatchEach(this.needsOf(i)[r], scan.chars)) return false;
    if (scan.text.length >= SHAPE_BELOW) return true;
    const needs = this.shapesOf(i)[r]!;
    return needs.length === 0 || shapeAllows(needs, (scan.shape ??= this.shapeOf(scan)));
  }

  /**
   * mayMatch for a pattern run on [from, to) of the text alone (a slice of a long text): also
   * false when the windows around that stretch lack what the pattern needs, for then so does
   * the stretch, and a match in it would need it.
   */
  mayMatchWithin(i: number, r: number, scan: SpellingScan, from: number, to: number): boolean {
    if (!this.mayMatch(i, r, scan)) return false;
    const windows = scan.windows;
    if (windows === undefined || (from === 0 && to >= scan.text.length)) return true;
    return mayMatchEach(this.needsOf(i)[r], charsWithin(windows, from, to));
  }

  /**
   * The patterns of rule `i` (at most 31 of them) that may match a text with what `scan` found,
   * as bits (bit r: pattern r); -1 for a rule with more patterns, which are then each asked with mayMatch.
   */
  mayMatchMask(i: number, scan: SpellingScan): number {
    const count = this.patternCount[i]!;
    if (count > 31) return -1;
    // mayMatch for each pattern, read from the rule's checks (the same tests in the same order).
    const checks = this.checks[i] ?? this.checksOf(i);
    const literals = scan.literals;
    const first = this.firstPattern[i]!;
    const present = scan.chars.words;
    const c0 = present[0], c1 = present[1], c2 = present[2], c3 = present[3];
    const other = scan.chars.other;
    const measured = scan.text.length < SHAPE_BELOW;
    // Shorter than every pattern of the rule can match: no pattern's shape test would pass.
    if (measured && scan.text.length < checks[0]!) return 0;
    let mask = 0;
    let at = 1;
    for (let r = 0; r < count; r++) {
      const p = first + r;
      let may = (literals[p >> 5]! & (1 << (p & 31))) !== 0;
      const sets = checks[at++]!;
      for (let k = 0; k < sets && may; k++) {
        const o = at + 5 * k;
        may = (checks[o]! & c0) !== 0 || (checks[o + 1]! & c1) !== 0 || (checks[o + 2]! & c2) !== 0 || (checks[o + 3]! & c3) !== 0 || (checks[o + 4] === 1 && other);
      }
      at += 5 * sets;
      const bounds = checks[at++]!;
      if (may && measured && bounds > 0) {
        const shape = (scan.shape ??= this.shapeOf(scan));
        for (let j = 0; j < bounds && may; j++) may = shape[checks[at + 2 * j]!]! >= checks[at + 2 * j + 1]!;
      }
      at += 2 * bounds;
      if (may) mask |= 1 << r;
    }
    return mask;
  }

  // A scan's shape, into its own array when it is one written over.
  private shapeOf(scan: SpellingScan): Int32Array {
    return shapeOf(scan.text, (scan as Partial<ReusedScan>).shapeArray);
  }

  /**
   * Rule `i`'s pre-tests in one array: first the least length its shape bounds ask of a text
   * for any of its patterns (0 when some pattern has no such bound); then per pattern, the
   * number of sets it needs a character of, each as five numbers (the four words, 1 when it
   * holds characters above U+007F), then the number of its shape bounds, each as two (index
   * into a shape, least value).
   */
  private checksOf(i: number): Int32Array {
    const needs = this.needsOf(i);
    const shapes = this.shapesOf(i);
    let shortest = Infinity;
    for (let r = 0; r < this.patternCount[i]!; r++) {
      const bounds = shapes[r]!;
      let least = 0;
      for (let j = 0; j < bounds.length; j += 2) if (bounds[j] === 0) least = Math.max(least, bounds[j + 1]!);
      shortest = Math.min(shortest, least);
    }
    const out: number[] = [shortest === Infinity ? 0 : shortest];
    for (let r = 0; r < this.patternCount[i]!; r++) {
      const sets = needs[r] ?? [];
      out.push(sets.length);
      for (const set of sets) out.push(set.words[0], set.words[1], set.words[2], set.words[3], set.other ? 1 : 0);
      const bounds = shapes[r]!;
      out.push(bounds.length / 2, ...bounds);
    }
    const checks = Int32Array.from(out);
    this.checks[i] = checks;
    return checks;
  }

  /** Whether some pattern of rule `i` may match a text with what `scan` found. */
  mayRun(i: number, scan: SpellingScan): boolean {
    const count = this.patternCount[i]!;
    for (let r = 0; r < count; r++) if (this.mayMatch(i, r, scan)) return true;
    return false;
  }

  private needsOf(i: number): ReadonlyArray<CharSet[] | undefined> {
    let needs = this.needs[i];
    if (needs === undefined) this.needs[i] = needs = this.rules[i]!.needs ?? this.rules[i]!.regexes.map((regex) => requiredCharsEach(regex));
    return needs;
  }

  private shapesOf(i: number): readonly ShapeNeeds[] {
    let shapes = this.shapes[i];
    if (shapes === undefined) this.shapes[i] = shapes = this.rules[i]!.shapes ?? this.rules[i]!.regexes.map((regex) => shapeNeeds(regex));
    return shapes;
  }

  /** An empty rule set. */
  empty(): RuleBits {
    return new Int32Array(this.words);
  }

  /** The index of `rule` among the pattern rules, or undefined (a rule without patterns). */
  indexOf(rule: CompiledRule): number | undefined {
    return this.position.get(rule);
  }

  /** Whether `keyword` is a keyword of some pattern rule. */
  hasKeyword(keyword: string): boolean {
    const id = this.keywordIds.get(keyword);
    return id !== undefined && this.keywordRules[id]!.length > 0;
  }

  /** The rules of `rules` (a subset of the rule set, a stable array), as bits; built once per array. */
  inPlayOf(rules: readonly CompiledRule[]): RuleBits {
    // (The last two arrays asked about answered first: a call asks of its rules in play, then of the secret rules.)
    if (rules === this.inPlayLast[0]) return this.inPlayLast[1] as RuleBits;
    if (rules === this.inPlayLast[2]) return this.inPlayLast[3] as RuleBits;
    let bits = this.inPlay.get(rules);
    if (!bits) {
      bits = this.empty();
      for (const rule of rules) {
        const i = this.position.get(rule);
        if (i !== undefined) set(bits, i);
      }
      this.inPlay.set(rules, bits);
    }
    const last = this.inPlayLast;
    last[2] = last[0];
    last[3] = last[1];
    last[0] = rules;
    last[1] = bits;
    return bits;
  }

  // inPlayOf's last two answers: [rules, bits, rules before, their bits].
  private readonly inPlayLast: Array<readonly CompiledRule[] | RuleBits | undefined> = [undefined, undefined, undefined, undefined];

  // Per set of kinds, per rules in play (ALL_IN_PLAY: the whole set), the quiet names and the quiet values.
  private readonly quiet = new WeakMap<ReadonlySet<string>, WeakMap<object, readonly [QuietStrings, QuietStrings]>>();

  /**
   * The short strings (read as sent, with no decoded spellings) on which no rule in play fired
   * for a string of these kinds, each with the budget steps that reading counted: argument
   * names (`isKey`) in one table and values in another, so that values never push out the
   * few names a session sends on every call (`path`, `command`, `sql`). Values come back too
   * (a client repeating a call). What the rules find in a string, and the steps they count,
   * depend only on its text, its kinds and the rules in play, so the answer is the same each
   * time. Counting the steps at once instead of one by one changes nothing the budget decides:
   * it refuses when the count passes its limit, and every count is at least 0, so the sum
   * passes it exactly when the steps would. `inPlay`: inPlayOf's bits, or undefined for the
   * whole rule set.
   */
  quietKeys(kinds: ReadonlySet<string>, inPlay: RuleBits | undefined, isKey: boolean): QuietStrings {
    const rules = inPlay ?? ALL_IN_PLAY;
    // (The last tables answered first: the strings of a call, and calls in a row, mostly share them.)
    let tables = kinds === this.quietLastKinds && rules === this.quietLastRules ? this.quietLast : undefined;
    if (tables === undefined) {
      let byRules = this.quiet.get(kinds);
      if (byRules === undefined) this.quiet.set(kinds, (byRules = new WeakMap()));
      tables = byRules.get(rules);
      if (tables === undefined) byRules.set(rules, (tables = [new QuietStrings(), new QuietStrings()]));
      this.quietLastKinds = kinds;
      this.quietLastRules = rules;
      this.quietLast = tables;
    }
    return tables[isKey ? 0 : 1];
  }

  // quietKeys' last answer: for these kinds and rules in play, these tables.
  private quietLastKinds: ReadonlySet<string> | undefined = undefined;
  private quietLastRules: object | undefined = undefined;
  private quietLast: readonly [QuietStrings, QuietStrings] | undefined = undefined;

  // The kinds scratch[1] was last filled for (kindsScratch).
  private scratchKinds: ReadonlySet<string> | undefined;

  /**
   * scratch[1] filled by kindsInto for `kinds`: not filled again when it already holds them (the
   * strings of a call mostly share one set of kinds, and a set of kinds is never changed).
   */
  kindsScratch(kinds: ReadonlySet<string>): RuleBits {
    const into = this.scratch[1];
    if (kinds !== this.scratchKinds) {
      this.kindsInto(kinds, into);
      this.scratchKinds = kinds;
    }
    return into;
  }

  /** Into `into`, the rules that apply to a string of these kinds (a rule naming no kind applies to all). */
  kindsInto(kinds: ReadonlySet<string>, into: RuleBits): RuleBits {
    if (into === this.scratch[1]) this.scratchKinds = undefined;
    for (let w = 0; w < this.words; w++) into[w] = this.anyKind[w]!;
    for (const kind of kinds) {
      const bits = this.byKind.get(kind);
      if (bits) for (let w = 0; w < this.words; w++) into[w]! |= bits[w]!;
    }
    return into;
  }

  /** Whether a long text from the last scan is held (see forgetLastText). */
  get remembering(): boolean {
    return this.last !== undefined;
  }

  /** Let go of the text remembered by the last scan (see forgetLastText). */
  forget(): void {
    this.last = undefined;
  }

  /** One pass over `lower`: the keyword rules it wakes and its characters (do not change what is returned). */
  scan(lower: string): SpellingScan {
    const last = this.last;
    if (last !== undefined && !last.folded && last.lower.length === lower.length && last.lower === lower) return last.scan;
    const found = lower.length >= BYTE_COPY_FROM && !BEYOND_LATIN1.test(lower) ? this.automaton.scanLatin1(lower) : this.automaton.scan(lower);
    return this.scanned(lower, false, found);
  }

  /**
   * scan(lower.whole), without making the lower case of a text lowerCase makes by stretches
   * (lower-case.ts): its keywords are read case-folded from the text itself (scanLatin1 reads
   * a text as its lower case, and such a text has no code unit above U+00FF).
   */
  scanLower(lower: LowerCase): SpellingScan {
    if (!lower.byStretch || lower.length < BYTE_COPY_FROM) return this.scan(lower.whole);
    const text = lower.text;
    const last = this.last;
    if (last !== undefined && last.folded && last.lower.length === text.length && last.lower === text) return last.scan;
    return this.scanned(text, true, this.automaton.scanLatin1(text));
  }

  // The scan of `text` from what the automaton found in it (`folded`: read case-folded).
  private scanned(text: string, folded: boolean, found: KeywordScan): SpellingScan {
    // (Nothing reached: the shared sets, which no caller changes.)
    const none = found.reached.length === 0;
    const woken = none ? this.wokenEverywhere : this.wokenEverywhere.slice();
    const literals = none ? this.literalFree : this.literalFree.slice();
    const { words, wokenBy, patternWords, literalsBy } = this;
    for (const output of found.reached) {
      for (let w = 0; w < words; w++) woken[w]! |= wokenBy[output * words + w]!;
      for (let w = 0; w < patternWords; w++) literals[w]! |= literalsBy[output * patternWords + w]!;
    }
    const scan: SpellingScan = { woken, literals, chars: found.chars, text, shape: undefined, windows: found.windows };
    this.last = text.length >= REMEMBER_FROM ? { lower: text, folded, scan } : undefined;
    return scan;
  }

  /**
   * scan, for a caller that is done with what it returns before it asks again with the same
   * `slot`: a short text's scan is written over the one last returned for that slot instead of
   * being made anew (nothing is allocated). Longer texts, and slots past the few kept, get scan's answer.
   */
  scanShort(lower: string, slot: number): SpellingScan {
    if (lower.length >= REMEMBER_FROM || slot >= REUSED_SCANS) return this.scan(lower);
    this.last = undefined;
    let scan = this.reused[slot];
    if (scan === undefined) {
      const chars: CharSet = { words: [0, 0, 0, 0], other: false };
      scan = { woken: this.empty(), literals: new Int32Array(this.patternWords), chars, text: '', shape: undefined, windows: undefined, outputs: new Int32Array(this.automaton.outputCount), shapeArray: new Int32Array(SHAPE_SIZE) };
      this.reused[slot] = scan;
    }
    const { words, wokenBy, patternWords, literalsBy } = this;
    const outputs = scan.outputs;
    const reached = this.automaton.scanInto(lower, outputs, scan.chars);
    const woken = scan.woken;
    const literals = scan.literals;
    // (Loops, not set(): for a few words the call costs more than the copy.)
    const everywhere = this.wokenEverywhere;
    const free = this.literalFree;
    for (let w = 0; w < words; w++) woken[w] = everywhere[w]!;
    for (let w = 0; w < patternWords; w++) literals[w] = free[w]!;
    for (let o = 0; o < reached; o++) {
      const output = outputs[o]!;
      for (let w = 0; w < words; w++) woken[w]! |= wokenBy[output * words + w]!;
      for (let w = 0; w < patternWords; w++) literals[w]! |= literalsBy[output * patternWords + w]!;
    }
    scan.text = lower;
    scan.shape = undefined;
    return scan;
  }
}

/** Whether rule `i` is in `bits`. */
export function has(bits: RuleBits, i: number): boolean {
  return (bits[i >> 5]! & (1 << (i & 31))) !== 0;
}

function set(bits: RuleBits, i: number): void {
  bits[i >> 5]! |= 1 << (i & 31);
}

// (A session asks about one set, several times a call: see RecentWeakMap.)
const indexes = new RecentWeakMap<readonly CompiledRule[], RuleIndex>();

/** The index of a rule set (a stable array), built on first use. */
export function ruleIndexOf(allRules: readonly CompiledRule[]): RuleIndex {
  let index = indexes.get(allRules);
  if (!index) indexes.set(allRules, (index = new RuleIndex(allRules)));
  return index;
}

/**
 * Let go of the long text a rule set's index remembers, once the scans that share it are over.
 * It is remembered only for the scans of one result (injections, then secrets); kept on, an
 * 8 MiB result's text would stay in memory, through every collection, until another long text came.
 */
export function forgetLastText(allRules: readonly CompiledRule[]): void {
  indexes.get(allRules)?.forget();
}
