/**
 * Every spelling of one string that matters to a detector: each decoder applied to the raw
 * text, plus the deep reading (all decoders chained until nothing changes), deduplicated,
 * most telling first, bounded in number.
 */
import { decodeBlobs, MIN_BLOB_CHARS } from './blobs.js';
import { unescapeOnce } from './escapes.js';
import { htmlDecode } from './html.js';
import { cleanText } from './invisible.js';
import { LimitExceeded, type NormalizeLimits } from './limits.js';
import { decodeSelectors, decodeTags } from './smuggled.js';
import { percentDecode } from './url.js';

/** A decoded spelling and the chain of steps that produced it ('url+url', 'html+url', 'base64'). */
export interface Variant {
  text: string;
  via: string;
}

// A step: the decoded text and its name(s), or undefined when it changes nothing.
type Step = (text: string, rounds: number) => Variant | undefined;

function repeated(name: string, rounds: number): string {
  return Array.from({ length: rounds }, () => name).join('+');
}

function unescape(text: string, maxRounds: number): Variant | undefined {
  let current = text;
  let rounds = 0;
  while (rounds < maxRounds) {
    const next = unescapeOnce(current);
    if (next === current) break;
    current = next;
    rounds += 1;
  }
  return rounds === 0 ? undefined : { text: current, via: repeated('escape', rounds) };
}

function changed(text: string, next: string, via: string): Variant | undefined {
  return next === text ? undefined : { text: next, via };
}

const STEPS = {
  clean: (text: string) => {
    const c = cleanText(text);
    if (c === undefined) throw new LimitExceeded('a string grows more than fourfold under Unicode normalisation');
    return c.via.length === 0 ? undefined : { text: c.text, via: c.via.join('+') };
  },
  url: (text: string, rounds: number) => {
    const r = percentDecode(text, rounds);
    return r.rounds === 0 ? undefined : { text: r.text, via: repeated('url', r.rounds) };
  },
  html: (text: string, rounds: number) => {
    const r = htmlDecode(text, rounds);
    return r.rounds === 0 ? undefined : { text: r.text, via: repeated('html', r.rounds) };
  },
  escape: unescape,
  blobs: (text: string) => {
    const b = decodeBlobs(text);
    return b.via.length === 0 ? undefined : { text: b.text, via: b.via.join('+') };
  },
  tags: (text: string) => changed(text, decodeTags(text), 'tags'),
  selectors: (text: string) => changed(text, decodeSelectors(text), 'selectors'),
  // '+' as a space matters only where a form decoder reads the text: a URL-encoded value,
  // with escapes and without raw spaces (code and prose have both '+' and '%', and spaces).
  form: (text: string, rounds: number) => {
    if (text.indexOf('+') < 0 || !/%[0-9a-fA-F]{2}/.test(text) || /\s/.test(text)) return undefined;
    const r = percentDecode(text, rounds, true);
    return { text: r.text, via: `form${r.rounds > 1 ? `+${repeated('url', r.rounds - 1)}` : ''}` };
  },
} satisfies Record<string, Step>;

type StepName = keyof typeof STEPS;

// The deep reading chains these, in this order, round after round.
const DEEP: readonly StepName[] = ['clean', 'url', 'html', 'escape', 'blobs'];
// Single steps on the raw text, after the deep reading, most telling first.
const SINGLE: readonly StepName[] = ['url', 'html', 'escape', 'blobs', 'clean', 'tags', 'selectors', 'form'];

// Each step remembers what it was last given per input, so a deep round that changes
// nothing, and the single steps on the raw text, do not decode the same text twice.
class Steps {
  private readonly memo = new Map<StepName, Array<[string, Variant | undefined]>>();

  constructor(private readonly rounds: number) {}

  /** Remember what step `name` gives for `text`, worked out elsewhere. */
  know(name: StepName, text: string, output: Variant | undefined): void {
    this.memo.set(name, [[text, output]]);
  }

  apply(name: StepName, text: string): Variant | undefined {
    const seen = this.memo.get(name) ?? [];
    for (const [input, output] of seen) if (input === text) return output;
    const output = STEPS[name](text, this.rounds);
    seen.push([text, output]);
    // Cleaning is idempotent, so its own output needs no second pass in the next round.
    if (name === 'clean' && output !== undefined) seen.push([output.text, undefined]);
    this.memo.set(name, seen);
    return output;
  }
}

// Base64 characters (both alphabets), which hex digits and UUID dashes are among: a shorter
// run of them is no blob (blobs.ts).
const BLOB_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') BLOB_CHAR[c.charCodeAt(0)] = 1;

// What the decoders could find in a text: no mark at all, only base64-shaped runs long enough
// to be a blob (which only the blob decoder reads), or a mark some other decoder reads.
const NO_MARK = 0;
const BLOB_RUNS_ONLY = 1;
export const OTHER_MARK = 2;

