/**
 * Hidden characters as findings, read from the raw text before any normalising: what a
 * person reviewing the call cannot see but the server receives.
 */
import type { Finding } from '../types.js';
import { decodeUtf8Lenient } from './bytes.js';
import {
  C1_CSI, ESC, SOFT_HYPHEN, ansiSequenceEnd, besideAsciiOrEdge, codePointBefore, flagTagsEnd, isBidiControl,
  isBlankFormat, isControl, isJoiner, isPlainAscii, isTag, isVariationSelector, isZeroWidth, nextMaybeHidden,
} from './chars.js';
import { clip, excerpt, showSpan } from './evidence.js';
import { HIDDEN_RULES, type HiddenRule } from './hidden-rules.js';
import { MIN_SELECTOR_RUN, selectorRun, tagToAscii } from './smuggled.js';

// The first place a rule was seen, and how often.
interface Seen {
  rule: HiddenRule;
  start: number;
  end: number;
  count: number;
}

// Tag text kept for evidence; more would be cut anyway.
const MAX_TAG_TEXT = 120;
const LETTER = /\p{L}/u;

// A soft hyphen inside a word of running text is a hyphenation hint; anywhere else (next
// to punctuation, or in text without spaces such as a path or command) it hides a break.
function unusualSoftHyphen(text: string, i: number, prose: boolean): boolean {
  const before = codePointBefore(text, i);
  const after = text.codePointAt(i + 1);
  if (!prose || before === undefined || after === undefined) return true;
  return !LETTER.test(String.fromCodePoint(before)) || !LETTER.test(String.fromCodePoint(after));
}

/** Scanner state for one string. */
class HiddenScan {
  readonly seen = new Map<string, Seen>();
  tagText = '';
  selectorText = '';

  note(rule: HiddenRule, start: number, end: number): void {
    const s = this.seen.get(rule.id);
    if (s === undefined) this.seen.set(rule.id, { rule, start, end, count: 1 });
    else s.count += 1;
  }
}

// Classifies the code point at i (one that may be hidden); returns where scanning continues.
function step(text: string, i: number, scan: HiddenScan, prose: boolean): number {
  const cp = text.codePointAt(i) ?? 0;
  const width = cp > 0xffff ? 2 : 1;
  if (cp === ESC || cp === C1_CSI) {
    const end = Math.max(i + 1, ansiSequenceEnd(text, i));
    scan.note(HIDDEN_RULES.ansi, i, end);
    return end;
  }
  if (isControl(cp)) scan.note(HIDDEN_RULES.control, i, i + 1);
  else if (isTag(cp)) return tagRun(text, i, scan);
  else if (isBidiControl(cp)) scan.note(HIDDEN_RULES.bidi, i, i + 1);
  else if (isVariationSelector(cp)) return selectors(text, i, scan);
  else if (isJoiner(cp) || isBlankFormat(cp)) {
    if (besideAsciiOrEdge(text, i, width)) scan.note(HIDDEN_RULES.zeroWidth, i, i + width);
  } else if (isZeroWidth(cp)) {
    if (!(cp === 0xfeff && i === 0)) scan.note(HIDDEN_RULES.zeroWidth, i, i + 1);
  } else if (cp === SOFT_HYPHEN && unusualSoftHyphen(text, i, prose)) scan.note(HIDDEN_RULES.zeroWidth, i, i + 1);
  return i + width;
}

// A run of tag characters: one occurrence, its ASCII kept for the evidence.
function tagRun(text: string, i: number, scan: HiddenScan): number {
  const flagEnd = flagTagsEnd(text, i);
  if (flagEnd >= 0) return flagEnd;
  let j = i;
  let ascii = '';
  for (let cp = text.codePointAt(j) ?? 0; isTag(cp); cp = text.codePointAt(j) ?? 0) {
    if (ascii.length < MAX_TAG_TEXT) ascii += tagToAscii(cp);
    j += 2;
  }
  scan.note(HIDDEN_RULES.tags, i, j);
  if (scan.tagText.length < MAX_TAG_TEXT) scan.tagText += (scan.tagText === '' ? '' : ' ') + ascii;
  return j;
}

// A run of variation selectors long enough to carry bytes.
function selectors(text: string, i: number, scan: HiddenScan): number {
  const run = selectorRun(text, i, MAX_TAG_TEXT);
  if (run.count >= MIN_SELECTOR_RUN) {
    scan.note(HIDDEN_RULES.selectors, i, run.end);
    if (scan.selectorText === '') scan.selectorText = decodeUtf8Lenient(run.bytes).text;
  }
  return run.end;
}

function evidenceOf(text: string, s: Seen, scan: HiddenScan): string {
  const times = s.count > 1 ? `${s.count}×: ` : '';
  if (s.rule === HIDDEN_RULES.tags) return clip(`${times}tags spell "${scan.tagText}"`);
  if (s.rule === HIDDEN_RULES.selectors) return clip(`${times}selectors carry "${showSpan(scan.selectorText, 0, scan.selectorText.length)}"`);
  return excerpt(text, s.start, s.end, s.count);
}

// What a plain ASCII string shows (shared: read only).
const NONE_HIDDEN: readonly Finding[] = [];

/**
 * Hidden characters in one raw string, one finding per rule (with a count), at `path`.
 * Rules in `skip` are not reported (an enclosing string already reported them).
 */
export function scanHidden(raw: string, path: string, skip?: ReadonlySet<string>): readonly Finding[] {
  if (isPlainAscii(raw)) return NONE_HIDDEN;
  const scan = new HiddenScan();
  const prose = /\s/.test(raw);
  for (let i = nextMaybeHidden(raw, 0); i >= 0; i = nextMaybeHidden(raw, step(raw, i, scan, prose)));
  const findings: Finding[] = [];
  for (const s of scan.seen.values()) {
    if (skip?.has(s.rule.id) === true) continue;
    findings.push({
      ruleId: s.rule.id,
      category: 'hidden-characters',
      severity: s.rule.severity,
      path,
      evidence: evidenceOf(raw, s, scan),
      message: s.rule.message,
    });
  }
  return findings;
}
