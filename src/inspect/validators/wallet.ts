/**
 * Wallet secrets (issue 12): a BIP-39 seed phrase and a WIF private key. Whoever reads
 * either can take the wallet's funds, and neither can be rotated. Both carry a checksum,
 * and only a string whose checksum holds counts:
 * - a seed phrase is 12, 15, 18, 21 or 24 words of the BIP-39 English list whose last bits
 *   are the first bits of the sha256 of the entropy the words spell. The checksum is short
 *   (4 bits for 12 words, 8 for 24), so about 1 in 16 runs of 12 list words passes by
 *   chance, and reading every window of a long run would pass almost always (a 24-word run
 *   has 30 windows of 12 to 21 words). So a run of list words whose length is a phrase's is
 *   read whole, and any other run only as a phrase with up to 3 list words beside it
 *   (`use seed …`); a longer run is a list (the word list itself, a word game), not read;
 * - a WIF key is base58check (double sha256, 4 bytes) over version 0x80 (mainnet) or 0xef
 *   (testnet), 32 key bytes and, for a compressed key, a final 0x01.
 * The word list is @scure/bip39's (standard data we would otherwise copy; only the list is
 * imported). The library's own mnemonicToEntropy re-checks the whole list on every call
 * (~300 µs), and @scure/base's base58 is a generic radix conversion (~60 µs): too slow for
 * a check that any run of twelve short words reaches, so the two decodings are written here
 * with node:crypto's sha256, and the tests hold them to the libraries' answers.
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { nodeCrypto } from '../../util/node-crypto.js';

const PHRASE_LENGTHS: readonly number[] = [12, 15, 18, 21, 24];
// List words that may stand beside a phrase in one run: `use seed`, `wallet seed`.
const SLACK = 3;
// Built on the first use: most calls never reach a run of twelve plausible words.
let listIndex: ReadonlyMap<string, number> | undefined;

function indexOf(word: string): number | undefined {
  listIndex ??= new Map(wordlist.map((w, i) => [w, i]));
  return listIndex.get(word);
}

function isListWord(word: string): boolean {
  return indexOf(word) !== undefined;
}

// node:crypto when a candidate first needs a checksum, not when the inspection's code is loaded
// (before the first answer of every start: util/node-crypto.ts).
const sha256 = (data: Uint8Array): Buffer => nodeCrypto().hash('sha256', data, 'buffer');

/**
 * The entropy `words` spell when they are a BIP-39 English phrase whose checksum holds, else
 * undefined: each word is 11 bits; of n words, n/3 bits at the end are the first bits of the
 * sha256 of the rest (4/3 n bytes of entropy).
 */
export function phraseEntropy(words: readonly string[]): Uint8Array | undefined {
  if (!PHRASE_LENGTHS.includes(words.length)) return undefined;
  const checksumBits = words.length / 3;
  const bytes = new Uint8Array((words.length * 11 + 7) >> 3);
  let carry = 0;
  let bits = 0;
  let at = 0;
  for (const word of words) {
    const index = indexOf(word);
    if (index === undefined) return undefined;
    carry = (carry << 11) | index;
    bits += 11;
    while (bits >= 8) {
      bits -= 8;
      bytes[at++] = (carry >>> bits) & 0xff;
    }
    carry &= (1 << bits) - 1;
  }
  if (bits > 0) bytes[at] = (carry << (8 - bits)) & 0xff;
  const entropy = bytes.subarray(0, (words.length / 3) * 4);
  const checksum = bytes[entropy.length]! >>> (8 - checksumBits);
  return sha256(entropy)[0]! >>> (8 - checksumBits) === checksum ? entropy.slice() : undefined;
}

// The phrases of the BIP's own test vectors (entropy of one byte repeated: abandon … about,
// zoo … wrong, legal winner …, letter advice …) are documentation, like AWS's …EXAMPLE key:
// no wallet holding anything uses them. A real phrase's entropy is random.
function isDocumentationEntropy(entropy: Uint8Array): boolean {
  return entropy.every((b) => b === entropy[0]);
}

// The phrase in a run of list words (their text), as [first, last) word numbers: the whole
// run when its length is a phrase's, else a phrase with at most SLACK list words beside it.
function phraseInRun(run: readonly string[]): [number, number] | undefined {
  if (run.length < 12) return undefined;
  const lengths = PHRASE_LENGTHS.includes(run.length) ? [run.length] : PHRASE_LENGTHS.filter((n) => n < run.length && run.length - n <= SLACK);
  for (const length of lengths) {
    for (let start = 0; start + length <= run.length; start++) {
      const entropy = phraseEntropy(run.slice(start, start + length));
      if (entropy !== undefined && !isDocumentationEntropy(entropy)) return [start, start + length];
    }
  }
  return undefined;
}

