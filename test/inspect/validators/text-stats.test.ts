import { describe, expect, it } from 'vitest';
import { charStats, entropyFloor, isIdentifier, isPlaceholder, looksLikeSecretValue, looksRandom, tokenBody } from '../../../src/inspect/validators/text-stats.js';

describe('charStats', () => {
  it.each([
    ['aaaa', 0],
    ['abcd', 2],
    ['aabb', 1],
  ])('entropy of %s is %d bits per character', (s, bits) => {
    expect(charStats(s).entropy).toBeCloseTo(bits, 10);
  });

  it('counts the classes of characters', () => {
    expect(charStats('aB3/-')).toMatchObject({ length: 5, lower: 1, upper: 1, digit: 1, other: 2 });
  });

  it('floors entropy by length, capped at 3 bits', () => {
    expect(entropyFloor(16)).toBeCloseTo(2.6, 5);
    expect(entropyFloor(4096)).toBe(3);
  });
});

describe('isPlaceholder', () => {
  it.each([
    'xxxxxxxxxxxxxxxx', 'YOUR_API_KEY_HERE', 'your-token', 'YourSecretKey', '<token>', '${API_KEY}', '{{ secret }}',
    'sk_live_************', 'EXAMPLEKEY123', 'aaaaaaaa1', 'abcdefgh12', '1234567890', 'FAKE_TOKEN_1',
  ])('%s is a placeholder', (s) => {
    expect(isPlaceholder(s)).toBe(true);
  });

  it.each(['P5nCS3kRGnKnV1jT/al8/et6Yby4yqqUb9HZq0jz', '2t48Q~pZLWz33nWLnGNyFYOUrG9w_pGvNk4j.3F1', 'vnqsSn1EXPzIOujEFcRtfx21'])(
    '%s is not (random mixed case may spell "fYOUr" without being a placeholder)',
    (s) => {
      expect(isPlaceholder(s)).toBe(false);
    },
  );
});

describe('looksRandom and looksLikeSecretValue', () => {
  it.each([
    ['base62', 'CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', true, true],
    ['hex', 'c557ab65b069cfcac4e327b35207d8bb', true, true],
    ['base64', 'jzIfgyo6QnuYYriW2CGTMxiXGOMkuzP63UckvHWkvfH4U3lTQJENhIFgDrtJInV2', true, true],
    ['a camelCase name', 'getSecretFromVaultService', true, false],
    ['a word', 'production', true, false],
    ['a date', '2024-01-01T00:00:00Z', false, false],
    ['a phone number', '+1-555-0100-2233', true, false],
    ['filler', 'xxxxxxxxxxxxxxxxxxxx', false, false],
    ['too short', 'a1B2c3', false, false],
  ])('%s', (_name, s, random, secret) => {
    expect(looksRandom(s)).toBe(random);
    expect(looksLikeSecretValue(s)).toBe(secret);
  });
});

describe('tokenBody', () => {
  it.each([
    ['sk_live_vnqsSn1EXPzIOujEFcRtfx21', 'vnqsSn1EXPzIOujEFcRtfx21'],
    ['glpat-zq7PZdRynuMPR7hnqMSR', 'zq7PZdRynuMPR7hnqMSR'],
    ['AIza53c4WhtlgjeRp9alC9A_HMqaUYl3O01vE4A', 'AIza53c4WhtlgjeRp9alC9A_HMqaUYl3O01vE4A'],
    ['AccountKey=abc123def456ghi789', 'abc123def456ghi789'],
    ['dapi16723d99b7785cf74026c87b53841ca5', 'dapi16723d99b7785cf74026c87b53841ca5'],
  ])('%s → %s', (token, body) => {
    expect(tokenBody(token)).toBe(body);
  });
});

describe('isIdentifier', () => {
  it.each([
    ['proxy_pass', true],
    ['TEST_ENCRYPTION_KEY1', true],
    ['settings-api-key', true],
    ['key-7a52c103a9e9d670d82e675a3e17b07e', false],
    ['Ab3_xY9-Qr7', false],
    ['singleword', false],
  ])('%s → %s', (s, expected) => {
    expect(isIdentifier(s)).toBe(expected);
  });
});
