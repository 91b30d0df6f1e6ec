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

/** Distinct spellings, raw first; a text reached twice keeps its first (shortest) route. */
export function pathSpellings(s: InspectedString): PathSpelling[] {
  const seen = new Map<string, string>();
  const add = (text: string, via: string) => {
    if (text !== '' && !seen.has(text)) seen.set(text, via);
  };
  const derive = (text: string, via: string) => {
    add(text, via);
    const nul = text.indexOf('\0');
    if (nul >= 0) add(text.slice(0, nul), chain(via, 'nul-cut'));
    const trimmed = text.trim();
    if (trimmed !== text) add(trimmed, chain(via, 'trim'));
  };
  const base = [{ text: s.raw, via: 'raw' }, ...s.variants];
  for (const { text, via } of base) derive(text, via);
  for (const { text, via } of base) {
    const decoded = decodePathLeniently(text);
    if (decoded !== text) derive(decoded, chain(via, 'path-decode'));
  }
  return [...seen].map(([text, via]) => ({ text, via }));
}
