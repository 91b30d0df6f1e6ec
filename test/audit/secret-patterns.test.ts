import { describe, expect, it } from 'vitest';
import { REDACTED, compileKeyGlob, isSecretKeyName, redactSecretsInText } from '../../src/audit/secret-patterns.js';

describe('isSecretKeyName', () => {
  it.each([
    'password', 'PASSWORD', 'db_password', 'passwd', 'passphrase', 'secret', 'client_secret', 'clientSecret',
    'token', 'access_token', 'accessToken', 'refresh-token', 'id.token', 'api_key', 'apikey', 'api-key', 'X-Api-Key',
    'API.KEY', 'authorization', 'Authorization', 'auth', 'authToken', 'oauth', 'basic_auth', 'cookie', 'Set-Cookie',
    'session', 'sessionId', 'session_token', 'private_key', 'privateKey', 'credential', 'credentials', 'aws_access_key_id',
    'AWS_SECRET_ACCESS_KEY', 'bearer', 'bearer_token', 'db_pwd', 'connection_string', 'jwt', 'csrf', 'pin', 'otp',
  ])('%s is a secret name', (key) => {
    expect(isSecretKeyName(key)).toBe(true);
  });

  it.each([
    'path', 'url', 'query', 'max_tokens', 'tokenizer', 'author', 'authority', 'pwd', 'cwd', 'name', 'content',
    'keys', 'key', 'sessions_count', 'description', 'encoding', 'host',
  ])('%s is not a secret name', (key) => {
    expect(isSecretKeyName(key)).toBe(false);
  });
});

describe('compileKeyGlob', () => {
  it.each([
    ['x-*', 'X-Internal', true],
    ['x-*', 'y-internal', false],
    ['*_id', 'customer_ID', true],
    ['ssn', 'SSN', true],
    ['ssn', 'ssn2', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*', '', true],
    ['*card*', 'creditCardNumber', true],
  ] as const)('%s matches %s: %s', (glob, key, expected) => {
    expect(compileKeyGlob(glob)(key)).toBe(expected);
  });

  // No timing assertion (shared machines are noisy): a backtracking matcher would not
  // finish within the test timeout; the cost itself is measured by npm run bench.
  it('answers on a glob that would backtrack as a regex', () => {
    const match = compileKeyGlob('*a*a*a*a*a*a*a*b');
    expect(match('a'.repeat(20_000))).toBe(false);
    expect(match(`${'a'.repeat(20_000)}b`)).toBe(true);
  });
});

describe('redactSecretsInText', () => {
  it.each([
    ['Bearer header', 'Authorization: Bearer abcdef0123456789', `Authorization: Bearer ${REDACTED}`],
    ['bare bearer', 'use bearer abcdefghijkl please', `use bearer ${REDACTED} please`],
    ['basic header', 'Authorization: Basic dXNlcjpwYXNz', `Authorization: Basic ${REDACTED}`],
    ['URL password', 'postgres://bob:hunter2@db:5432/app', `postgres://bob:${REDACTED}@db:5432/app`],
    ['URL without password', 'https://bob@example.com/x', 'https://bob@example.com/x'],
    ['query string', 'https://h/x?user=a&token=s3cr3t&page=2', `https://h/x?user=a&token=${REDACTED}&page=2`],
    ['connection string', 'Server=db;User Id=sa;Password=Pa55;', `Server=db;User Id=sa;Password=${REDACTED};`],
    ['JSON in a string', '{"password": "two words", "user": "bob"}', `{"password": "${REDACTED}", "user": "bob"}`],
    ['shell env', 'export API_KEY=abc123 && run', `export API_KEY=${REDACTED} && run`],
    ['GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', REDACTED],
    ['GitHub fine-grained', 'github_pat_11ABCDEFG0123456789_abcdefghijkl', REDACTED],
    ['sk- key', 'key sk-ant-api03-abcdefghijklmnop here', `key ${REDACTED} here`],
    ['Stripe key', 'sk_live_abcdefghij0123', REDACTED],
    ['AWS key id', 'id AKIAIOSFODNN7EXAMPLE end', `id ${REDACTED} end`],
    ['Slack token', 'xoxb-1234567890-abcdefghij', REDACTED],
    ['Google key', `AIza${'B'.repeat(35)}`, REDACTED],
    ['npm token', `npm_${'a1'.repeat(18)}`, REDACTED],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU', REDACTED],
    [
      'PEM private key',
      'a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----\nb',
      `a\n${REDACTED}\nb`,
    ],
    ['PEM key cut off', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk', REDACTED],
    ['public key kept', '-----BEGIN PUBLIC KEY-----\nMIIB', '-----BEGIN PUBLIC KEY-----\nMIIB'],
    ['plain text kept', 'read the file /etc/hosts and the risk-assessment doc', 'read the file /etc/hosts and the risk-assessment doc'],
    ['short text kept', 'ok', 'ok'],
  ])('%s', (_name, input, expected) => {
    expect(redactSecretsInText(input)).toBe(expected);
  });

  it('is linear on adversarial input', () => {
    const inputs = [
      'password='.repeat(50_000),
      'http://'.repeat(50_000),
      `-----BEGIN PRIVATE KEY-----${'A'.repeat(200_000)}`,
      'eyJ'.repeat(100_000),
      '"password": "'.repeat(30_000),
      'a:'.repeat(100_000),
    ];
    // A catastrophic pattern would not finish within the test timeout.
    for (const input of inputs) expect(typeof redactSecretsInText(input)).toBe('string');
  });
});
