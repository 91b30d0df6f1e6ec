/**
 * Code point classes shared by the hidden-character scan (findings on the raw text) and
 * the 'invisible' variant (the same characters removed), so both agree on what hides.
 */

/** Unicode tag characters U+E0000–E007F: invisible copies of ASCII ("ASCII smuggling"). */
export function isTag(cp: number): boolean {
  return cp >= 0xe0000 && cp <= 0xe007f;
}

/** Embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they reorder what is shown. */
export function isBidiControl(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** Direction marks (LRM, RLM, ALM): legitimate in right-to-left text, so removed but not reported. */
export function isBidiMark(cp: number): boolean {
  return cp === 0x200e || cp === 0x200f || cp === 0x061c;
}

/** Zero-width space, joiners, word joiner, invisible operators, BOM, Mongolian vowel separator. */
export function isZeroWidth(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e;
}

/** Joiners that shape emoji and Indic/Arabic script; suspicious only beside ASCII. */
export function isJoiner(cp: number): boolean {
  return cp === 0x200c || cp === 0x200d;
}

/** Variation selectors VS1–VS256: one after an emoji is normal; runs of them can carry bytes. */
export function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Blank letters that render as nothing (Hangul fillers) and other default-ignorable formats. */
export function isBlankFormat(cp: number): boolean {
  return (
    cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0 || cp === 0x034f ||
    cp === 0x17b4 || cp === 0x17b5 || (cp >= 0x206a && cp <= 0x206f) || (cp >= 0xfff9 && cp <= 0xfffb)
  );
}

/** Printable ASCII, tab, newline, CR only: nothing can hide in it, and NFKC leaves it alone. */
export function isPlainAscii(text: string): boolean {
  return !NOT_PLAIN_ASCII.test(text);
}

// One character class, no repetition: linear, and much faster than a loop in script.
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;

// Every BMP code unit that may start something hidden: controls, the invisible formats
// above, and the high surrogate of the tag and supplementary selector blocks. A table, so
// the scan is one lookup per code unit whatever the text: a regex search is faster on
// sparse ASCII but several times slower on dense hits and on non-Latin text.
const MAYBE_HIDDEN = new Uint8Array(0x10000);
for (const [from, to] of [
  [0x00, 0x08], [0x0b, 0x0c], [0x0e, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x34f, 0x34f], [0x61c, 0x61c],
  [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180e, 0x180e], [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x206f],
  [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xffa0, 0xffa0], [0xfff9, 0xfffb], [0xdb40, 0xdb40],
] as const) {
  MAYBE_HIDDEN.fill(1, from, to + 1);
}

/** The index of the next code unit at or after `from` that may start a hidden character, or -1. */
export function nextMaybeHidden(text: string, from: number): number {
  const n = text.length;
  for (let i = from; i < n; i += 1) if (MAYBE_HIDDEN[text.charCodeAt(i)] === 1) return i;
  return -1;
}

/** SOFT HYPHEN: a line-break hint, invisible unless a line breaks there. */
export const SOFT_HYPHEN = 0xad;
/** ESCAPE, which starts ANSI terminal sequences. */
export const ESC = 0x1b;
/** The one-byte C1 form of `ESC [`. */
export const C1_CSI = 0x9b;

/** C0 and C1 controls and DEL, except tab, newline and carriage return. */
export function isControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/** Everything the 'invisible' variant removes (controls and ANSI sequences are handled apart). */
export function isInvisible(cp: number): boolean {
  return (
    isTag(cp) || isBidiControl(cp) || isBidiMark(cp) || isZeroWidth(cp) ||
    isVariationSelector(cp) || isBlankFormat(cp) || cp === SOFT_HYPHEN
  );
}

/** Where an ANSI/terminal escape sequence starting at i (ESC or C1 CSI) ends. */
export function ansiSequenceEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  let j = i + 1;
  if (first === ESC) {
    const kind = text.charCodeAt(j);
    if (kind === 0x5d || kind === 0x50 || kind === 0x5f || kind === 0x5e) return stringSequenceEnd(text, j + 1); // OSC, DCS, APC, PM
    if (kind !== 0x5b) return kind >= 0x20 && kind <= 0x7e ? j + 1 : j; // two-character escapes
    j += 1;
  }
  // CSI: parameter bytes, intermediate bytes, one final byte.
  while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j += 1;
  while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j += 1;
  const final = text.charCodeAt(j);
  return final >= 0x40 && final <= 0x7e ? j + 1 : j;
}

// Terminal strings (OSC 8 hyperlinks, window titles) run to BEL or ESC \. An unterminated
// one ends at the bound, as a terminal would swallow it, and so each scan starts past the
// last: repeated unterminated openers cost linear time, not 4 KiB each.
const MAX_TERMINAL_STRING = 4096;

function stringSequenceEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + MAX_TERMINAL_STRING);
  for (let j = start; j < limit; j += 1) {
    const c = text.charCodeAt(j);
    if (c === 0x07) return j + 1;
    if (c === ESC && text.charCodeAt(j + 1) === 0x5c) return j + 2;
  }
  return limit;
}

/**
 * Where a subdivision flag's tag sequence ends (🏴 + lower-case tags + CANCEL TAG, as in the
 * flags of England, Scotland and Wales), or -1 when the tags at i are not one. Those tags
 * are emoji, not smuggled text.
 */
export function flagTagsEnd(text: string, i: number): number {
  if (text.codePointAt(i - 2) !== 0x1f3f4) return -1;
  let j = i;
  for (let n = 0; n < 8; n += 1) {
    const cp = text.codePointAt(j) ?? 0;
    if (cp === 0xe007f) return n >= 2 ? j + 2 : -1;
    if (!((cp >= 0xe0061 && cp <= 0xe007a) || (cp >= 0xe0030 && cp <= 0xe0039))) return -1;
    j += 2;
  }
  return -1;
}

/** The code point ending just before i, or undefined at the start. */
export function codePointBefore(text: string, i: number): number | undefined {
  if (i <= 0) return undefined;
  const low = text.charCodeAt(i - 1);
  return low >= 0xdc00 && low <= 0xdfff && i >= 2 ? text.codePointAt(i - 2) : low;
}

/**
 * Joiners, blank letters and a lone variation selector have legitimate uses inside emoji
 * and non-Latin scripts; beside ASCII or at an edge they only split or pad visible text.
 */
export function besideAsciiOrEdge(text: string, i: number, width: number): boolean {
  const before = codePointBefore(text, i);
  const after = text.codePointAt(i + width);
  return before === undefined || after === undefined || before < 0x80 || after < 0x80;
}
