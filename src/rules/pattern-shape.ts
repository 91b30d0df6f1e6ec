/**
 * A second cheap necessary condition for a pattern to match (beside required-chars.ts): how
 * long a text must be, and how many characters of a few ASCII classes (digits, letters and
 * digits, token characters, words and spaces) it must hold, in all and in one unbroken run.
 * `\b\d(?:[ -]?\d){11}` needs twelve digits; a 51-character base58 key needs a run of 51
 * letters and digits; twelve seed words need a run of 47 letters and spaces. A path, a
 * command line or a sentence rarely has that, and the pattern need not run on it. Bounds are
 * worked out from the pattern's source; whatever this reader does not know gives no bound,
 * so a bound is only ever a true consequence of the pattern (test/rules/pattern-shape.test.ts).
 */

/**
 * The classes, as 128-bit ASCII masks (bits 0-31, 32-63, 64-95, 96-127) and whether the
 * characters above U+007F are in (all of them, so that `\s`, which holds the Unicode spaces,
 * is inside the last class).
 */
const CLASSES: ReadonlyArray<{ ascii: string; other: boolean }> = [
  { ascii: '0-9', other: false },
  { ascii: '0-9a-z', other: false },
  { ascii: '0-9a-z_.+/=-', other: false },
  { ascii: 'a-z\\t\\n\\v\\f\\r ', other: false },
  { ascii: '\\t\\n\\v\\f\\r ', other: true },
];
/** Number of classes. */
export const SHAPE_CLASSES = CLASSES.length;

// Per ASCII code unit, the classes it is in, as bits; and the classes of the others.
const CLASS_OF = new Uint8Array(128);
let OTHER_BITS = 0;
const CLASS_MASKS: ReadonlyArray<{ words: [number, number, number, number]; other: boolean }> = CLASSES.map(({ ascii, other }, k) => {
  const words: [number, number, number, number] = [0, 0, 0, 0];
  const re = new RegExp(`[${ascii}]`);
  for (let c = 0; c < 128; c++) {
    if (!re.test(String.fromCharCode(c))) continue;
    words[c >> 5]! |= 1 << (c & 31);
    CLASS_OF[c]! |= 1 << k;
  }
  if (other) OTHER_BITS |= 1 << k;
  return { words, other };
});

/**
 * What a text offers, in one Int32Array: [length, then per class k the count (1 + 2k) and
 * the longest run (2 + 2k) of its characters in class k].
 */
export const SHAPE_SIZE = 1 + 2 * SHAPE_CLASSES;

/** The shape of `text`: one pass over it. */
export function shapeOf(text: string, into: Int32Array = new Int32Array(SHAPE_SIZE)): Int32Array {
  // (Unrolled for the five classes: this runs for each short spelling a pattern gets as far as.)
  let n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0;
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0;
  let m0 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const bits = c < 128 ? CLASS_OF[c]! : OTHER_BITS;
    if (bits & 1) { n0++; if (++r0 > m0) m0 = r0; } else r0 = 0;
    if (bits & 2) { n1++; if (++r1 > m1) m1 = r1; } else r1 = 0;
    if (bits & 4) { n2++; if (++r2 > m2) m2 = r2; } else r2 = 0;
    if (bits & 8) { n3++; if (++r3 > m3) m3 = r3; } else r3 = 0;
    if (bits & 16) { n4++; if (++r4 > m4) m4 = r4; } else r4 = 0;
  }
  into[0] = text.length;
  into[1] = n0; into[2] = m0;
  into[3] = n1; into[4] = m1;
  into[5] = n2; into[6] = m2;
  into[7] = n3; into[8] = m3;
  into[9] = n4; into[10] = m4;
  return into;
}

/**
 * What a pattern needs of a text's shape, as pairs [index into a shape, least value] (only
 * bounds that rule something out; none when nothing can be said).
 */
export type ShapeNeeds = readonly number[];

/** False when `shape` falls short of some bound of `needs`: the pattern cannot match that text (or any part of it). */
export function shapeAllows(needs: ShapeNeeds, shape: Int32Array): boolean {
  for (let j = 0; j < needs.length; j += 2) if (shape[needs[j]!]! < needs[j + 1]!) return false;
  return true;
}

// A character class as read: ASCII bits and whether anything above U+007F is in it.
interface Chars {
  words: [number, number, number, number];
  other: boolean;
}

