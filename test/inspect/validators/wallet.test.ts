import { createHash } from 'node:crypto';
import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { base58checkDecode, hasSeedPhrase, isWifKey, phraseEntropy, wifKeyBytes } from '../../../src/inspect/validators/wallet.js';

// Deterministic "random" bytes: the sha256 of a label, as long as asked (up to 32).
const bytes = (label: string, n: number): Uint8Array => new Uint8Array(createHash('sha256').update(label).digest().subarray(0, n));
// A phrase the library makes from such entropy: 16 bytes → 12 words … 32 bytes → 24 words.
const phrase = (label: string, entropyBytes: number): string => entropyToMnemonic(bytes(label, entropyBytes), wordlist);

// The same words with the last one replaced by the first list word that breaks the checksum
// (checked with the library, independently of the code under test).
function brokenChecksum(words: string): string {
  const head = words.split(' ').slice(0, -1);
  for (const w of wordlist) {
    const candidate = [...head, w].join(' ');
    if (!validateMnemonic(candidate, wordlist)) return candidate;
  }
  throw new Error('no word breaks the checksum');
}

const PHRASES = [16, 20, 24, 28, 32].map((n) => [n / 4 * 3, phrase(`wallet test ${n}`, n)] as const);

describe('phraseEntropy', () => {
  it.each(PHRASES)('decodes a %i-word phrase to the entropy the library made it from', (n, words) => {
    expect(phraseEntropy(words.split(' '))).toEqual(mnemonicToEntropy(words, wordlist));
    expect(phraseEntropy(brokenChecksum(words).split(' '))).toBeUndefined();
    expect(n).toBe(words.split(' ').length);
  });

  it('rejects a length that is not a phrase, and a word not on the list', () => {
    const words = PHRASES[0]![1].split(' ');
    expect(phraseEntropy(words.slice(0, 11))).toBeUndefined();
    expect(phraseEntropy([...words.slice(0, 11), 'bitcoin'])).toBeUndefined();
  });
});

describe('hasSeedPhrase', () => {
  it.each(PHRASES)('accepts a %i-word phrase whose checksum holds', (_n, words) => {
    expect(hasSeedPhrase(words)).toBe(true);
  });

  it.each(PHRASES)('rejects the %i words with a last word that breaks the checksum', (_n, words) => {
    expect(hasSeedPhrase(brokenChecksum(words))).toBe(false);
  });

  it('accepts a phrase one word a line, in capitals, and among other words', () => {
    const words = PHRASES[0]![1];
    expect(hasSeedPhrase(words.replace(/ /g, '\n'))).toBe(true);
    expect(hasSeedPhrase(words.replace(/ /g, '\r\n'))).toBe(true);
    expect(hasSeedPhrase(words.toUpperCase())).toBe(true);
    expect(hasSeedPhrase(`restore from ${words} tomorrow`)).toBe(true);
    // List words beside the phrase in the same run (use, seed): up to three, when the run's
    // length is not itself a phrase's (a run of 15 is read as 15 words only).
    expect(hasSeedPhrase(`use seed ${words}`)).toBe(true);
    expect(hasSeedPhrase(`${words} ability able`)).toBe(true);
    expect(hasSeedPhrase(`use ${words} ability`)).toBe(true);
    expect(hasSeedPhrase(`use ${words} ability able`)).toBe(false);
  });

  it('reads a run of list words of a phrase length whole, not as its shorter windows', () => {
    // A valid 12-word phrase followed by 12 more list words, chosen so the 24 fail together:
    // the run is read as 24 words, as it would be if it were a mistyped 24-word phrase.
    const twelve = PHRASES[0]![1];
    let tail = phrase('tail', 16).split(' ');
    for (let i = 0; i < 12 && validateMnemonic(`${twelve} ${tail.join(' ')}`, wordlist); i++) tail = [...tail.slice(1), tail[0]!];
    expect(validateMnemonic(`${twelve} ${tail.join(' ')}`, wordlist)).toBe(false);
    expect(hasSeedPhrase(`${twelve} ${tail.join(' ')}`)).toBe(false);
    // The same phrase with a non-list word between the two halves is found.
    expect(hasSeedPhrase(`${twelve} and ${tail.join(' ')}`)).toBe(true);
  });

  it('does not read a long run of list words (a list, where windows pass by chance)', () => {
    const run = `${wordlist.slice(0, 8).join(' ')} ${PHRASES[0]![1]} ${wordlist.slice(8, 16).join(' ')}`;
    expect(hasSeedPhrase(run)).toBe(false);
    expect(hasSeedPhrase(wordlist.slice(0, 200).join('\n'))).toBe(false);
  });

  it.each([
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  ])('lets the BIP test vector through as documentation: %s', (words) => {
    expect(validateMnemonic(words, wordlist)).toBe(true);
    expect(hasSeedPhrase(words)).toBe(false);
  });

  it.each([
    'please review these changes before friday since several tests still fail under heavy load',
    'they walked along the river until night came and every light in town went dark',
    'abandons abilities ables abouts aboves absents absorbs abstracts absurds abuses accesses accidents',
  ])('rejects prose and near-list words: %s', (text) => {
    expect(hasSeedPhrase(text)).toBe(false);
  });

  it('agrees with the library on exact 12-word runs of list words', () => {
    // About 1 in 16 random 12-word runs passes the 4-bit checksum: both must say the same.
    let passed = 0;
    for (let i = 0; i < 400; i++) {
      const h = bytes(`run ${i}`, 24);
      const words = Array.from({ length: 12 }, (_, j) => wordlist[((h[2 * j]! << 8) | h[2 * j + 1]!) % 2048]!).join(' ');
      // (Less the documentation vectors, entropy of one repeated byte: none among these.)
      const expected = validateMnemonic(words, wordlist) && new Set(mnemonicToEntropy(words, wordlist)).size > 1;
      expect(hasSeedPhrase(words)).toBe(expected);
      if (expected) passed++;
    }
    expect(passed).toBeGreaterThan(5);
    expect(passed).toBeLessThan(60);
  });
});

