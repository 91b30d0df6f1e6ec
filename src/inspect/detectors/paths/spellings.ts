/**
 * The spellings of one path argument worth resolving: the raw text and the normaliser's
 * variants, each also cut at its first NUL (C code stops there: `../../etc/passwd%00.png`),
 * trimmed (some servers trim), and run through the forgiving path decoder.
 */
import type { InspectedString } from '../../types.js';
import { decodePathLeniently } from './decode.js';

/** One spelling, and how it was reached (`raw`, a normaliser chain, or ours appended). */
export interface PathSpelling {
  text: string;
  via: string;
}

const chain = (via: string, step: string) => (via === 'raw' ? step : `${via}+${step}`);

// Longer texts keep the lazy walk: their decoding is not done before the raw text is read.
const PLAIN_UP_TO = 4096;

/**
 * Distinct spellings, raw first; a text reached twice keeps its first (shortest) route. A
 * plain path (no variants, no NUL, nothing to trim or decode, as most are) has one spelling,
 * itself: the walk below would yield exactly that, so it is returned without the walk.
 */
export function pathSpellings(s: InspectedString): Iterable<PathSpelling> {
  const raw = s.raw;
  if (s.variants.length === 0 && raw !== '' && raw.length <= PLAIN_UP_TO && !raw.includes('\0') && raw.trim() === raw && decodePathLeniently(raw) === raw) return [{ text: raw, via: 'raw' }];
  return allSpellings(s);
}

/** Every distinct spelling as pathSpellings gives them, by the full walk (exported for the tests that compare). */
export function* allSpellings(s: InspectedString): Generator<PathSpelling> {
  const seen = new Set<string>();
  // Each spelling with its NUL-cut and trimmed forms, each once; yielded as found, so a
  // reader that stops at the first finding does not decode the rest.
  function* derive(text: string, via: string): Generator<PathSpelling> {
    const forms: PathSpelling[] = [{ text, via }];
    const nul = text.indexOf('\0');
    if (nul >= 0) forms.push({ text: text.slice(0, nul), via: chain(via, 'nul-cut') });
    const trimmed = text.trim();
    if (trimmed !== text) forms.push({ text: trimmed, via: chain(via, 'trim') });
    for (const form of forms) {
      if (form.text === '' || seen.has(form.text)) continue;
      seen.add(form.text);
      yield form;
    }
  }
  const base = [{ text: s.raw, via: 'raw' }, ...s.variants];
  for (const { text, via } of base) yield* derive(text, via);
  for (const { text, via } of base) {
    const decoded = decodePathLeniently(text);
    if (decoded !== text) yield* derive(decoded, chain(via, 'path-decode'));
  }
}
