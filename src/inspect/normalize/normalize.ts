/**
 * Normalisation of `tools/call` arguments: every string (keys, values, array elements,
 * numbers, strings of JSON documents nested in strings) with its decoded variants, and the
 * hidden characters found on the way. Pure, linear, bounded; a bound exceeded fails closed.
 */
import type { Finding, InspectedString } from '../types.js';
import { scanHidden } from './hidden.js';
import { DEFAULT_NORMALIZE_LIMITS, LimitExceeded, VARIANT_BUDGET_FACTOR, type NormalizeLimits } from './limits.js';
import { parseNestedJson } from './nested-json.js';
import { TOP, childShown, elementOf, insideString, keyPathShown, showKey, valuePath, type Place } from './paths.js';
import { mayBeNumeric, spellingsOfNumber, spellingsOfNumericString } from './numbers.js';
import { buildVariants, encodingMarks, OTHER_MARK, type Variant } from './variants.js';
import { RawNumber } from '../../protocol/strict-json.js';
import { emptyKeepingRoom } from '../lists.js';

/** Strings with their variants and hidden-character findings, or why the arguments were refused. */
export type NormalizeResult =
  | { ok: true; strings: InspectedString[]; findings: Finding[] }
  | { ok: false; reason: string };

const NO_RULES: ReadonlySet<string> = new Set();

export interface NormalizeOptions {
  /** false: every string as sent only, no decoded spellings (a quick first reading). */
  variants?: boolean;
  /** Stop walking at the first hidden-character finding for which this is true. */
  enough?: (finding: Finding) => boolean;
}

// Thrown inside the walk when a finding settles the verdict.
class Settled extends Error {}

// No decoded spellings (shared: read only, as InspectedString.variants are).
const NO_VARIANTS: readonly Variant[] = [];
const NO_OPTIONS: NormalizeOptions = {};
// What plain ASCII shows of hidden characters (shared: read only).
const NONE_HIDDEN: readonly Finding[] = [];

class Walk {
  readonly strings: InspectedString[] = [];
  readonly findings: Finding[] = [];
  private bytes = 0;
  private variantBytes = 0;
  private limits: NormalizeLimits = DEFAULT_NORMALIZE_LIMITS;
  private options: NormalizeOptions = NO_OPTIONS;

  /** Start a walk afresh (the lists emptied), with these limits and options. */
  start(limits: NormalizeLimits, options: NormalizeOptions): void {
    emptyKeepingRoom(this.strings);
    emptyKeepingRoom(this.findings);
    this.bytes = 0;
    this.variantBytes = 0;
    this.limits = limits;
    this.options = options;
  }

  value(v: unknown, place: Place, key: string | undefined, depth: number, reported: ReadonlySet<string>): void {
    if (typeof v === 'string') this.text(v, valuePath(place), key, false, depth, reported);
    // Numbers are strings to a server too: `"host": 2130706433` is 127.0.0.1, however spelled.
    else if (typeof v === 'number' || typeof v === 'bigint') this.number(String(v), valuePath(place), key);
    // The strict parser keeps a number's exact text when a double would change it (`2130706433.0`).
    else if (v instanceof RawNumber) this.number(v.text, valuePath(place), key);
    else if (Array.isArray(v)) this.array(v, place, key, depth + 1, reported);
    else if (typeof v === 'object' && v !== null) this.object(v as Record<string, unknown>, place, key, depth + 1, reported);
    // Booleans and null carry nothing a detector could read.
  }

  private enter(depth: number): void {
    if (depth > this.limits.maxDepth) throw new LimitExceeded(`arguments nest deeper than ${this.limits.maxDepth} levels`);
  }

  private array(items: readonly unknown[], place: Place, key: string | undefined, depth: number, reported: ReadonlySet<string>): void {
    this.enter(depth);
    // (As forEach reads them: the length as it was at the start, holes skipped.)
    const length = items.length;
    for (let index = 0; index < length; index++) if (index in items) this.value(items[index], elementOf(place, index), key, depth, reported);
  }

  private object(obj: Record<string, unknown>, place: Place, key: string | undefined, depth: number, reported: ReadonlySet<string>): void {
    this.enter(depth);
    // (Its own keys as Object.keys lists them, no list made.)
    for (const name in obj) {
      if (!Object.hasOwn(obj, name)) continue;
      // (The key as a path shows it, worked out once for its own path and its value's.)
      const shown = showKey(name);
      this.text(name, keyPathShown(place, shown), key, true, depth, reported);
      this.value(obj[name], childShown(place, shown), name, depth, reported);
    }
  }