const b58 = createBase58check((data: Uint8Array) => createHash('sha256').update(data).digest());
const wif = (version: number, key: Uint8Array, compressed: boolean): string =>
  b58.encode(new Uint8Array([version, ...key, ...(compressed ? [0x01] : [])]));
const KEY = bytes('wif key', 32);

describe('base58checkDecode', () => {
  it('decodes what the library encodes, leading zero bytes included', () => {
    for (let i = 0; i < 200; i++) {
      const data = bytes(`b58 ${i}`, 1 + (i % 32));
      if (i % 7 === 0) data[0] = 0;
      expect(base58checkDecode(b58.encode(data))).toEqual(data);
    }
  });

  it('rejects a character outside base58 and a broken checksum', () => {
    const text = b58.encode(KEY);
    expect(base58checkDecode(`${text.slice(0, 10)}0${text.slice(11)}`)).toBeUndefined();
    expect(base58checkDecode(`${text.slice(0, 10)}${text[10] === 'x' ? 'y' : 'x'}${text.slice(11)}`)).toBeUndefined();
    expect(base58checkDecode('')).toBeUndefined();
  });
});

describe('isWifKey', () => {
  it.each([
    ['mainnet uncompressed (5…)', wif(0x80, KEY, false), '5'],
    ['mainnet compressed (K…/L…)', wif(0x80, KEY, true), 'KL'],
    ['testnet uncompressed (9…)', wif(0xef, KEY, false), '9'],
    ['testnet compressed (c…)', wif(0xef, KEY, true), 'c'],
  ])('accepts a %s key whose checksum holds', (_name, key, firsts) => {
    expect(firsts).toContain(key[0]);
    expect(isWifKey(key)).toBe(true);
    expect(wifKeyBytes(key)).toEqual(KEY);
  });

  it('rejects the key with any one character changed', () => {
    const key = wif(0x80, KEY, true);
    for (let i = 1; i < key.length; i++) {
      const changed = key.slice(0, i) + (key[i] === 'x' ? 'y' : 'x') + key.slice(i + 1);
      expect(isWifKey(changed)).toBe(false);
    }
  });

  it.each([
    ['an address (version 0, 20 bytes)', b58.encode(new Uint8Array([0x00, ...bytes('address', 20)]))],
    ['another version byte with 32 bytes', b58.encode(new Uint8Array([0x00, ...KEY]))],
    ['a compressed key whose flag is not 0x01', b58.encode(new Uint8Array([0x80, ...KEY, 0x02]))],
    ['the key 1, as documentation shows it', wif(0x80, new Uint8Array([...new Uint8Array(31), 1]), false)],
    ['a key of one repeated byte', wif(0x80, new Uint8Array(32).fill(0xaa), true)],
    ['the key lower-cased', wif(0x80, KEY, true).toLowerCase()],
    ['the key cut short', wif(0x80, KEY, true).slice(0, 51)],
  ])('rejects %s', (_name, text) => {
    expect(isWifKey(text)).toBe(false);
  });
});
