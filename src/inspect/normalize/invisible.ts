/**
 * The 'invisible' and 'nfkc' steps: what the text says once what cannot be seen is removed,
 * and once compatibility forms (fullwidth `．．／`, ligatures) are folded to plain letters.
 */
import {
  ansiSequenceEnd, besideAsciiOrEdge, C1_CSI, codePointBefore, ESC, flagTagsEnd, isBlankFormat, isControl,
  isInvisible, isJoiner, isPlainAscii, isTag, isVariationSelector, nextMaybeHidden,
} from './chars.js';
import { MIN_SELECTOR_RUN, selectorRun } from './smuggled.js';

// What to do with the character(s) at i: remove or keep, up to where. Emoji joiners, the
// selector after an emoji and subdivision flags stay: removing them would only give benign
// emoji text a pointless variant.
interface Span {
  remove: boolean;
  end: number;
}

// Reused for the common answer, so a dense run of kept characters allocates nothing.
const KEEP: Span = { remove: false, end: 0 };

// Always removed whatever surrounds them: zero-width and bidi formats, soft hyphen, the
// deprecated and annotation formats, controls other than tab, newline, CR, and ESC and BEL
// (an ANSI sequence is recognised by its ESC and may end at a BEL). Removed first in one
// native pass.
const ALWAYS_REMOVED = /[\x00-\x06\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9a\x9c-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

function spanAt(text: string, i: number): Span {
  const cp = text.codePointAt(i) ?? 0;
  const width = cp > 0xffff ? 2 : 1;
  const keep = Object.assign(KEEP, { end: i + width });
  if (cp === ESC || cp === C1_CSI) return { remove: true, end: ansiSequenceEnd(text, i) };
  if (isControl(cp)) return { remove: true, end: i + 1 };
  if (!isInvisible(cp)) return keep;
  if (isTag(cp)) {
    const flagEnd = flagTagsEnd(text, i);
    return flagEnd >= 0 ? { remove: false, end: flagEnd } : { remove: true, end: i + 2 };
  }
  if (isVariationSelector(cp)) {
    const run = selectorRun(text, i, 0);
    const before = codePointBefore(text, i);
    return { remove: run.count >= MIN_SELECTOR_RUN || before === undefined || before < 0x80, end: run.end };
  }
  if (isJoiner(cp) || isBlankFormat(cp)) return besideAsciiOrEdge(text, i, width) ? { remove: true, end: i + width } : keep;
  return { remove: true, end: i + width };
}

/** Removes invisible characters, ANSI sequences and control characters (not tab, LF, CR). */
export function stripInvisible(input: string): string {
  const text = input.replace(ALWAYS_REMOVED, '');
  const parts: string[] = [];
  let copied = 0;
  for (let i = nextMaybeHidden(text, 0); i >= 0; ) {
    const span = spanAt(text, i);
    if (span.remove) {
      if (i > copied) parts.push(text.slice(copied, i));
      copied = span.end;
    }
    i = nextMaybeHidden(text, span.end);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Look-alikes NFKC leaves alone but that Windows "best fit" code page conversion, or a
 * reader, takes for path separators and dots.
 */
const FOLDS: ReadonlyMap<string, string> = new Map([
  ['\u2215', '/'], ['\u2044', '/'], ['\u29f8', '/'], ['\u2571', '/'],
  ['\u2216', '\\'], ['\u29f5', '\\'], ['\u29f9', '\\'], ['\u2572', '\\'], ['\u00a5', '\\'], ['\u20a9', '\\'],
  ['\u3002', '.'], // ideographic full stop: URL parsers take it for a dot in host names
]);
const FOLDABLE = /[\u2215\u2044\u29f8\u2571\u2216\u29f5\u29f9\u2572\u00a5\u20a9\u3002]/g;

// NFKC in slices, so a string of ligatures that expand 18-fold is refused part-way instead
// of after building the whole expansion. Slices end before an ASCII character: nothing
// composes with a following ASCII character, so slicing there changes nothing.
const SLICE = 64 * 1024;

function nfkcBounded(text: string, maxLength: number): string | undefined {
  const parts: string[] = [];
  let length = 0;
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + SLICE);
    while (end < text.length && end < start + 2 * SLICE && text.charCodeAt(end) >= 0x80) end += 1;
    // Without ASCII nearby the cut may be imperfect, but never splits a surrogate pair.
    if (end < text.length && (text.charCodeAt(end) & 0xfc00) === 0xdc00) end += 1;
    const part = text.slice(start, end).normalize('NFKC');
    length += part.length;
    if (length > maxLength) return undefined;
    parts.push(part);
    start = end;
  }
  return parts.join('');
}

/** The cleaned text and the step names that changed it, in order ('invisible', 'nfkc'). */
export interface Cleaned {
  text: string;
  via: string[];
}

/** Cleaned text may grow (NFKC) to this many times its input plus a little, no more. */
export const MAX_CLEAN_GROWTH = 4;

/**
 * Invisible characters removed, then NFKC, then separator look-alikes folded. Undefined when
 * NFKC would grow the text beyond MAX_CLEAN_GROWTH times its length (a flood of ligatures).
 */
export function cleanText(text: string): Cleaned | undefined {
  if (isPlainAscii(text)) return { text, via: [] };
  const via: string[] = [];
  const visible = stripInvisible(text);
  if (visible !== text) via.push('invisible');
  const normal = nfkcBounded(visible, MAX_CLEAN_GROWTH * text.length + 1024);
  if (normal === undefined) return undefined;
  const folded = normal.replace(FOLDABLE, (c) => FOLDS.get(c) ?? c);
  if (folded !== visible) via.push('nfkc');
  return { text: folded, via };
}