// What every match of a part of a pattern holds, for one class: its least length; whether it
// is made only of the class's characters (`full`); and lower bounds on the run of them it
// starts with, ends with, and holds anywhere; and on their count.
interface Bound {
  min: number;
  full: boolean;
  pre: number;
  suf: number;
  inner: number;
  count: number;
}

type Node =
  | { t: 'chars'; chars: Chars }
  | { t: 'empty' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; branches: Node[] }
  | { t: 'rep'; node: Node; min: number };

class Unknown extends Error {}

const CAP = 1 << 20;

function bound(node: Node, mask: { words: readonly number[]; other: boolean }): Bound {
  switch (node.t) {
    case 'empty':
      return { min: 0, full: true, pre: 0, suf: 0, inner: 0, count: 0 };
    case 'chars': {
      const w = node.chars.words;
      const m = mask.words;
      const inside = (!node.chars.other || mask.other) && (w[0] & ~m[0]!) === 0 && (w[1] & ~m[1]!) === 0 && (w[2] & ~m[2]!) === 0 && (w[3] & ~m[3]!) === 0;
      return inside ? { min: 1, full: true, pre: 1, suf: 1, inner: 1, count: 1 } : { min: 1, full: false, pre: 0, suf: 0, inner: 0, count: 0 };
    }
    case 'seq': {
      let acc = bound({ t: 'empty' }, mask);
      for (const item of node.items) {
        const b = bound(item, mask);
        acc = {
          min: Math.min(CAP, acc.min + b.min),
          full: acc.full && b.full,
          pre: acc.full ? Math.min(CAP, acc.pre + b.pre) : acc.pre,
          suf: b.full ? Math.min(CAP, acc.suf + b.suf) : b.suf,
          inner: Math.max(acc.inner, b.inner, Math.min(CAP, acc.suf + b.pre)),
          count: Math.min(CAP, acc.count + b.count),
        };
      }
      return acc;
    }
    case 'alt': {
      const all = node.branches.map((b) => bound(b, mask));
      return {
        min: Math.min(...all.map((b) => b.min)),
        full: all.every((b) => b.full),
        pre: Math.min(...all.map((b) => b.pre)),
        suf: Math.min(...all.map((b) => b.suf)),
        inner: Math.min(...all.map((b) => b.inner)),
        count: Math.min(...all.map((b) => b.count)),
      };
    }
    case 'rep': {
      const b = bound(node.node, mask);
      const m = node.min;
      if (m === 0) return { min: 0, full: b.full, pre: 0, suf: 0, inner: 0, count: 0 };
      const times = (x: number): number => Math.min(CAP, x * m);
      if (b.full) return { min: times(b.min), full: true, pre: times(b.pre), suf: times(b.suf), inner: times(b.inner), count: times(b.count) };
      // At least m matches of the part in a row: the first's start, the last's end, and where two meet.
      return { min: times(b.min), full: false, pre: b.pre, suf: b.suf, inner: Math.max(b.inner, m >= 2 ? b.suf + b.pre : 0), count: times(b.count) };
    }
  }
}

/**
 * What `regex` needs of a text's shape (see ShapeNeeds): none for flags that change what a
 * character matches, or syntax this reader does not know.
 */
export function shapeNeeds(regex: RegExp): ShapeNeeds {
  if (regex.flags.replace(/[gd]/g, '') !== '') return [];
  let tree: Node;
  try {
    tree = new Parser(regex.source).parse();
  } catch (error) {
    if (error instanceof Unknown) return [];
    throw error;
  }
  const needs: number[] = [];
  const min = bound(tree, { words: [0, 0, 0, 0], other: false }).min;
  if (min > 1) needs.push(0, min);
  CLASS_MASKS.forEach((mask, k) => {
    const b = bound(tree, mask);
    // A run is a count too: only the stronger bound is kept.
    if (b.count > b.inner) needs.push(1 + 2 * k, b.count);
    if (b.inner > 0) needs.push(2 + 2 * k, b.inner);
  });
  return needs;
}

const DIGIT: Chars = { words: [0, 0x03ff0000, 0, 0], other: false };
const WORD: Chars = { words: [0, 0x03ff0000, 0x87fffffe, 0x07fffffe], other: false };
// \s: ASCII white space and Unicode spaces.
const SPACE: Chars = { words: [0x3e00, 1, 0, 0], other: true };

function complement(c: Chars): Chars {
  return { words: [~c.words[0], ~c.words[1], ~c.words[2], ~c.words[3]], other: true };
}

