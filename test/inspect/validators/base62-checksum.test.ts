import { describe, expect, it } from 'vitest';
import { base62Checksum, hasValidBase62Checksum, isUnverifiedBase62Token, toBase62 } from '../../../src/inspect/validators/base62-checksum.js';

// Fake tokens: 30 random base62 characters plus their checksum, cross-checked with Python's zlib.crc32.
const VALID = ['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', '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', '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'];
const RANDOM_BAD_CHECKSUM = ['ghp_svfZTfJxfVBjxvRfsy90aT47SJBZfaVAGp7l', 'npm_pOJuOglIwU0V6Ea5XGLP4V8RHO6bZ9gt24Yc'];

describe('toBase62', () => {
  it.each([
    [0, '000000'],
    [61, '00000z'],
    [62, '000010'],
    [2 ** 32 - 1, '4gfFC3'],
  ])('%i → %s', (n, expected) => {
    expect(toBase62(n, 6)).toBe(expected);
  });
});

describe('hasValidBase62Checksum', () => {
  it.each(VALID)('accepts %s', (token) => {
    expect(hasValidBase62Checksum(token)).toBe(true);
    expect(base62Checksum(token.slice(4, 34))).toBe(token.slice(34));
  });

  it.each([
    ['a random token', 'ghp_svfZTfJxfVBjxvRfsy90aT47SJBZfaVAGp7l'],
    ['one character changed', 'ghp_ptQEcNVj0eujdvOPzZAaEAgH735RPr0huhGQ'],
    ['one character of the random part changed', 'ghp_qtQEcNVj0eujdvOPzZAaEAgH735RPr0huhGP'],
    ['too short', 'ghp_ptQEcNVj0eujdvOPzZAaEAgH735RPr0huhG'],
    ['too long', '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x'],
    ['upper-case prefix', 'GHP_ptQEcNVj0eujdvOPzZAaEAgH735RPr0huhGP'],
    ['a character outside base62', 'ghp_ptQEcNVj0eujdvOPzZAaEAgH735RPr0huh-P'],
  ])('rejects %s', (_name, token) => {
    expect(hasValidBase62Checksum(token)).toBe(false);
  });
});

describe('isUnverifiedBase62Token', () => {
  it.each(RANDOM_BAD_CHECKSUM)('flags a random token whose checksum fails: %s', (token) => {
    expect(isUnverifiedBase62Token(token)).toBe(true);
  });

  it.each([
    ['a token whose checksum holds (the verified rule reports it)', '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'],
    ['filler', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['one letter repeated', 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['a wrong length', 'ghp_svfZTfJxfVBjxvRfsy90aT47SJBZfaVAGp7'],
  ])('does not flag %s', (_name, token) => {
    expect(isUnverifiedBase62Token(token)).toBe(false);
  });
});
