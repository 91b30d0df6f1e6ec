/**
 * What the `..` parts of one reading of a path do, judged on the text alone (no roots
 * needed). The rule, for `path.traversal`, fires when a `..`:
 * - climbs two or more levels above the folder a relative (or `~`) path starts in
 *   (`../../x`); one level (`../README.md`, a sibling project) is allowed;
 * - climbs above the root of an absolute path (`/../etc`), which no honest path does;
 * - is disguised (`....`, `..;`, `.. `, `..%`), a spelling made to slip past filters;
 * - is hidden by an encoding: a decoded spelling has more `..` parts than the raw text;
 * - is followed by a system location (`x/../etc/passwd`, `../windows/win.ini`): where the
 *   attack is heading even when the climb looks short or the name before it is padding.
 */
import type { ParsedPath } from './parse.js';

/** `plain` for `..`; `disguised` for what some server also reads as `..`; undefined otherwise. */
export function dotDotKind(segment: string): 'plain' | 'disguised' | undefined {
  if (segment === '..') return 'plain';
  if (!segment.startsWith('..')) return undefined;
  // `...`, `.. ` (Windows drops trailing dots and spaces), `..%` (decoders that drop a stray
  // `%`), `..;x` (a path parameter Tomcat drops).
  if (/^\.\.(?:[. \t%]+|;.*)$/s.test(segment)) return 'disguised';
  return undefined;
}

/** How many `..` parts (of any kind) a text has, split on either separator. */
export function countDotDots(text: string): number {
  // Every `..` part starts with `..`.
  if (!text.includes('..')) return 0;
  let count = 0;
  for (const segment of text.split(/[\\/]/)) if (dotDotKind(segment) !== undefined) count++;
  return count;
}

/** What the `..` parts of one reading do. */
export interface DotDotFacts {
  /** Number of `..` parts, disguised ones included. */
  count: number;
  /** Levels climbed above where the path starts. */
  climb: number;
  disguised: boolean;
  /** The parts after the last `..`: where the path heads. */
  tail: string[];
}

/** The facts about the `..` parts of a parsed path, or undefined when it has none. */
export function dotDotFacts(parsed: ParsedPath): DotDotFacts | undefined {
  let depth = 0;
  let lowest = 0;
  let count = 0;
  let disguised = false;
  let last = -1;
  parsed.segments.forEach((segment, i) => {
    if (segment === '.') return;
    const kind = dotDotKind(segment);
    if (kind === undefined) {
      depth++;
      return;
    }
    count++;
    disguised ||= kind === 'disguised';
    depth--;
    lowest = Math.min(lowest, depth);
    last = i;
  });
  if (count === 0) return undefined;
  const tail = parsed.segments.slice(last + 1).filter((s) => s !== '.');
  return { count, climb: -lowest, disguised, tail };
}

/**
 * Why this reading is a traversal, in words for the message, or undefined when it is not.
 * `rawCount` is the number of `..` parts in the text as sent; `headsForSystem` says whether
 * the tail, seen from the file-system root, names a system location.
 */
export function traversalReason(
  parsed: ParsedPath,
  rawCount: number,
  headsForSystem: (tail: readonly string[]) => boolean,
): string | undefined {
  const facts = dotDotFacts(parsed);
  if (!facts) return undefined;
  const absolute = parsed.start.kind === 'absolute';
  if (absolute && facts.climb > 0) return 'it climbs above the root of the file system';
  if (!absolute && facts.climb >= 2) return `it climbs ${facts.climb} levels above the folder it starts in`;
  if (facts.disguised) return 'it hides ".." in a form that filters miss';
  if (facts.count > rawCount) return 'it hides ".." behind an encoding';
  if (facts.tail.length > 0 && headsForSystem(facts.tail)) return 'it uses ".." to reach a system location';
  return undefined;
}
