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
const PY_SPACE = /^[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;
// int(): a sign, then decimal digits of any script, single underscores between digits.
const PY_INT = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u;
const ND = /^\p{Nd}$/u;

/** What Python's `int(s)` returns, as the nearest double; undefined where it raises. */
export function pythonInt(s: string): number | undefined {
  if (s.length > 4096) return undefined; // int() of longer digit strings raises by default (4300 digits)
  const m = PY_INT.exec(s.replace(PY_SPACE, ''));
  if (m === null) return undefined;
  let digits = '';
  for (const ch of m[2]!) {
    if (ch !== '_') digits += String(digitValue(ch));
  }
  const value = Number(digits);
  return m[1] === '-' ? -value : value;
}

// Unicode lays out every decimal digit set as ten code points in a row, 0 to 9, so a digit's
// value is its distance from the start of its run, modulo 10 (runs of several sets, such as
// the mathematical digits, are whole sets back to back).
function digitValue(ch: string): number {
  let cp = ch.codePointAt(0)!;
  if (cp <= 0x39) return cp - 0x30;
  const start = cp;
  while (ND.test(String.fromCodePoint(cp - 1))) cp--;
  return (start - cp) % 10;
}
