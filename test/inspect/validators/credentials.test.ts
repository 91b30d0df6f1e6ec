import { describe, expect, it } from 'vitest';
import { hasCommandLinePassword, hasUrlPassword, isBasicAuthHeader, isBearerToken, isRealPassword } from '../../../src/inspect/validators/credentials.js';

const basic = (pair: string) => `Authorization: Basic ${Buffer.from(pair).toString('base64')}`;

describe('isRealPassword', () => {
  it.each(['twqJ8vpN7fEsNZiml4k2', 'hunter2!x', 'Tr0ub4dor&3', 'correct horse'])('%s is a password', (p) => {
    expect(isRealPassword(p)).toBe(true);
  });

  it.each([
    ['a placeholder', 'password'],
    ['a placeholder with digits', 'secret123'],
    ['leetspeak for password', 'p4ssw0rd'],
    ['a mask', '********'],
    ['an environment variable', '$DB_PASSWORD'],
    ['a template', '${DB_PASSWORD}'],
    ['a port (host:port@host, an SSRF spelling)', '80'],
    ['a port before a stray backslash', '80\\'],
    ['too short to be a secret', 'R'],
    ['code', 'sections['],
    ['a name that says it is a password', 'keyfile_password'],
  ])('%s is not', (_name, p) => {
    expect(isRealPassword(p)).toBe(false);
  });

  it('treats user = password as a well-known default', () => {
    expect(isRealPassword('postgres', 'postgres')).toBe(false);
    expect(isRealPassword('guest', 'GUEST')).toBe(false);
  });
});

describe('hasUrlPassword', () => {
  it.each([
    ['postgres://app_reports:twqJ8vpN7fEsNZiml4k2@db-1.internal.example', true],
    ['redis://:D8V1RCuhoGRFqPUTkupD@cache.internal.example', true],
    ['https://deploy:Wq7#pLz9vR@git.acme.example', true],
    ['postgres://postgres:postgres@localhost', false],
    ['https://user:password@example.com', false],
    ['http://127.0.0.1:80@evil.example', false],
    ['mysql://root:****@db.internal.example', false],
    ['https://host.example/@user', false],
  ])('%s → %s', (url, expected) => {
    expect(hasUrlPassword(url)).toBe(expected);
  });
});

describe('isBasicAuthHeader', () => {
  it.each([
    ['real credentials', basic('deploy:Wq7#pLz9vR'), true],
    ['placeholder credentials', basic('user:password'), false],
    ['no colon inside', basic('just-a-token-value'), false],
    ['binary, not text', `Authorization: Basic ${Buffer.from([0, 1, 2, 250, 251, 58, 65, 66]).toString('base64')}`, false],
    ['a realm, not credentials', 'Authorization: Basic realm', false],
  ])('%s', (_name, header, expected) => {
    expect(isBasicAuthHeader(header)).toBe(expected);
  });
});

describe('hasCommandLinePassword', () => {
  it.each([
    [' -u deploy:DxCS67AdfO!ZkXm6', true],
    [' --user "deploy:DxCS67AdfO!ZkXm6"', true],
    [' -u "$CI_USER:$CI_PASSWORD"', false],
    [' -u https://couch-server.example', false],
    [' -u john.doe@example.com:READ', false],
  ])('%s → %s', (args, expected) => {
    expect(hasCommandLinePassword(args)).toBe(expected);
  });
});

describe('isBearerToken', () => {
  it.each([
    ['Bearer CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', true],
    ['Authorization: token jzIfgyo6QnuYYriW2CGTMxiXGOMkuzP63UckvHWk', true],
    ['Bearer YOUR_ACCESS_TOKEN_HERE', false],
    ['Bearer abcdefghijklmnopqrstuvwxyz', false],
  ])('%s → %s', (header, expected) => {
    expect(isBearerToken(header)).toBe(expected);
  });
});