  private count(length: number): void {
    this.bytes += length;
    if (this.strings.length >= this.limits.maxStrings) throw new LimitExceeded(`arguments hold more than ${this.limits.maxStrings} strings`);
    if (this.bytes > this.limits.maxTotalBytes) throw new LimitExceeded(`arguments hold more than ${this.limits.maxTotalBytes} characters of text`);
  }

  private number(raw: string, path: string, key: string | undefined): void {
    this.count(raw.length);
    const variants = spellingsOfNumber(raw).others.map((text) => ({ text, via: 'number' }));
    this.strings.push({ path, key, isKey: false, raw, variants });
  }

  private text(raw: string, path: string, key: string | undefined, isKey: boolean, depth: number, reported: ReadonlySet<string>): void {
    this.count(raw.length);
    const readVariants = this.options.variants !== false;
    // (What the decoders could find, read first when they are to run: text it shows to be plain
    // ASCII hides nothing, and is not read again for hidden characters.)
    const marks = readVariants ? encodingMarks(raw) : OTHER_MARK;
    const hidden = marks === OTHER_MARK ? scanHidden(raw, path, reported) : NONE_HIDDEN;
    if (hidden.length > 0) {
      this.findings.push(...hidden);
      if (this.options.enough && hidden.some(this.options.enough)) throw new Settled();
    }
    const decoded = readVariants ? buildVariants(raw, this.limits, marks) : NO_VARIANTS;
    // A string that is a number (`"2.130706433e9"`, or `"２１３０７０６４３３"` once NFKC-folded)
    // is also the value a server may convert it to.
    const variants = isKey ? decoded : withNumbers(raw, decoded);
    for (let k = 0; k < variants.length; k++) this.variantBytes += (variants[k] as Variant).text.length;
    if (this.variantBytes > VARIANT_BUDGET_FACTOR * this.limits.maxTotalBytes) {
      throw new LimitExceeded('decoded arguments grow beyond the size limit');
    }
    this.strings.push({ path, key, isKey, raw, variants });
    if (isKey) return;
    const nested = parseNestedJson(raw);
    if (nested === undefined) return;
    // What this string reported is not reported again for the strings inside it.
    const below = hidden.length === 0 ? reported : new Set([...reported, ...hidden.map((f) => f.ruleId)]);
    this.value(nested, insideString(path), key, depth, below);
  }
}

// `decoded` (the variants of `raw`) with the other spellings of each of raw and them that is a
// number, each not already among them; `decoded` itself when none is.
function withNumbers(raw: string, decoded: readonly Variant[]): readonly Variant[] {
  // (Most strings: no decoded spelling, and raw no number. The loop below would find nothing.)
  if (decoded.length === 0 && !mayBeNumeric(raw)) return decoded;
  let variants: Variant[] | undefined;
  // The raw text, then the variants decoded from it (not those this loop adds).
  for (let k = -1; k < decoded.length; k++) {
    const from = k < 0 ? raw : (decoded[k] as Variant).text;
    const numeric = spellingsOfNumericString(from);
    if (numeric.length === 0) continue;
    const via = k < 0 ? '' : (decoded[k] as Variant).via;
    for (const text of numeric) {
      if (text !== raw && !(variants ?? decoded).some((v) => v.text === text)) (variants ??= [...decoded]).push({ text, via: via === '' ? 'number' : `${via}+number` });
    }
  }
  return variants ?? decoded;
}

/**
 * Walks `args` and returns every string in every spelling that matters, plus hidden-character
 * findings; `ok: false` when a limit is exceeded (the caller blocks the call).
 */
export function normalizeArguments(args: unknown, limits: NormalizeLimits = DEFAULT_NORMALIZE_LIMITS, options: NormalizeOptions = {}): NormalizeResult {
  return new Normalizer().read(args, limits, options);
}

/**
 * normalizeArguments for an owner that normalises call after call: its lists, and the answer
 * that holds them, are the same each time, emptied and filled again (so each answer is good
 * until the next read or release; nothing may keep it).
 */
export class Normalizer {
  private readonly walk = new Walk();
  private readonly answer: { ok: true; strings: InspectedString[]; findings: Finding[] } = { ok: true, strings: this.walk.strings, findings: this.walk.findings };

  read(args: unknown, limits: NormalizeLimits, options: NormalizeOptions): NormalizeResult {
    const walk = this.walk;
    walk.start(limits, options);
    try {
      walk.value(args, TOP, undefined, 0, NO_RULES);
    } catch (err) {
      if (err instanceof LimitExceeded) return { ok: false, reason: err.message };
      // A hidden-character finding settled the verdict: what was read so far is returned.
      if (err instanceof Settled) return this.answer;
      throw err;
    }
    return this.answer;
  }

  /** Let go of the last walk's strings (kept between calls: an argument may be large). */
  release(): void {
    this.walk.start(DEFAULT_NORMALIZE_LIMITS, NO_OPTIONS);
  }
}
