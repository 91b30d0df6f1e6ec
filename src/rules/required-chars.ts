/**
 * A cheap necessary condition for a pattern to match: a set of characters of which every
 * match holds at least one (for `\b\d(?:[ -]?\d){11}` the digits, for `\+\d{1,3}` the
 * plus sign). Text holding none of them cannot match, so the pattern need not run on it:
 * most strings a call carries (argument names, a path, a sentence) hold no digit, quote
 * or `+`, and the rules without keywords are skipped on them. Derived from the pattern's
 * source at load; whatever this reader does not know gives no condition (the pattern
 * always runs), so a condition is only ever a true consequence of the pattern.
 */

/** Characters as a 128-bit mask of ASCII code points, plus whether any above U+007F are in. */
export interface CharSet {
  /** Bits 0-31, 32-63, 64-95, 96-127. */
  words: [number, number, number, number];
  /** Some character above U+007F is in the set (taken as true when unsure). */
  other: boolean;
}

/** The characters of a text, in the same shape: one pass over it. */
export function charsOf(text: string): CharSet {
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0;
  let other = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32) w0 |= 1 << c;
    else if (c < 64) w1 |= 1 << (c - 32);
    else if (c < 96) w2 |= 1 << (c - 64);
    else if (c < 128) w3 |= 1 << (c - 96);
    else other = true;
  }
  return { words: [w0, w1, w2, w3], other };
}

/**
 * The same from a table of which code units occur: `seen[c]` non-zero for each ASCII `c`
 * present (entries from 128 on are not read), `other` when any above U+007F is.
 */
export function charSetOfCodes(seen: Uint8Array, other: boolean): CharSet {
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let c = 0; c < 128; c++) if (seen[c]) words[c >> 5]! |= 1 << (c & 31);
  return { words, other };
}

/** False when no character of `need` is in `present`: the pattern cannot match that text. */
export function mayMatch(need: CharSet | undefined, present: CharSet): boolean {
  if (need === undefined) return true;
  // (Indexes, not destructuring: this runs for every pattern on every spelling.)
  const a = need.words;
  const b = present.words;
  return (a[0] & b[0]) !== 0 || (a[1] & b[1]) !== 0 || (a[2] & b[2]) !== 0 || (a[3] & b[3]) !== 0 || (need.other && present.other);
}

// Thrown on anything this reader does not know: no condition then.
class Unknown extends Error {}

const empty = (): CharSet => ({ words: [0, 0, 0, 0], other: false });

function add(set: CharSet, code: number): void {
  if (code >= 128) set.other = true;
  else set.words[code >> 5]! |= 1 << (code & 31);
}

function addRange(set: CharSet, from: number, to: number): void {
  if (to < from) throw new Unknown();
  for (let c = from; c <= Math.min(to, 127); c++) add(set, c);
  if (to >= 128) set.other = true;
}

function union(a: CharSet, b: CharSet): CharSet {
  return { words: [a.words[0] | b.words[0], a.words[1] | b.words[1], a.words[2] | b.words[2], a.words[3] | b.words[3]], other: a.other || b.other };
}

// Every character but those in `set`; characters above U+007F are always taken to be in.
function complement(set: CharSet): CharSet {
  return { words: [~set.words[0], ~set.words[1], ~set.words[2], ~set.words[3]], other: true };
}

