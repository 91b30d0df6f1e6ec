// The normaliser as it was before inspection kept its lists from call to call (issue 13:
// src/inspect/normalize/normalize.ts at 46b6cca, imports adjusted, and buildVariants' answer
// copied before numbers are added to it, as it is now shared when empty): the oracle that
// test/inspect/inspect-scratch-equivalence.test.ts holds the product to. Not used by the product.
/**
 * Normalisation of `tools/call` arguments: every string (keys, values, array elements,
 * numbers, strings of JSON documents nested in strings) with its decoded variants, and the
 * hidden characters found on the way. Pure, linear, bounded; a bound exceeded fails closed.
 */
import type { Finding, InspectedString } from '../../../src/inspect/types.js';
import { scanHidden } from '../../../src/inspect/normalize/hidden.js';
import { DEFAULT_NORMALIZE_LIMITS, LimitExceeded, VARIANT_BUDGET_FACTOR, type NormalizeLimits } from '../../../src/inspect/normalize/limits.js';
import { parseNestedJson } from '../../../src/inspect/normalize/nested-json.js';
import { TOP, childOf, elementOf, insideString, keyPath, valuePath, type Place } from '../../../src/inspect/normalize/paths.js';
import { spellingsOfNumber, spellingsOfNumericString } from '../../../src/inspect/normalize/numbers.js';
import { buildVariants, type Variant } from '../../../src/inspect/normalize/variants.js';
import { RawNumber } from '../../../src/protocol/strict-json.js';

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

class Walk {
  readonly strings: InspectedString[] = [];
  readonly findings: Finding[] = [];
  private bytes = 0;
  private variantBytes = 0;

  constructor(
    private readonly limits: NormalizeLimits,
    private readonly options: NormalizeOptions,
  ) {}

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
    items.forEach((item, index) => this.value(item, elementOf(place, index), key, depth, reported));
  }

  private object(obj: Record<string, unknown>, place: Place, key: string | undefined, depth: number, reported: ReadonlySet<string>): void {
    this.enter(depth);
    for (const name of Object.keys(obj)) {
      this.text(name, keyPath(place, name), key, true, depth, reported);
      this.value(obj[name], childOf(place, name), name, depth, reported);
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
    const hidden = scanHidden(raw, path, reported);
    if (hidden.length > 0) {
      this.findings.push(...hidden);
      if (this.options.enough && hidden.some(this.options.enough)) throw new Settled();
    }
    const variants = this.options.variants === false ? [] : [...buildVariants(raw, this.limits)];
    // A string that is a number (`"2.130706433e9"`, or `"２１３０７０６４３３"` once NFKC-folded)
    // is also the value a server may convert it to.
    if (!isKey) {
      // The raw text, then the variants decoded from it (not those this loop adds).
      const decoded = variants.length;
      for (let k = -1; k < decoded; k++) {
        const from = k < 0 ? raw : (variants[k] as Variant).text;
        const via = k < 0 ? '' : (variants[k] as Variant).via;
        for (const text of spellingsOfNumericString(from)) {
          if (text !== raw && !variants.some((v) => v.text === text)) variants.push({ text, via: via === '' ? 'number' : `${via}+number` });
        }
      }
    }
    for (const v of variants) this.variantBytes += v.text.length;
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

/**
 * Walks `args` and returns every string in every spelling that matters, plus hidden-character
 * findings; `ok: false` when a limit is exceeded (the caller blocks the call).
 */
export function normalizeArguments(args: unknown, limits: NormalizeLimits = DEFAULT_NORMALIZE_LIMITS, options: NormalizeOptions = {}): NormalizeResult {
  const walk = new Walk(limits, options);
  try {
    walk.value(args, TOP, undefined, 0, NO_RULES);
  } catch (err) {
    if (err instanceof LimitExceeded) return { ok: false, reason: err.message };
    // A hidden-character finding settled the verdict: what was read so far is returned.
    if (err instanceof Settled) return { ok: true, strings: walk.strings, findings: walk.findings };
    throw err;
  }
  return { ok: true, strings: walk.strings, findings: walk.findings };
}