function single(code: number): Chars {
  const chars: Chars = { words: [0, 0, 0, 0], other: code >= 128 };
  if (code < 128) chars.words[code >> 5]! |= 1 << (code & 31);
  return chars;
}

// Reads a pattern (no flags) into a tree; throws Unknown on anything it does not know.
class Parser {
  private at = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at !== this.src.length) throw new Unknown();
    return node;
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.src[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { t: 'alt', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') items.push(this.quantified());
    return { t: 'seq', items };
  }

  private quantified(): Node {
    const atom = this.atom();
    const ch = this.src[this.at];
    let min: number;
    if (ch === '*' || ch === '?') min = 0;
    else if (ch === '+') min = 1;
    else if (ch === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.src.slice(this.at));
      // A literal brace without the u flag: read as a character next.
      if (!m) return atom;
      this.at += m[0].length - 1;
      min = Number(m[1]);
    } else return atom;
    this.at++;
    if (this.src[this.at] === '?') this.at++;
    if (atom.t === 'empty') throw new Unknown();
    return { t: 'rep', node: atom, min };
  }

  private atom(): Node {
    const ch = this.src[this.at++];
    switch (ch) {
      case '^':
      case '$':
        return { t: 'empty' };
      case '.':
        return { t: 'chars', chars: complement(single(0x0a)) };
      case '(': {
        if (this.src.startsWith('?:', this.at)) this.at += 2;
        else if (this.src[this.at] === '?') throw new Unknown(); // lookarounds, named groups, modifiers
        const inner = this.alternation();
        if (this.src[this.at++] !== ')') throw new Unknown();
        return inner;
      }
      case '[':
        return { t: 'chars', chars: this.charClass() };
      case '\\': {
        const next = this.src[this.at];
        if (next === 'b' || next === 'B') {
          this.at++;
          return { t: 'empty' };
        }
        const set = this.classEscape();
        return { t: 'chars', chars: set ?? single(this.charEscape()) };
      }
      case undefined:
      case '*':
      case '+':
      case '?':
      case ')':
      case '|':
      case ']':
      case '{':
      case '}':
        throw new Unknown();
      default:
        return { t: 'chars', chars: single(ch.charCodeAt(0)) };
    }
  }

  private classEscape(): Chars | undefined {
    const sets: Record<string, Chars> = { d: DIGIT, D: complement(DIGIT), w: WORD, W: complement(WORD), s: SPACE, S: complement(SPACE) };
    const set = sets[this.src[this.at] ?? ''];
    if (set) this.at++;
    return set;
  }

  private charEscape(): number {
    const ch = this.src[this.at++];
    if (ch === undefined) throw new Unknown();
    const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };
    if (ch in simple) return simple[ch]!;
    if (ch === 'x' || ch === 'u') {
      const digits = ch === 'x' ? 2 : 4;
      const hex = this.src.slice(this.at, this.at + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new Unknown();
      this.at += digits;
      return parseInt(hex, 16);
    }
    // Back-references, \0, \c, \k, \p and other letters and digits.
    if (/[a-zA-Z0-9]/.test(ch)) throw new Unknown();
    return ch.charCodeAt(0);
  }

  private charClass(): Chars {
    const negated = this.src[this.at] === '^';
    if (negated) this.at++;
    const set: Chars = { words: [0, 0, 0, 0], other: false };
    const addSet = (c: Chars): void => {
      for (let w = 0; w < 4; w++) set.words[w]! |= c.words[w]!;
      set.other ||= c.other;
    };
    while (this.src[this.at] !== ']') {
      const from = this.classAtom();
      if (typeof from !== 'number') {
        addSet(from);
        continue;
      }
      if (this.src[this.at] === '-' && this.src[this.at + 1] !== ']' && this.src[this.at + 1] !== undefined) {
        this.at++;
        const to = this.classAtom();
        if (typeof to !== 'number' || to < from) throw new Unknown();
        for (let c = from; c <= Math.min(to, 127); c++) addSet(single(c));
        if (to >= 128) set.other = true;
      } else addSet(single(from));
    }
    this.at++;
    return negated ? complement(set) : set;
  }

  private classAtom(): number | Chars {
    const ch = this.src[this.at++];
    if (ch === undefined) throw new Unknown();
    if (ch !== '\\') return ch.charCodeAt(0);
    const set = this.classEscape();
    if (set) return set;
    if (this.src[this.at] === 'b') {
      this.at++;
      return 0x08;
    }
    if (this.src[this.at] === '-') {
      this.at++;
      return 0x2d;
    }
    return this.charEscape();
  }
}
