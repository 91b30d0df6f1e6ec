/**
 * Bytes to text, the way a careless decoder reads them. Percent-escapes, `\xNN` runs and
 * base64/hex blobs all end here, so they agree on what odd byte sequences mean.
 */

/** Text decoded from bytes, and how many bytes had to be thrown away. */
export interface DecodedBytes {
  text: string;
  dropped: number;
}

// Refuses malformed and overlong input, which the lenient decoder below then reads.
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Continuation bytes are 10xxxxxx.
function isContinuation(b: number | undefined): b is number {
  return b !== undefined && (b & 0xc0) === 0x80;
}

/**
 * Lenient UTF-8: overlong forms decode to the code point they spell (`C0 AE` is `.`), as
 * old IIS and other careless decoders did, so a path check sees the dot a server might
 * have seen. A byte that starts no complete sequence is dropped rather than replaced, so
 * `..%c0%5c..` reads as `..\..`: the most dangerous reading wins.
 */
export function decodeUtf8Lenient(bytes: ArrayLike<number>): DecodedBytes {
  // Well-formed UTF-8 (the usual case) goes through the native decoder.
  if (bytes.length > 64) {
    try {
      return { text: STRICT.decode(Uint8Array.from(bytes)), dropped: 0 };
    } catch {
      // Malformed or overlong: decoded by hand below.
    }
  }
  const units: number[] = [];
  let dropped = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      units.push(b);
      i += 1;
      continue;
    }
    const need = b >= 0xc0 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf8 ? 3 : -1;
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k += 1) {
      const c = bytes[i + k];
      if (isContinuation(c)) cp = (cp << 6) | (c & 0x3f);
      else ok = false;
    }
    if (!ok || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      dropped += 1;
      i += 1;
      continue;
    }
    pushCodePoint(units, cp);
    i += need + 1;
  }
  return { text: unitsToString(units), dropped };
}

/** Appends a code point as UTF-16 code units. */
export function pushCodePoint(units: number[], cp: number): void {
  if (cp < 0x10000) {
    units.push(cp);
  } else {
    const v = cp - 0x10000;
    units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
  }
}

// fromCharCode takes arguments; chunk so a megabyte of units never overflows the stack.
const CHUNK = 8192;

/** UTF-16 code units to a string. */
export function unitsToString(units: readonly number[]): string {
  if (units.length <= CHUNK) return String.fromCharCode(...units);
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += CHUNK) parts.push(String.fromCharCode(...units.slice(i, i + CHUNK)));
  return parts.join('');
}

// Whether a code point reads as text: whitespace, printable ASCII, or a non-ASCII character
// that is neither a control, private use, a replacement character nor a soft hyphen.
function isTextual(cp: number): boolean {
  if (cp < 0x80) return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp < 0x7f);
  return cp >= 0xa0 && cp !== 0xad && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff) && !(cp >= 0xd800 && cp <= 0xdfff);
}

/** How much of a decoded blob reads as text, and how much of that is outside ASCII. */
export interface TextProfile {
  /** Share of code points (a stray byte counts as one) that read as text. */
  textual: number;
  /** Share of code points outside ASCII. */
  nonAscii: number;
}

function profile(good: number, nonAscii: number, total: number): TextProfile {
  return total === 0 ? { textual: 0, nonAscii: 0 } : { textual: good / total, nonAscii: nonAscii / total };
}

/**
 * The text profile of bytes read as UTF-8, computed without building a string, so binary
 * blobs are refused cheaply. Overlong forms and stray bytes count against. Undefined as soon
 * as the share of text is sure to end below `least` (0: never): when even every byte left,
 * read as one code point of text, would not bring it up to `least` (each byte left adds at
 * most one code point, and to the text at most that, so the share can only end at or below
 * what it would then be). Binary bytes are then refused after a few.
 */
export function utf8ProfileAtLeast(bytes: ArrayLike<number>, least: number): TextProfile | undefined {
  let good = 0;
  let nonAscii = 0;
  let total = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    let cp = need === 0 ? b : need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need >= 0;
    for (let k = 1; ok && k <= need; k += 1) {
      const c = bytes[i + k];
      if (isContinuation(c)) cp = (cp << 6) | (c & 0x3f);
      else ok = false;
    }
    const minimal = need <= 1 || (need === 2 ? cp >= 0x800 : cp >= 0x10000 && cp <= 0x10ffff);
    total += 1;
    if (b >= 0x80) nonAscii += 1;
    if (ok && minimal && isTextual(cp)) {
      good += 1;
      i += need + 1;
    } else {
      i += 1;
      const left = bytes.length - i;
      if ((good + left) / (total + left) < least) return undefined;
    }
  }
  return profile(good, nonAscii, total);
}

/** The text profile of a string's code points (for UTF-16 blobs). */
export function stringProfile(text: string): TextProfile {
  let good = 0;
  let nonAscii = 0;
  let total = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    total += 1;
    if (cp >= 0x80) nonAscii += 1;
    if (isTextual(cp)) good += 1;
  }
  return profile(good, nonAscii, total);
}

/** Hex digit value, or -1. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}
