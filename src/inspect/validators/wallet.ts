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
 * The word list and the checksum code come from @scure/bip39 and @scure/base: the list is
 * standard data and the decoding standard code that we would otherwise copy.
 */
import { createHash } from 'node:crypto';
import { createBase58check } from '@scure/base';
import { mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

const PHRASE_LENGTHS: readonly number[] = [12, 15, 18, 21, 24];
// List words that may stand beside a phrase in one run: `use seed`, `wallet seed`.
const SLACK = 3;
// Built on the first use: most calls never reach a run of twelve plausible words.
let listWords: ReadonlySet<string> | undefined;

function isListWord(word: string): boolean {
  listWords ??= new Set(wordlist);
  return listWords.has(word);
}

/** The entropy `words` spell when they are a BIP-39 English phrase whose checksum holds, else undefined. */
export function phraseEntropy(words: readonly string[]): Uint8Array | undefined {
  try {
    return mnemonicToEntropy(words.join(' '), wordlist);
  } catch {
    return undefined;
  }
}

// The phrases of the BIP's own test vectors (entropy of one byte repeated: abandon … about,
// zoo … wrong, legal winner …, letter advice …) are documentation, like AWS's …EXAMPLE key:
// no wallet holding anything uses them. A real phrase's entropy is random.
function isDocumentationEntropy(entropy: Uint8Array): boolean {
  return entropy.every((b) => b === entropy[0]);
}

interface Word {
  text: string;
  start: number;
  end: number;
}

// The phrase in a run of list words, as [first, last) word numbers: the whole run when its
// length is a phrase's, else a phrase with at most SLACK list words beside it; or undefined.
function phraseInRun(run: readonly Word[]): [number, number] | undefined {
  const lengths = PHRASE_LENGTHS.includes(run.length) ? [run.length] : PHRASE_LENGTHS.filter((n) => n < run.length && run.length - n <= SLACK);
  for (const length of lengths) {
    for (let start = 0; start + length <= run.length; start++) {
      const entropy = phraseEntropy(run.slice(start, start + length).map((w) => w.text));
      if (entropy !== undefined && !isDocumentationEntropy(entropy)) return [start, start + length];
    }
  }
  return undefined;
}

const WORD = /\S+/g;

/**
 * For a run of twelve or more short words: [start, end) in `match` of the first BIP-39 seed
 * phrase whose checksum holds, or undefined. At most 4 lengths × 4 places are tried per run
 * of list words, once the run ends: linear in the match.
 */
export function seedPhraseSpan(match: string): [number, number] | undefined {
  let run: Word[] = [];
  const lower = match.toLowerCase();
  const ended = (): [number, number] | undefined => {
    const found = phraseInRun(run);
    return found && [run[found[0]]!.start, run[found[1] - 1]!.end];
  };
  for (const m of lower.matchAll(WORD)) {
    const word = { text: m[0], start: m.index, end: m.index + m[0].length };
    if (isListWord(word.text)) {
      run.push(word);
      continue;
    }
    const found = ended();
    if (found) return found;
    run = [];
  }
  return ended();
}

/** True when a run of short words holds a BIP-39 seed phrase whose checksum holds. */
export function hasSeedPhrase(match: string): boolean {
  return seedPhraseSpan(match) !== undefined;
}

const base58check = createBase58check((data: Uint8Array) => createHash('sha256').update(data).digest());
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
  let payload: Uint8Array;
  try {
    payload = base58check.decode(text);
  } catch {
    return undefined;
  }
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