function popcount(n: number): number {
  let x = n - ((n >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// How often a set's characters turn up in ordinary text: lower is more telling. Letters
// and spaces are everywhere; a set reaching beyond ASCII tells little.
function commonness(set: CharSet): number {
  const letters = popcount(set.words[3] & 0x07fffffe) + (set.words[1] & 1 ? 1 : 0);
  const rest = popcount(set.words[0]) + popcount(set.words[1]) + popcount(set.words[2]) + popcount(set.words[3]) - letters;
  return rest + 8 * letters + (set.other ? 1000 : 0);
}

const DIGITS = (): CharSet => {
  const s = empty();
  addRange(s, 0x30, 0x39);
  return s;
};
const WORD = (): CharSet => {
  const s = DIGITS();
  addRange(s, 0x41, 0x5a);
  addRange(s, 0x61, 0x7a);
  add(s, 0x5f);
  return s;
};
// \s: the ASCII white space, and (other) the Unicode spaces, line terminators and BOM.
const SPACE = (): CharSet => {
  const s = empty();
  for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) add(s, c);
  s.other = true;
  return s;
};
// `.` without the s flag: all but the line terminators.
const DOT = (): CharSet => {
  const s = complement(empty());
  s.words[0] &= ~((1 << 0x0a) | (1 << 0x0d));
  return s;
};

/**
 * What one part of a pattern requires: a set every match of it holds a character of, or
 * null when it can match without holding any particular one (it can match empty, say).
 */
type Need = CharSet | null;

class Reader {
  private at = 0;

  constructor(private readonly src: string) {}

  read(): Need {
    const need = this.alternation();
    if (this.at !== this.src.length) throw new Unknown();
    return need;
  }

  // A pattern that is one sequence: every item's need (a match holds a character of each);
  // undefined when the pattern has branches at the top.
  readEach(): CharSet[] | undefined {
    const needs: CharSet[] = [];
    while (this.at < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const need = this.quantified();
      if (need !== null) needs.push(need);
    }
    return this.at === this.src.length ? needs : undefined;
  }

  private peek(): string | undefined {
    return this.src[this.at];
  }

  // a|b|c: a match of the whole is a match of one branch.
  private alternation(): Need {
    let need = this.sequence();
    while (this.peek() === '|') {
      this.at++;
      const next = this.sequence();
      need = need === null || next === null ? null : union(need, next);
    }
    return need;
  }

  // abc: a match holds a match of every item; the most telling item's need is kept.
  private sequence(): Need {
    let best: Need = null;
    while (this.at < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const need = this.quantified();
      if (need !== null && (best === null || commonness(need) < commonness(best))) best = need;
    }
    return best;
  }

  private quantified(): Need {
    const atom = this.atom();
    const min = this.quantifier();
    if (min === undefined) return atom.need;
    if (atom.zeroWidth) throw new Unknown();
    return min === 0 ? null : atom.need;
  }

  // The least count of a quantifier after an atom (undefined: none), lazy marker included.
  private quantifier(): number | undefined {
    const ch = this.peek();
    let min: number | undefined;
    if (ch === '*' || ch === '?') min = 0;
    else if (ch === '+') min = 1;
    else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at));
      if (!m) return undefined; // a literal brace (no u flag); atom() reads it next
      this.at += m[0].length - 1;
      min = Number(m[1]);
    } else return undefined;
    this.at++;
    if (this.peek() === '?') this.at++;
    return min;
  }

  private atom(): { need: Need; zeroWidth?: boolean } {
    const ch = this.src[this.at++];
    switch (ch) {
      case undefined:
        throw new Unknown();
      case '^':
      case '$':
        return { need: null, zeroWidth: true };
      case '.':
        return { need: DOT() };
      case '(': {
        if (this.src.startsWith('?:', this.at)) this.at += 2;
        else if (this.src.startsWith('?<', this.at) && this.src[this.at + 2] !== '=' && this.src[this.at + 2] !== '!') {
          const close = this.src.indexOf('>', this.at);
          if (close === -1) throw new Unknown();
          this.at = close + 1;
        } else if (this.peek() === '?') throw new Unknown(); // lookarounds and modifiers
        const need = this.alternation();
        if (this.src[this.at++] !== ')') throw new Unknown();
        return { need };
      }
      case '[':
        return { need: this.charClass() };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
      case ')':
      case '|':
        throw new Unknown();
      default: {
        const set = empty();
        add(set, ch.charCodeAt(0));
        return { need: set };
      }
    }
  }

  // An escape outside a class: a class escape, an assertion, or one character.
  private escape(): { need: Need; zeroWidth?: boolean } {
    const ch = this.src[this.at];
    if (ch === 'b' || ch === 'B') {
      this.at++;
      return { need: null, zeroWidth: true };
    }
    const classSet = this.classEscape();
    if (classSet) return { need: classSet };
    const set = empty();
    add(set, this.charEscape());
    return { need: set };
  }

  // \d \D \w \W \s \S, or undefined.
  private classEscape(): CharSet | undefined {
    const ch = this.src[this.at];
    const sets: Record<string, () => CharSet> = {
      d: DIGITS,
      D: () => complement(DIGITS()),
      w: WORD,
      W: () => complement(WORD()),
      s: SPACE,
      S: () => complement(SPACE()),
    };
    const make = ch === undefined ? undefined : sets[ch];
    if (!make) return undefined;
    this.at++;
    return make();
  }

  // The code unit of a character escape (after the backslash).
  private charEscape(): number {
    const ch = this.src[this.at++];
    if (ch === undefined) throw new Unknown();
    const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };
    if (ch in simple) return simple[ch]!;
    if (ch === '0' && !/[0-9]/.test(this.peek() ?? '')) return 0;
    if (/[1-9]/.test(ch)) throw new Unknown(); // back-references
    if (ch === 'x' || ch === 'u') {
      const digits = ch === 'x' ? 2 : 4;
      const hex = this.src.slice(this.at, this.at + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new Unknown();
      this.at += digits;
      return parseInt(hex, 16);
    }
    if (ch === 'c' || ch === 'k' || ch === 'p' || ch === 'P' || /[a-zA-Z0-9]/.test(ch)) throw new Unknown();
    return ch.charCodeAt(0);
  }

  // [...] after its opening bracket.
  private charClass(): CharSet {
    const negated = this.peek() === '^';
    if (negated) this.at++;
    const set = empty();
    // (Without the u flag `[]` is a class of nothing and `]` right after `[` closes it.)
    while (this.peek() !== ']') {
      const from = this.classAtom();
      if (from === undefined) throw new Unknown();
      if (typeof from !== 'number') {
        const merged = union(set, from);
        set.words = merged.words;
        set.other = merged.other;
        continue;
      }
      if (this.peek() === '-' && this.src[this.at + 1] !== ']' && this.src[this.at + 1] !== undefined) {
        this.at++;
        const to = this.classAtom();
        if (typeof to !== 'number') throw new Unknown();
        addRange(set, from, to);
      } else add(set, from);
    }
    this.at++;
    return negated ? complement(set) : set;
  }

  // One member of a class: a code unit or a class escape's set.
  private classAtom(): number | CharSet | undefined {
    const ch = this.src[this.at++];
    if (ch === undefined) return undefined;
    if (ch !== '\\') return ch.charCodeAt(0);
    const classSet = this.classEscape();
    if (classSet) return classSet;
    if (this.peek() === 'b') {
      this.at++;
      return 0x08;
    }
    if (this.peek() === '-') {
      this.at++;
      return 0x2d;
    }
    return this.charEscape();
  }
}

