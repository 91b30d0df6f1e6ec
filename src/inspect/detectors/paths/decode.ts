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
  out = out.normalize('NFKC');
  return out.replace(LOOKALIKE_RE, (c) => LOOKALIKES[c] ?? c);
}

const hexValue = (text: string, at: number, length: number): number => {
  const digits = text.slice(at, at + length);
  return digits.length === length && /^[0-9a-f]+$/i.test(digits) ? parseInt(digits, 16) : -1;
};

/** `%XX` runs decoded as (forgiving) UTF-8, `%uXXXX` as one UTF-16 unit; anything else kept. */
export function decodePercents(text: string): string {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += decodeUtf8Leniently(bytes);
    bytes = [];
  };
  let i = 0;
  while (i < text.length) {
    if (text[i] === '%') {
      const byte = hexValue(text, i + 1, 2);
      if (byte >= 0) {
        bytes.push(byte);
        i += 3;
        continue;
      }
      if (text[i + 1] === 'u' || text[i + 1] === 'U') {
        const unit = hexValue(text, i + 2, 4);
        if (unit >= 0) {
          flush();
          out += String.fromCharCode(unit);
          i += 6;
          continue;
        }
      }
    }
    flush();
    out += text[i];
    i++;
  }
  flush();
  return out;
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