/**
 * What the decoders could find in `raw` (NO_MARK, BLOB_RUNS_ONLY or OTHER_MARK). Read for every
 * string, so its caller may ask more of it: any answer but OTHER_MARK is given only for text of
 * printable ASCII, tabs and line ends (isPlainAscii), in which no character is hidden.
 */
export function encodingMarks(raw: string): number {
  let run = 0;
  let marks = NO_MARK;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    // Lower-case letters, most of most text, are base64 characters and no other mark ('x' aside:
    // after a '0' it is one), and spaces are neither: each answered by one test.
    if (c >= 0x61 && c <= 0x7a && c !== 0x78) {
      if (++run >= MIN_BLOB_CHARS) marks = BLOB_RUNS_ONLY;
      continue;
    }
    if (c === 0x20) {
      run = 0;
      continue;
    }
    if (c > 0x7e || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) return OTHER_MARK;
    if (c === 0x25 || c === 0x26 || c === 0x5c) return OTHER_MARK;
    if ((c === 0x78 || c === 0x58) && i > 0 && raw.charCodeAt(i - 1) === 0x30) return OTHER_MARK;
    if (BLOB_CHAR[c] === 1) {
      if (++run >= MIN_BLOB_CHARS) marks = BLOB_RUNS_ONLY;
    } else run = 0;
  }
  return marks;
}

/**
 * False when no decoder can change `raw`: printable ASCII (NFKC and the invisible, tag and
 * selector readings leave it alone) with no '%' (URL and form), '&' (HTML), '\' or '0x'
 * (escapes), and no run of base64 characters long enough to be a blob. Most arguments are
 * such text, and get no spelling but their own without a decoder running.
 */
export function mayBeEncoded(raw: string): boolean {
  return encodingMarks(raw) !== NO_MARK;
}

// No variants (shared: read only).
const NO_VARIANTS: readonly Variant[] = [];

/** The decoded variants of `raw`, each different from it and from each other. `marks`: encodingMarks(raw), when the caller has it. */
export function buildVariants(raw: string, limits: NormalizeLimits, marks = encodingMarks(raw)): readonly Variant[] {
  if (marks === NO_MARK) return NO_VARIANTS;
  if (marks === OTHER_MARK) return decodeEveryWay(raw, limits);
  // Only the blob decoder reads such text (a path like /srv/data/reports/2026-q3.md is one
  // base64-shaped run), and the other decoders read only what it decodes: when it decodes
  // nothing, no decoder changes anything. Its answer is kept, so a blob is not decoded twice.
  const blobs = STEPS.blobs(raw);
  return blobs === undefined ? NO_VARIANTS : decodeEveryWay(raw, limits, blobs);
}

/**
 * buildVariants without the shortcut for text no decoder can change (for its tests).
 * `blobs`: what the blob decoder gives for `raw`, when the caller has it already.
 */
export function decodeEveryWay(raw: string, limits: NormalizeLimits, blobs?: Variant): Variant[] {
  const steps = new Steps(limits.maxDecodeRounds);
  if (blobs !== undefined) steps.know('blobs', raw, blobs);
  const variants: Variant[] = [];
  const texts = new Set<string>([raw]);
  const add = (v: Variant | undefined): void => {
    if (v === undefined || texts.has(v.text) || variants.length >= limits.maxVariantsPerString) return;
    texts.add(v.text);
    variants.push(v);
  };

  const deep = deepReading(raw, limits.maxDecodeRounds, steps);
  add(deep.variant);
  // A decoder that found nothing anywhere in the deep reading finds nothing in the raw
  // text either (the other decoders do not create what it looks for), so it is not rerun.
  for (const name of SINGLE) if (!DEEP.includes(name) || deep.used.has(name)) add(steps.apply(name, raw));
  return variants;
}

/**
 * The spellings a model reads in `raw` without being asked to decode anything: folded by
 * NFKC with invisible characters removed, and text smuggled in tag characters or variation
 * selectors. For text the model reads (results), where encodings such as base64 are data
 * unless something in plain sight says to decode them.
 */
export function buildReadingVariants(raw: string): Variant[] {
  const variants: Variant[] = [];
  const texts = new Set<string>([raw]);
  for (const step of [STEPS.clean, STEPS.tags, STEPS.selectors]) {
    const v = step(raw);
    if (v !== undefined && !texts.has(v.text)) {
      texts.add(v.text);
      variants.push(v);
    }
  }
  return variants;
}

interface DeepReading {
  variant: Variant | undefined;
  /** The steps that changed something. */
  used: Set<StepName>;
}

// All decoders chained until the text stops changing, at most `rounds` rounds.
function deepReading(raw: string, rounds: number, steps: Steps): DeepReading {
  let text = raw;
  const chain: string[] = [];
  const used = new Set<StepName>();
  for (let round = 0; round < rounds; round += 1) {
    const before = text;
    for (const name of DEEP) {
      const v = steps.apply(name, text);
      if (v === undefined) continue;
      text = v.text;
      chain.push(v.via);
      used.add(name);
    }
    if (text === before) break;
  }
  return { variant: chain.length === 0 ? undefined : { text, via: chain.join('+') }, used };
}