/**
 * The characters every match of `regex` holds one of, or undefined when none can be said
 * (a pattern that can match empty text, flags that change what a character matches, or
 * syntax this reader does not know).
 */
export function requiredChars(regex: RegExp): CharSet | undefined {
  if (/[iuvsy]/.test(regex.flags)) return undefined;
  try {
    return new Reader(regex.source).read() ?? undefined;
  } catch (error) {
    if (error instanceof Unknown) return undefined;
    throw error;
  }
}

/** At most this many sets are kept by requiredCharsEach, the most telling. */
const MAX_EACH = 6;

/**
 * Sets every match of `regex` holds a character of, each of them (not only the most telling
 * one, as requiredChars gives): `\bunion\s+select\b` needs a `u`, an `n`, an `s`… A text
 * missing any of them cannot match. Undefined when nothing can be said; the same conditions
 * as requiredChars otherwise, of which this is the conjunction over the items of a
 * pattern's top-level sequence (a pattern with top-level branches gives requiredChars alone).
 */
export function requiredCharsEach(regex: RegExp): CharSet[] | undefined {
  const one = requiredChars(regex);
  if (one === undefined) return undefined;
  let each: CharSet[] | undefined;
  try {
    each = new Reader(regex.source).readEach();
  } catch (error) {
    if (!(error instanceof Unknown)) throw error;
  }
  if (each === undefined || each.length === 0) return [one];
  // Duplicates (`aa`) tell nothing more; sets reaching beyond ASCII hardly ever rule out.
  const seen = new Set<string>();
  const kept = each.filter((set) => {
    const key = `${set.words.join(',')}/${set.other}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return kept.sort((a, b) => commonness(a) - commonness(b)).slice(0, MAX_EACH);
}

/** False when some set of `needs` has no character in `present`: the pattern cannot match. */
export function mayMatchEach(needs: readonly CharSet[] | undefined, present: CharSet): boolean {
  if (needs === undefined) return true;
  for (const need of needs) if (!mayMatch(need, present)) return false;
  return true;
}

// The end of the group or class starting at `at` ('(' or '['), or -1.
function skipGroup(src: string, at: number): number {
  let depth = 0;
  for (let i = at; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      i = skipClass(src, i) - 1;
      if (i < 0) return -1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

function skipClass(src: string, at: number): number {
  let i = at + 1;
  if (src[i] === '^') i++;
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']') return i + 1;
  }
  return -1;
}

const BRACE_QUANTIFIER = /\{\d+(?:,\d*)?\}/y;

// The end of a quantifier at `at` (lazy mark included), or `at` when there is none.
function quantifierEnd(src: string, at: number): number {
  const ch = src[at];
  let end = at;
  if (ch === '*' || ch === '+' || ch === '?') end = at + 1;
  else if (ch === '{') {
    // Sticky, at `at`: no copy of the rest of the source per brace.
    BRACE_QUANTIFIER.lastIndex = at;
    const m = BRACE_QUANTIFIER.exec(src);
    if (m) end = at + m[0].length;
  }
  return end > at && src[end] === '?' ? end + 1 : end;
}

/**
 * The longest run of literal characters every match of `regex` holds, in a row: consecutive
 * plain characters of the pattern's top-level sequence, none quantified (`\bunion\s+select\b`
 * gives "select"). Undefined when the pattern has branches at the top, flags, or no such run.
 * What the pattern is matched against (lower-cased text) must hold it for a match.
 */
export function requiredLiteral(regex: RegExp): string | undefined {
  if (regex.flags.replace(/[gd]/g, '') !== '') return undefined;
  const src = regex.source;
  let best = '';
  let run = '';
  const flush = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < src.length; ) {
    const ch = src[i]!;
    if (ch === '|' || ch === ')') return undefined;
    let literal: string | undefined;
    let next: number;
    if (ch === '(' || ch === '[') {
      next = ch === '(' ? skipGroup(src, i) : skipClass(src, i);
      if (next < 0) return undefined;
    } else if (ch === '\\') {
      const escaped = src[i + 1];
      if (escaped === undefined) return undefined;
      // Letters and digits after a backslash are classes, assertions or coded characters.
      if (!/[a-zA-Z0-9]/.test(escaped)) literal = escaped;
      next = i + 2;
    } else {
      if (!'^$.*+?{}'.includes(ch)) literal = ch;
      next = i + 1;
    }
    const end = quantifierEnd(src, next);
    if (literal === undefined || end > next) flush();
    else run += literal;
    i = end;
  }
  flush();
  return best === '' ? undefined : best;
}
