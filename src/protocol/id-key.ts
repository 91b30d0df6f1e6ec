/**
 * The key under which an id is matched: loose, the way clients match answers to requests
 * (DESIGN.md invariant 14). The official TypeScript client looks an answer up by
 * `Number(response.id)`; the Python client turns a string id into `int(id)` when it can.
 * So `3`, `"3"`, `" 3"`, `"3.0"`, `"3e0"`, `"0x3"`, `"+3"`, `"3_0"`-style and Unicode-digit
 * spellings can all name request 3 to some client. Every id that any of these readings
 * turns into the same number gets the same key; other strings keep their own key.
 */
import type { RequestId } from './jsonrpc.js';

/**
 * The key an id is matched by: the number any client could read it as, else `s:<string>`.
 * Two ids share a key exactly when their looseIdKey texts are equal (a number key stands for
 * `n:<String(number)>`; Map and Set compare 0 and -0 as equal, as String() does), and a
 * number costs no string to be made and hashed on every look-up.
 */
export type IdKey = number | string;

/** The key of an id (see {@link IdKey}); what looseIdKey spells as `n:<number>` is that number. */
export function idKeyOf(id: RequestId): IdKey {
  if (typeof id === 'number') return id;
  const n = Number(id);
  if (Number.isFinite(n)) return n;
  const py = pythonInt(id);
  return py === undefined ? `s:${id}` : py;
}

/** The loose key of an id as text: `n:<number>` for anything a client could read as that number, else `s:<string>`. */
export function looseIdKey(id: RequestId): string {
  if (typeof id === 'number') return `n:${String(id)}`; // String(-0) is "0", as Number() compares
  const n = Number(id);
  if (Number.isFinite(n)) return `n:${String(n)}`;
  const py = pythonInt(id);
  return py === undefined ? `s:${id}` : `n:${String(py)}`;
}

// The white space int() strips from both ends (found by trying every code point below
// U+3001 with python3: str.isspace() without "\x1c"-"\x1f").
const PY_SPACE = new Set([...'\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'].map((c) => c.charCodeAt(0)));
const ND = /^\p{Nd}$/u;
// Past this many significant digits a value is beyond the largest double (about 1.8e308).
const MOST_DIGITS = 400;

/**
 * What Python's `int(s)` returns, as the nearest double; undefined where it raises: white
 * space stripped, a sign, then decimal digits of any script with single underscores between
 * them. Read by hand in one pass, at any length: white space and underscores are not digits,
 * so a long id can name a small number, and Python before 3.11 (or one that lifts its limit
 * of 4300 digits) reads any number of digits (past the largest double, Infinity).
 */
export function pythonInt(s: string): number | undefined {
  let from = 0;
  let to = s.length;
  while (from < to && PY_SPACE.has(s.charCodeAt(from))) from++;
  while (to > from && PY_SPACE.has(s.charCodeAt(to - 1))) to--;
  const sign = s.charCodeAt(from);
  const negative = sign === 0x2d;
  if (negative || sign === 0x2b) from++;
  let digits = '';
  let significant = 0;
  let afterDigit = false;
  for (let i = from; i < to; ) {
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (cp === 0x5f) {
      if (!afterDigit) return undefined;
      afterDigit = false;
      continue;
    }
    const d = digitValue(cp);
    if (d === undefined) return undefined;
    afterDigit = true;
    if (d !== 0 || significant > 0) {
      if (++significant <= MOST_DIGITS) digits += String(d);
    }
  }
  if (!afterDigit) return undefined;
  const value = significant > MOST_DIGITS ? Infinity : Number(digits);
  return negative ? -value : value;
}

// Unicode lays out every decimal digit set as ten code points in a row, 0 to 9, so a digit's
// value is its distance from the start of its run, modulo 10 (runs of several sets, such as
// the mathematical digits, are whole sets back to back). Digits' values are kept: a long id
// of them costs one look-up per digit. Undefined for a code point that is not a digit.
const digitValues = new Map<number, number>();
function digitValue(cp: number): number | undefined {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  const known = digitValues.get(cp);
  if (known !== undefined) return known;
  if (cp < 0x80 || !ND.test(String.fromCodePoint(cp))) return undefined;
  let first = cp;
  while (ND.test(String.fromCodePoint(first - 1))) first--;
  digitValues.set(cp, (cp - first) % 10);
  return (cp - first) % 10;
}
