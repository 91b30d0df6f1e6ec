/**
 * A forgiving decoder for path text, beyond what a standards-following URL decoder does:
 * the spellings that old or sloppy servers still turn into `.`, `/` and `\`. Overlong UTF-8
 * (`%c0%ae`, `%c0%af`, `%c1%9c`, `%e0%80%ae`), invalid ones some decoders accept anyway
 * (`%c0%2e`, `%c0%5c`: the lead byte dropped), IIS `%uXXXX`, literal `0x2e`, compatibility forms (fullwidth dot, `‥`) and
 * look-alike slashes. Repeated up to a few times so nested encodings (`%252e`, `%%32%65`)
 * come apart. Each pass is one scan: linear in the input.
 */

const MAX_PASSES = 4;

// Characters some decoders, or a best-fit code page, turn into a separator. U+EFC8 and U+F025
// are private-use points that IIS-era filters mapped; nothing legitimate puts them in a path.
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2215': '/', // division slash
  '\u2044': '/', // fraction slash
  '\u29f8': '/', // big solidus
  '\u2216': '\\', // set minus
  '\u29f5': '\\', // reverse solidus operator
  '\u29f9': '\\', // big reverse solidus
  '\uefc8': '/',
  '\uf025': '/',
};
const NON_ASCII = /[^\x00-\x7f]/;
const LOOKALIKE_RE = /[\u2215\u2044\u29f8\u2216\u29f5\u29f9\uefc8\uf025]/g;
const HEX_TOKEN_RE = /0x(?:2e|2f|5c)/gi;
const HEX_TOKEN: Readonly<Record<string, string>> = { '0x2e': '.', '0x2f': '/', '0x5c': '\\' };

/** The text with every forgiving decoding applied until it stops changing (at most four passes). */
export function decodePathLeniently(text: string): string {
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = decodeOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function decodeOnce(text: string): string {
  let out = text;
  if (out.includes('0x') || out.includes('0X')) out = out.replace(HEX_TOKEN_RE, (t) => HEX_TOKEN[t.toLowerCase()] ?? t);
  if (out.includes('%')) out = decodePercents(out);
  // Plain ASCII is its own NFKC form and holds no look-alike separators.
  if (!NON_ASCII.test(out)) return out;
  out = out.normalize('NFKC');
  return out.replace(LOOKALIKE_RE, (c) => LOOKALIKES[c] ?? c);
}

// The value of one hex digit's code unit, or -1.
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

// `length` hex digits at `at`, read from the code units (no slice, no regex: this runs per escape).
const hexValue = (text: string, at: number, length: number): number => {
  if (at + length > text.length) return -1;
  let value = 0;
  for (let k = 0; k < length; k++) {
    const digit = hexDigit(text.charCodeAt(at + k));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
};

/** `%XX` runs decoded as (forgiving) UTF-8, `%uXXXX` as one UTF-16 unit; anything else kept. */
// Code units to a string in chunks (an argument list has a length limit), unit for unit:
// lone surrogates stay as they are, as String.fromCharCode keeps them.
const utf16 = new TextDecoder('utf-16le');

function unitsToString(units: Uint16Array): string {
  // Without surrogates the decoder (fast) gives the same string; with any, it would replace a
  // lone one, so the units are copied as they are.
  let surrogates = false;
  for (let k = 0; k < units.length && !surrogates; k++) surrogates = ((units[k] as number) & 0xf800) === 0xd800;
  if (!surrogates) return utf16.decode(units);
  const parts: string[] = [];
  for (let k = 0; k < units.length; k += 8192) parts.push(String.fromCharCode(...units.subarray(k, k + 8192)));
  return parts.join('');
}

export function decodePercents(text: string): string {
  // Decoding only shrinks text: the output's code units fit in a buffer of the input's length.
  const out = new Uint16Array(text.length);
  let n = 0;
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    const decoded = decodeUtf8Leniently(bytes);
    for (let k = 0; k < decoded.length; k++) out[n++] = decoded.charCodeAt(k);
    bytes = [];
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 37) {
      const byte = hexValue(text, i + 1, 2);
      if (byte >= 0) {
        // An ASCII byte outside a multi-byte sequence is its own character: no buffer needed.
        if (byte < 0x80 && bytes.length === 0) out[n++] = byte;
        else bytes.push(byte);
        i += 3;
        continue;
      }
      if (text[i + 1] === 'u' || text[i + 1] === 'U') {
        const unit = hexValue(text, i + 2, 4);
        if (unit >= 0) {
          flush();
          out[n++] = unit;
          i += 6;
          continue;
        }
      }
    }
    flush();
    out[n++] = code;
    i++;
  }
  flush();
  return unitsToString(out.subarray(0, n));
}

const isContinuation = (b: number | undefined): b is number => b !== undefined && (b & 0xc0) === 0x80;

/**
 * UTF-8 that also accepts overlong forms (the point of them is to smuggle `.` and `/`), and
 * drops a 0xc0/0xc1 lead before a plain byte. A byte that starts nothing is taken as
 * Latin-1, as a server reading legacy file names would.
 */
export function decodeUtf8Leniently(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3];
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i += 1;
    } else if (b0 >= 0xc0 && b0 < 0xe0 && isContinuation(b1)) {
      out += String.fromCharCode(((b0 & 0x1f) << 6) | (b1 & 0x3f));
      i += 2;
    } else if (b0 < 0xc2 && b1 !== undefined && b1 < 0x80) {
      // 0xc0/0xc1 can only start an overlong form; decoders that meet one before a plain byte drop it.
      out += String.fromCharCode(b1);
      i += 2;
    } else if (b0 >= 0xe0 && b0 < 0xf0 && isContinuation(b1) && isContinuation(b2)) {
      out += fromCodePoint(((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
      i += 3;
    } else if (b0 >= 0xf0 && b0 < 0xf8 && isContinuation(b1) && isContinuation(b2) && isContinuation(b3)) {
      out += fromCodePoint(((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
      i += 4;
    } else {
      out += String.fromCharCode(b0);
      i += 1;
    }
  }
  return out;
}

function fromCodePoint(cp: number): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}
