import { describe, expect, it } from 'vitest';
import { decodeBase64Url, isJwt } from '../../../src/inspect/validators/jwt.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SIGNATURE = 'TWh8lnFJnT2N-eKZbQYsVsEjuC86cAaV8UW4h7sdXBQ';

describe('isJwt', () => {
  it.each([
    ['HS256 with a signature', `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'svc-reports' })}.${SIGNATURE}`],
    ['RS256 with a key id', `${part({ alg: 'RS256', kid: 'k1' })}.${part({ iss: 'https://auth.acme.example' })}.${SIGNATURE}`],
    ['alg none, empty signature', `${part({ alg: 'none' })}.${part({ admin: true })}.`],
  ])('accepts %s', (_name, token) => {
    expect(isJwt(token)).toBe(true);
  });

  it.each([
    ['a header without alg', `${part({ typ: 'JWT' })}.${part({ sub: 'x' })}.${SIGNATURE}`],
    ['alg that is not a string', `${part({ alg: 256 })}.${part({ sub: 'x' })}.${SIGNATURE}`],
    ['a header that is an array', `${part(['alg'])}.${part({ sub: 'x' })}.${SIGNATURE}`],
    ['a header that is not JSON', `${Buffer.from('{alg: HS256}').toString('base64url')}.${part({})}.${SIGNATURE}`],
    ['two parts', `${part({ alg: 'HS256' })}.${part({ sub: 'x' })}`],
    ['four parts', `${part({ alg: 'HS256' })}.${part({ sub: 'x' })}.${SIGNATURE}.x`],
    ['a signature with characters outside base64url', `${part({ alg: 'HS256' })}.${part({ sub: 'x' })}.abc+def/`],
    ['a dotted file name', 'eyJreport.eyJdraft.pdf'],
  ])('rejects %s', (_name, token) => {
    expect(isJwt(token)).toBe(false);
  });
});

describe('decodeBase64Url', () => {
  it.each([
    ['eyJhIjoxfQ', '{"a":1}'],
    ['eyJhIjoxfQ==', '{"a":1}'],
  ])('decodes %s', (input, expected) => {
    expect(decodeBase64Url(input)).toBe(expected);
  });

  it.each(['ab+c', 'a b', 'abcde'])('refuses %s', (input) => {
    expect(decodeBase64Url(input)).toBeUndefined();
  });
});