// Space, tab, line feed, carriage return: what the rule's pattern puts between words.
const isSpace = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;

/**
 * For a run of twelve or more short words: [start, end) in `match` of the first BIP-39 seed
 * phrase whose checksum holds, or undefined. At most 4 lengths × 4 places are tried per run
 * of list words, once the run ends: linear in the match.
 */
export function seedPhraseSpan(match: string): [number, number] | undefined {
  const lower = match.toLowerCase();
  const run: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  while (at <= lower.length) {
    while (at < lower.length && isSpace(lower.charCodeAt(at))) at++;
    let end = at;
    while (end < lower.length && !isSpace(lower.charCodeAt(end))) end++;
    const word = end > at ? lower.slice(at, end) : undefined;
    if (word !== undefined && isListWord(word)) {
      run.push(word);
      starts.push(at);
      ends.push(end);
    } else {
      const found = phraseInRun(run);
      if (found) return [starts[found[0]]!, ends[found[1] - 1]!];
      run.length = starts.length = ends.length = 0;
      if (word === undefined) break;
    }
    at = end;
  }
  return undefined;
}

/** True when a run of short words holds a BIP-39 seed phrase whose checksum holds. */
export function hasSeedPhrase(match: string): boolean {
  return seedPhraseSpan(match) !== undefined;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58.length; i++) BASE58_VALUE[BASE58.charCodeAt(i)] = i;

// Five base58 digits at a time: 58^5 times a byte stays far below 2^53.
const CHUNK = 5;

/** The bytes of a base58check string (version, payload) when its double-sha256 checksum holds, else undefined. */
export function base58checkDecode(text: string): Uint8Array | undefined {
  // Big-endian base-256 digits, grown as the number does: 52 characters make at most 39 bytes.
  const out = new Float64Array(Math.ceil(text.length * 0.733) + 1);
  let used = 0;
  for (let c = 0; c < text.length; c += CHUNK) {
    let chunk = 0;
    let scale = 1;
    for (let d = c; d < Math.min(text.length, c + CHUNK); d++) {
      const code = text.charCodeAt(d);
      const value = code < 128 ? BASE58_VALUE[code]! : -1;
      if (value < 0) return undefined;
      chunk = chunk * 58 + value;
      scale *= 58;
    }
    let carry = chunk;
    for (let k = out.length - 1; k >= out.length - used; k--) {
      const v = out[k]! * scale + carry;
      out[k] = v % 256;
      carry = Math.floor(v / 256);
    }
    while (carry > 0) {
      out[out.length - 1 - used++] = carry % 256;
      carry = Math.floor(carry / 256);
    }
  }
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49) zeros++; // '1': a zero byte
  const bytes = new Uint8Array(zeros + used);
  bytes.set(out.subarray(out.length - used), zeros);
  if (bytes.length < 5) return undefined;
  const body = bytes.subarray(0, bytes.length - 4);
  const check = sha256(sha256(body));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[body.length + i]) return undefined;
  return body;
}

const MAINNET = 0x80;
const TESTNET = 0xef;
const KEY_BYTES = 32;
// A random 32-byte key has about 30 distinct byte values; one with fewer than this is a
// made-up or puzzle key from documentation (the key 1, a key of one repeated byte).
const MIN_DISTINCT_BYTES = 8;

/** The 32 key bytes of a WIF private key whose base58check checksum holds, else undefined. */
export function wifKeyBytes(text: string): Uint8Array | undefined {
  const first = text[0];
  // Mainnet: 5… (51 characters, uncompressed), K…/L… (52, compressed); testnet: 9…, c….
  const uncompressed = text.length === 51 && (first === '5' || first === '9');
  const compressed = text.length === 52 && (first === 'K' || first === 'L' || first === 'c');
  if (!uncompressed && !compressed) return undefined;
  const payload = base58checkDecode(text);
  if (payload === undefined) return undefined;
  if (payload[0] !== MAINNET && payload[0] !== TESTNET) return undefined;
  if (uncompressed && payload.length !== 1 + KEY_BYTES) return undefined;
  if (compressed && (payload.length !== 2 + KEY_BYTES || payload[1 + KEY_BYTES] !== 0x01)) return undefined;
  return payload.subarray(1, 1 + KEY_BYTES);
}

/** True when `match` is a WIF private key whose checksum holds and whose key is not a documentation stand-in. */
export function isWifKey(match: string): boolean {
  const key = wifKeyBytes(match);
  return key !== undefined && new Set(key).size >= MIN_DISTINCT_BYTES;
}
