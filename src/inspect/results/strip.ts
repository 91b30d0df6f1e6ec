/**
 * Removing from result text what the model would read but a person would not see: ANSI
 * terminal sequences (colours, cursor moves, OSC 8 links, titles), other control
 * characters, Unicode tag characters, bidi overrides, zero-width and blank characters.
 * What has a legitimate use stays: tab, newline and CR, direction marks, emoji flag tags,
 * and joiners or one variation selector inside emoji and non-Latin script. One pass.
 */
import {
  C1_CSI, ESC, SOFT_HYPHEN, ansiSequenceEnd, besideAsciiOrEdge, codePointBefore, flagTagsEnd, isBidiControl, isBlankFormat,
  isControl, isJoiner, isTag, isVariationSelector, isZeroWidth, nextMaybeHidden,
} from '../normalize/chars.js';

/** What was removed, by kind: ansi, control, tags, bidi, zero-width, variation-selectors, blank, soft-hyphen. */
export type Removed = Record<string, number>;

export interface Stripped {
  text: string;
  /** Characters or sequences removed, by kind; empty when the text is unchanged. */
  removed: Removed;
}

// The kind of hidden character at i and how many code units it spans, or undefined to keep it.
function hiddenAt(text: string, i: number): { kind: string; end: number } | undefined {
  const cp = text.codePointAt(i) ?? 0;
  const width = cp > 0xffff ? 2 : 1;
  if (cp === ESC || cp === C1_CSI) return { kind: 'ansi', end: Math.max(i + 1, ansiSequenceEnd(text, i)) };
  if (isControl(cp)) return { kind: 'control', end: i + 1 };
  if (isTag(cp)) {
    const flag = flagTagsEnd(text, i);
    return flag === -1 ? { kind: 'tags', end: i + 2 } : undefined;
  }
  if (isBidiControl(cp)) return { kind: 'bidi', end: i + 1 };
  if (isJoiner(cp)) return besideAsciiOrEdge(text, i, 1) ? { kind: 'zero-width', end: i + 1 } : undefined;
  if (isZeroWidth(cp)) return { kind: 'zero-width', end: i + width };
  if (isVariationSelector(cp)) {
    // One selector after an emoji or a CJK character picks its glyph; after ASCII, at the
    // start, or in a run, it carries nothing a reader sees.
    const before = codePointBefore(text, i);
    const run = isVariationSelector(text.codePointAt(i + width) ?? 0) || (before !== undefined && isVariationSelector(before));
    // A keycap (1️⃣) is a digit, the selector and U+20E3.
    if (!run && text.charCodeAt(i + width) === 0x20e3) return undefined;
    return run || before === undefined || before < 0x80 ? { kind: 'variation-selectors', end: i + width } : undefined;
  }
  if (isBlankFormat(cp)) return { kind: 'blank', end: i + 1 };
  if (cp === SOFT_HYPHEN) return { kind: 'soft-hyphen', end: i + 1 };
  return undefined;
}

/**
 * `text` without hidden characters and terminal sequences, and what was removed. With
 * `sequenceBreak`, each terminal sequence becomes that text instead of nothing: a colour
 * change is where a sentence a terminal shows apart begins (for reading, not for output).
 */
export function stripHidden(text: string, sequenceBreak = ''): Stripped {
  const removed: Removed = {};
  let at = nextMaybeHidden(text, 0);
  if (at === -1) return { text, removed };
  const parts: string[] = [];
  let kept = 0;
  while (at !== -1) {
    const hidden = hiddenAt(text, at);
    if (hidden) {
      if (at > kept) parts.push(text.slice(kept, at));
      if (sequenceBreak !== '' && hidden.kind === 'ansi') parts.push(sequenceBreak);
      removed[hidden.kind] = (removed[hidden.kind] ?? 0) + 1;
      kept = hidden.end;
      at = nextMaybeHidden(text, hidden.end);
    } else {
      // A flag's tags are kept whole: skip past the cancel tag.
      const flag = isTag(text.codePointAt(at) ?? 0) ? flagTagsEnd(text, at) : -1;
      at = nextMaybeHidden(text, flag === -1 ? at + 1 : flag);
    }
  }
  if (kept === 0) return { text, removed };
  parts.push(text.slice(kept));
  return { text: parts.join(''), removed };
}
