/**
 * A number is the same value in every spelling: `2130706433`, `2130706433.0`, `2130706433e0`
 * and `2.130706433e9` are one host to a server that reads JSON into a JavaScript Number or
 * a Python float or int. Detectors read text, so a number is handed to them as the text it
 * was sent in plus the texts a server turns that value back into.
 */

/** The text of a number as sent and as JSON parsers, JavaScript and Python spell its value. */
export interface NumberSpellings {
  raw: string;
  /** Other spellings of the same value, each different from `raw` and from each other. */
  others: string[];
}

// What JavaScript's Number() and Python's float() both read as a decimal number (no hex, no
// underscores: a server that reads those reads a string it was given, handled as text).
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?$/i;

// Exponents beyond this make values no address or port can hold; their digits are not spelled out.
const MAX_INTEGER_DIGITS = 40;

/**
 * The spellings of the value `text` denotes: JavaScript's `String(Number(text))` and, when
 * the value is a whole number, its plain decimal digits (what `int(float(x))` and BigInt give).
 */
export function spellingsOfNumber(text: string): NumberSpellings {
  const value = Number(text);
  const others: string[] = [];
  const add = (spelling: string): void => {
    if (spelling !== text && !others.includes(spelling)) others.push(spelling);
  };
  if (!Number.isFinite(value)) return { raw: text, others };
  add(String(value));
  if (Number.isInteger(value) && Math.abs(value) < 10 ** MAX_INTEGER_DIGITS) add(BigInt(value).toString());
  return { raw: text, others };
}

// Each of DECIMAL, PY_UNDERSCORES and JS_RADIX matches only from a sign, a digit or a point:
// most strings start otherwise and are not run through the three.
/** False when spellingsOfNumericString(text) has nothing to give, read from its length and first character alone. */
export function mayBeNumeric(text: string): boolean {
  return text.length > 0 && text.length <= 80 && mayStartNumber(text.charCodeAt(0));
}

function mayStartNumber(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

// Python's int() and float() also read `_` between digits; JavaScript's Number() reads 0b and 0o.
const PY_UNDERSCORES = /^[+-]?[0-9]+(?:_[0-9]+)+(?:\.[0-9]+(?:_[0-9]+)*)?$/;
const JS_RADIX = /^0(?:b[01]{1,64}|o[0-7]{1,30})$/i;

// No other spellings (shared: read only).
const NO_SPELLINGS: readonly string[] = [];

/**
 * The other spellings of a string that is a number to JavaScript or Python (`"2.130706433e9"`,
 * `"2_130_706_433"`, `"0b1111111000000000000000000000001"`); none otherwise.
 */
export function spellingsOfNumericString(text: string): readonly string[] {
  if (!mayBeNumeric(text)) return NO_SPELLINGS;
  const others = new Set<string>();
  const add = (spellings: readonly string[]): void => {
    for (const spelling of spellings) if (spelling !== text) others.add(spelling);
  };
  if (DECIMAL.test(text)) add(spellingsOfNumber(text).others);
  else if (PY_UNDERSCORES.test(text)) {
    const plain = text.replaceAll('_', '');
    add([plain, ...spellingsOfNumber(plain).others]);
  } else if (JS_RADIX.test(text)) add([String(Number(text))]);
  return [...others];
}
