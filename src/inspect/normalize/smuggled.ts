/**
 * Text carried by invisible characters, decoded so detectors can read it: Unicode tag
 * characters (each one an invisible copy of an ASCII character) and runs of variation
 * selectors (each one a byte, in the scheme that hides data behind an emoji).
 */
import { decodeUtf8Lenient, unitsToString } from './bytes.js';
import { flagTagsEnd, isTag, isVariationSelector } from './chars.js';

/** The ASCII a tag character stands for, or '' for the language tag and CANCEL TAG. */
export function tagToAscii(cp: number): string {
  const c = cp - 0xe0000;
  return c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '';
}

/** Tag characters replaced by the ASCII they copy, a run on a line of its own; subdivision flags are left alone. */
export function decodeTags(text: string): string {
  let i = text.indexOf('\udb40');
  if (i < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  while (i >= 0 && i < text.length) {
    const flagEnd = isTag(text.codePointAt(i) ?? 0) ? flagTagsEnd(text, i) : i + 1;
    if (flagEnd >= 0) {
      i = text.indexOf('\udb40', flagEnd);
      continue;
    }
    // A whole run at once: smuggled text is one tag character per letter.
    const ascii: number[] = [];
    let j = i;
    for (let cp = text.codePointAt(j) ?? 0; isTag(cp); cp = text.codePointAt(j) ?? 0) {
      const c = cp - 0xe0000;
      if (c >= 0x20 && c <= 0x7e) ascii.push(c);
      j += 2;
    }
    // Set apart on its own line: it is a message of its own, even when hidden mid-word.
    parts.push(text.slice(copied, i), ascii.length > 1 ? `\n${unitsToString(ascii)}\n` : unitsToString(ascii));
    copied = j;
    i = text.indexOf('\udb40', j);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Runs of at least this many selectors carry data; one selector after an emoji is normal. */
export const MIN_SELECTOR_RUN = 2;

/**
 * A run of variation selectors starting at i: where it ends, how many selectors it holds,
 * and the bytes of the first `keep` of them (VS1–16 are 0–15, VS17–256 are 16–255). Read
 * by code unit, since runs can be long.
 */
export function selectorRun(text: string, i: number, keep = Infinity): { end: number; count: number; bytes: number[] } {
  const bytes: number[] = [];
  let j = i;
  let count = 0;
  for (;;) {
    const c = text.charCodeAt(j);
    let byte = -1;
    if (c >= 0xfe00 && c <= 0xfe0f) byte = c - 0xfe00;
    else if (c === 0xdb40) {
      const low = text.charCodeAt(j + 1);
      if (low >= 0xdd00 && low <= 0xddef) byte = low - 0xdd00 + 16;
    }
    if (byte < 0) break;
    if (count < keep) bytes.push(byte);
    count += 1;
    j += c === 0xdb40 ? 2 : 1;
  }
  return { end: j, count, bytes };
}

// VS1–16, or the high surrogate of VS17–256 (a single character class: linear).
const MAY_HOLD_SELECTORS = /[\ufe00-\ufe0f\udb40]/;

/** Runs of variation selectors replaced by the (lenient UTF-8) text of their bytes. */
export function decodeSelectors(text: string): string {
  if (!MAY_HOLD_SELECTORS.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    if (!isVariationSelector(cp)) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const run = selectorRun(text, i);
    if (run.count >= MIN_SELECTOR_RUN) {
      parts.push(text.slice(copied, i), decodeUtf8Lenient(run.bytes).text);
      copied = run.end;
    }
    i = run.end;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}
