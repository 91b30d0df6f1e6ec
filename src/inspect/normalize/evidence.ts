/**
 * Evidence for hidden-character findings: a short excerpt where every character that
 * cannot be seen is spelled out (`<U+202E>`, `<ESC>`), so the audit log and the model see
 * what was there without the log itself carrying the hidden payload.
 */
import { isControl, isInvisible } from './chars.js';

/** The longest evidence a finding carries (types.ts: ≤ 80 characters). */
export const MAX_EVIDENCE = 80;
// Visible characters shown either side of the first hidden one.
const CONTEXT = 16;

/** How one code point is shown in evidence. */
export function showCodePoint(cp: number): string {
  if (cp === 0x1b) return '<ESC>';
  if (cp === 9) return '\\t';
  if (cp === 10) return '\\n';
  if (cp === 13) return '\\r';
  if (isInvisible(cp) || isControl(cp)) return `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
  return String.fromCodePoint(cp);
}

/** Cuts to the evidence bound, marking the cut. */
export function clip(text: string, max = MAX_EVIDENCE): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Text from start to end (UTF-16 offsets) with hidden characters spelled out. */
export function showSpan(text: string, start: number, end: number): string {
  let out = '';
  let i = start;
  while (i < end && out.length < MAX_EVIDENCE * 2) {
    const cp = text.codePointAt(i) ?? 0;
    out += showCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/** An excerpt around [start, end) with some visible context, prefixed by how often it occurred. */
export function excerpt(text: string, start: number, end: number, count: number): string {
  let from = Math.max(0, start - CONTEXT);
  if (from > 0 && text.charCodeAt(from) >= 0xdc00 && text.charCodeAt(from) <= 0xdfff) from -= 1;
  const to = Math.min(text.length, end + CONTEXT);
  const body = `${from > 0 ? '…' : ''}${showSpan(text, from, to)}${to < text.length ? '…' : ''}`;
  return clip(count > 1 ? `${count}×: ${body}` : body);
}
