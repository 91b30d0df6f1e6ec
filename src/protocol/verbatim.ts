/**
 * Whether a client frame can go to the server as it came rather than re-serialised (DESIGN.md
 * invariant 8: "a check that the original bytes parse unambiguously, so they can be sent as
 * they came"). Asked only of text the strict parser accepted (no repeated key, nesting within
 * the limit). On top of that, every JSON reader must take from these bytes exactly the value
 * that was inspected, however it treats escapes, encodings and numbers: so the text is
 * printable ASCII with no backslash at all (no escape to read two ways, no byte order mark,
 * no line separator), and every number is a plain integer of at most 15 digits (exact as a
 * double and as an integer type; no `-0`, fraction or exponent a reader might keep as a float).
 * Anything else is re-serialised as before.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MAX_DIGITS = 15;

/** True when `text`, which the strict parser accepted, reads the same to every JSON reader as to it. Linear. */
export function sendableAsWritten(text: string): boolean {
  let inString = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === BACKSLASH) return false;
    if (code === QUOTE) {
      inString = !inString;
      continue;
    }
    if (inString) continue;
    if (code !== MINUS && (code < DIGIT_0 || code > DIGIT_9)) continue;
    // A number: an optional minus, then digits only, up to whatever ends it.
    let at = code === MINUS ? i + 1 : i;
    if (text.charCodeAt(at) === DIGIT_0 && code === MINUS) return false;
    const first = at;
    while (at < length) {
      const digit = text.charCodeAt(at);
      if (digit < DIGIT_0 || digit > DIGIT_9) break;
      at++;
    }
    if (at === first || at - first > MAX_DIGITS) return false;
    const next = text.charCodeAt(at);
    // A fraction or an exponent.
    if (next === 0x2e || next === 0x65 || next === 0x45) return false;
    i = at - 1;
  }
  return !inString;
}
