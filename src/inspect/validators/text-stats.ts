/**
 * Measures of how random a string looks, shared by the validators: Shannon entropy, the
 * classes of characters it mixes, and the marks of a placeholder. All linear in the input.
 */

/** Counts of the character classes in a string, its distinct characters, and its entropy. */
export interface CharStats {
  length: number;
  lower: number;
  upper: number;
  digit: number;
  other: number;
  /** Shannon entropy in bits per character. */
  entropy: number;
}

/** Character counts and Shannon entropy of `s`, in one pass. */
export function charStats(s: string): CharStats {
  const counts = new Map<string, number>();
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (const c of s) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
    if (c >= 'a' && c <= 'z') lower++;
    else if (c >= 'A' && c <= 'Z') upper++;
    else if (c >= '0' && c <= '9') digit++;
    else other++;
  }
  const length = lower + upper + digit + other;
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / length;
    entropy -= p * Math.log2(p);
  }
  return { length, lower, upper, digit, other, entropy };
}

/** How many of lower case, upper case, digits and other characters `s` uses. */
export function classCount(stats: CharStats): number {
  return [stats.lower, stats.upper, stats.digit, stats.other].filter((n) => n > 0).length;
}

/**
 * The least entropy a random token of this length shows: calibrated on random hex (the
 * poorest alphabet tokens use), so that about 1 in 200 random hex strings of 16 characters
 * and almost none of 24 or more fall below it.
 */
export function entropyFloor(length: number): number {
  return Math.min(3, 0.65 * Math.log2(Math.max(length, 2)));
}

// Words and marks that documentation and templates put where a secret goes.
const PLACEHOLDER_PARTS = [
  'xxxx', '****', '....', '<', '>', '${', '{{', '%s', '$(',
  'your', 'example', 'sample', 'placeholder', 'dummy', 'fake', 'redacted', 'changeme', 'replace', 'insert',
  'secret_here', 'token_here', 'key_here', 'notreal', 'not_real', 'not-real',
];

// A character repeated this many times in a row does not happen in a random token.
const MAX_RUN = 5;

// Ascending runs like "abcdef" or "123456" mark a typed-in filler.
const MAX_ASCENDING = 6;

// People type placeholders in one case ("your_key", "YOUR_KEY", "YourKey"); matching only
// those spellings keeps random mixed-case tokens that happen to contain "fYOUr" from tripping.
function spellingsOf(part: string): string[] {
  return [part, part.toUpperCase(), part.charAt(0).toUpperCase() + part.slice(1)];
}

const PLACEHOLDER_SPELLINGS = PLACEHOLDER_PARTS.flatMap(spellingsOf);

/** True when `s` is filler: a documentation placeholder, a template, a long run or sequence. */
export function isPlaceholder(s: string): boolean {
  if (PLACEHOLDER_SPELLINGS.some((part) => s.includes(part))) return true;
  const lower = s.toLowerCase();
  let run = 1;
  let ascending = 1;
  for (let i = 1; i < lower.length; i++) {
    const here = lower.charCodeAt(i);
    const before = lower.charCodeAt(i - 1);
    run = here === before ? run + 1 : 1;
    ascending = here === before + 1 && isAlnumCode(here) ? ascending + 1 : 1;
    if (run >= MAX_RUN || ascending >= MAX_ASCENDING) return true;
  }
  return false;
}

function isAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122);
}

/**
 * True when a token body looks machine-made: long enough, not filler, and with the entropy
 * of a random string. Loose on purpose: it backs rules whose prefix is already specific.
 */
export function looksRandom(s: string, minLength = 8): boolean {
  if (s.length < minLength || isPlaceholder(s)) return false;
  return charStats(s).entropy >= entropyFloor(s.length);
}

/**
 * Stricter than `looksRandom`, for values found only by the name they sit under: it must
 * also mix letters and digits and be at least 15 % letters, so that words, identifiers,
 * dates and numbers do not pass. (A random base62 value of 20 characters lacks a digit 3 %
 * of the time, of 32 characters 0.4 %: the price of not flagging camelCase names.)
 */
export function looksLikeSecretValue(s: string, minLength = 12): boolean {
  if (!looksRandom(s, minLength)) return false;
  const stats = charStats(s);
  const letters = stats.lower + stats.upper;
  if (letters < stats.length * 0.15) return false;
  // Identifiers and words rarely carry digits; random tokens of 12+ characters almost always do.
  return stats.digit > 0 && letters > 0;
}

// Names in code: words joined by _ . or -, in one case (proxy_pass, TEST_ENCRYPTION_KEY1).
const SEPARATED_WORDS = /^[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)+$/;

/**
 * True when `s` reads as a name from code rather than a value: words joined by separators,
 * all in lower or all in upper case, few digits. Random base64url tokens mix cases, and hex
 * or base32 runs are digit-heavy.
 */
export function isIdentifier(s: string): boolean {
  if (!SEPARATED_WORDS.test(s)) return false;
  const stats = charStats(s);
  // Names carry a digit or two (KEY1, v2); hex and random runs are digit-heavy.
  return (stats.lower === 0 || stats.upper === 0) && stats.digit <= stats.length * 0.2;
}

// Words run together the way code names things (StateBeginUnderwater, parseHttpRequestBody):
// every capital starts a run of two or more lower-case letters, and no digit or symbol.
const CAMEL_WORDS = /^[a-z]{0,16}(?:[A-Z][a-z]{2,24}){3,}$/;

/**
 * True when `s` is a camelCase or PascalCase name of three or more words. A random base62 or
 * base64 body of 20+ characters almost never alternates one capital and 2+ lower-case letters
 * all the way with no digit (well under 1 in a million), so prefixed-token rules can skip it.
 */
export function isCamelCaseName(s: string): boolean {
  return s.length <= 200 && CAMEL_WORDS.test(s);
}

/** The body of a prefixed token: what follows the last separator among its first 16 characters. */
export function tokenBody(token: string): string {
  const head = token.slice(0, Math.min(16, Math.max(0, token.length - 8)));
  let cut = -1;
  for (let i = 0; i < head.length; i++) if ('_-.=:'.includes(head[i] ?? '')) cut = i;
  return token.slice(cut + 1);
}
