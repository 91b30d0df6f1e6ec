import { describe, expect, it } from 'vitest';
import { isPasswordAssignment, isReferenceOrPath, isSecretAssignment, splitAssignment } from '../../../src/inspect/validators/assignments.js';

describe('splitAssignment', () => {
  it.each([
    ['API_KEY=abc', { key: 'API_KEY', value: 'abc' }],
    ['"client_secret": "abc"', { key: 'client_secret', value: 'abc' }],
    [' X-Api-Key: abc', { key: 'X-Api-Key', value: 'abc' }],
    ['token => \'abc\'', { key: 'token', value: 'abc' }],
    ['password := abc', { key: 'password', value: 'abc' }],
    ['password: String.', { key: 'password', value: 'String' }],
  ])('%s', (match, expected) => {
    expect(splitAssignment(match)).toEqual(expected);
  });

  it('needs a separator', () => {
    expect(splitAssignment('no separator here')).toBeUndefined();
  });
});

describe('isSecretAssignment', () => {
  it.each([
    ['an API key', 'X-Api-Key: CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', true],
    ['a JSON client secret', '"client_secret": "jzIfgyo6QnuYYriW2CGTMxiXGOMkuzP63UckvHWk"', true],
    ['a hex signing key', 'SIGNING_KEY=key-7a52c103a9e9d670d82e675a3e17b07e', true],
    ['a pagination cursor', 'next_page_token=CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', false],
    ['an environment reference', 'api_key=${API_KEY}', false],
    ['a commit hash', 'token: 3f786850e387550fdab836ed7e6dc881de23001b', false],
    ['a UUID', 'token: 123e4567-e89b-12d3-a456-426614174000', false],
    ['a camelCase name', 'secret: getSecretFromVaultService', false],
    ['a path', 'secret_file=/run/secrets/db_password', false],
    ['a call', 'credentials = ServiceAccountCredentials.from_p12_keyfile(', false],
    ['a constant', 'encryption_key=TEST_ENCRYPTION_KEY1', false],
    ['a service account address', 'credential=ci@acme-prod.iam.gserviceaccount.com', false],
    ['a URL-encoded scope', 'x-goog-credential=ci-4411%2F20240101%2Fauto', false],
  ])('%s', (_name, match, expected) => {
    expect(isSecretAssignment(match)).toBe(expected);
  });
});

describe('isPasswordAssignment', () => {
  it.each([
    ['an env line', 'DB_PASSWORD=DxCS67AdfO!ZkXm6', true],
    ['JSON', '"password": "Tr0ub4dor&3"', true],
    ['a passphrase', 'mysql_root_password: correcthorsebatterystaple', true],
    ['a reference', 'DB_PASSWORD=${DB_PASSWORD}', false],
    ['a word', 'password: required', false],
    ['a working directory', 'PWD=/home/runner/work', false],
    ['a mask', 'password=********', false],
    ['code', 'proxy_pass=proxy_pass', false],
    ['a type in a docstring', 'private_key_password: String.', false],
  ])('%s', (_name, match, expected) => {
    expect(isPasswordAssignment(match)).toBe(expected);
  });
});

describe('isReferenceOrPath', () => {
  it.each(['process.env.TOKEN', 'vault:secret/data/db', 'arn:aws:secretsmanager:eu-west-1:1:secret:db', 'op://vault/item/field', 'C:\\keys\\id_rsa', '~/.ssh/id_rsa'])(
    '%s is a reference or path',
    (value) => {
      expect(isReferenceOrPath(value)).toBe(true);
    },
  );
});
