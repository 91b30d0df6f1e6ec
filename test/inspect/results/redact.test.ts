import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../../src/inspect/build.js';
import { redact, redactionKind } from '../../../src/inspect/results/redact.js';
import type { CompiledRule } from '../../../src/rules/rule-types.js';

const RULES = shippedRules().rules.filter((r) => (r.category === 'secrets' || r.category === 'pii') && r.regexes.length > 0);
const SECRETS = RULES.filter((r) => r.category === 'secrets');

const rule = (id: string): CompiledRule => {
  const found = shippedRules().byId.get(id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

const hitsById = (hits: Map<CompiledRule, number>): Record<string, number> => Object.fromEntries([...hits].map(([r, n]) => [r.id, n]));

const PEM_BODY = [
  'tB0Y5PU7PmAIy0CwSx/cS/KCjvWBgDSHyGvWZyEOPSHLJ1W6mkIjEiJM6G48/BSU',
  'C8nwgad/YxO3g9DWIoVuI/5ugIDP8qwvgMU3DcnjMHtM10Ssj9NNo8rMxZeCwYfp',
  '7s0aiR76M/98VwPxFxfy8Us+YkwnF7zXxAwJ3NcMnriegVsVjsnNjcpkOh0oKv4c',
];
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----'].join('\n');

describe('redactionKind', () => {
  it.each([
    ['secret.aws-access-key-id', 'aws-access-key-id'],
    ['secret.github-token', 'github-token'],
    ['secret.private-key', 'private-key'],
    ['pii.payment-card', 'payment-card'],
    ['pii.email', 'email'],
    ['pii.national-id.us-ssn', 'national-id'],
    ['pii.national-id.uk-nino', 'national-id'],
  ])('%s → %s', (id, kind) => {
    expect(redactionKind(rule(id))).toBe(kind);
  });
});

describe('redact', () => {
  it.each([
    ['an AWS access key id', 'key AKIAEEF6727CPCP7XNA7 here', 'key [REDACTED:aws-access-key-id] here', { 'secret.aws-access-key-id': 1 }],
    ['a payment card number', 'card 4294199682550949 exp 09/29', 'card [REDACTED:payment-card] exp 09/29', { 'pii.payment-card': 1 }],
    ['a spaced card number', 'Mastercard: 5548 0837 9199 8036.', 'Mastercard: [REDACTED:payment-card].', { 'pii.payment-card': 1 }],
    ['an IBAN', 'pay to DE89370400440532013000 by Friday', 'pay to [REDACTED:iban] by Friday', { 'pii.iban': 1 }],
    ['a US SSN', 'SSN 512-44-8731', 'SSN [REDACTED:national-id]', { 'pii.national-id.us-ssn': 1 }],
    ['a UK NINO', 'nino=JG103759A', 'nino=[REDACTED:national-id]', { 'pii.national-id.uk-nino': 1 }],
    ['only the value after its label', 'AWS_SECRET_ACCESS_KEY=056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga', 'AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-access-key]', { 'secret.aws-secret-access-key': 1 }],
    ['only the bearer token', 'curl -H "Authorization: Bearer CKChooW3y7WtM5AJ9Lo8zImNb6806XM3" https://api.acme.example/v1/me', 'curl -H "Authorization: Bearer [REDACTED:bearer-token]" https://api.acme.example/v1/me', { 'secret.bearer-token': 1 }],
    ['a Telegram bot token after its label, keeping the =', 'TELEGRAM_TOKEN=1030008275:AADpkG-wtgWzYwyApG9Z79l8juy432FjHwP', 'TELEGRAM_TOKEN=[REDACTED:telegram-bot-token]', { 'secret.telegram-bot-token': 1 }],
  ])('replaces %s', (_, text, expected, hits) => {
    const out = redact(text, RULES);
    expect(out.text).toBe(expected);
    expect(hitsById(out.hits)).toEqual(hits);
  });

  it('replaces a PEM private key block up to and including its END line', () => {
    const out = redact(`key:\n${PEM}\ndone`, RULES);
    expect(out.text).toBe('key:\n[REDACTED:private-key]\ndone');
    expect(hitsById(out.hits)).toEqual({ 'secret.private-key': 1 });
  });

  it('replaces a key block whose END line was cut off, base64 lines included', () => {
    const out = redact(`-----BEGIN PRIVATE KEY-----\n${PEM_BODY.join('\n')}\n[truncated]`, RULES);
    expect(out.text.startsWith('[REDACTED:private-key]')).toBe(true);
    for (const line of PEM_BODY) expect(out.text).not.toContain(line);
    expect(out.text).toContain('[truncated]');
  });

  it('replaces two secrets in one text, and counts each rule', () => {
    const out = redact('id AKIAEEF6727CPCP7XNA7 and pan 4294199682550949, again AKIAEEF6727CPCP7XNA7', RULES);
    expect(out.text).toBe('id [REDACTED:aws-access-key-id] and pan [REDACTED:payment-card], again [REDACTED:aws-access-key-id]');
    expect(out.hits.get(rule('secret.aws-access-key-id'))).toBe(2);
    expect(out.hits.get(rule('pii.payment-card'))).toBe(1);
    expect(out.hits.size).toBe(2);
  });

  it('replaces an access key id and its secret key written side by side, each with its own marker', () => {
    const out = redact('deploy,AKIAEEF6727CPCP7XNA7,056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga', RULES);
    expect(out.text).toBe('deploy,[REDACTED:aws-access-key-id],[REDACTED:aws-secret-access-key]');
  });

  it('keeps JSON text valid JSON', () => {
    const doc = {
      AccessKeyId: 'AKIAEEF6727CPCP7XNA7',
      SecretAccessKey: 'B1U/ZUx9wZFLaStmAnqUiTBflyvUdpOuoaFRfOJs',
      private_key: `${PEM}\n`,
      config: 'DB_PASSWORD=DxCS67AdfO!ZkXm6',
      card: '4294199682550949',
      note: 'nothing secret',
    };
    const out = redact(JSON.stringify(doc), RULES);
    const parsed = JSON.parse(out.text) as Record<string, string>;
    expect(parsed).toEqual({
      AccessKeyId: '[REDACTED:aws-access-key-id]',
      SecretAccessKey: '[REDACTED:aws-secret-access-key]',
      private_key: '[REDACTED:private-key]\n',
      config: 'DB_PASSWORD=[REDACTED:password-assignment]',
      card: '[REDACTED:payment-card]',
      note: 'nothing secret',
    });
  });

  it.each([
    ['a git commit hash', 'commit 3f786850e387550fdab836ed7e6dc881de23001b merged'],
    ['a UUID', 'request 123e4567-e89b-12d3-a456-426614174000 done'],
    ['an order number that fails Luhn', 'order 4294199682550948 shipped'],
    ['a date and a version', 'released 2024-07-01 as version 1.2.3'],
    ['an IBAN with a wrong check digit', 'account DE89370400440532013001'],
    ['an SSN in a range never issued', 'id 666-12-3456'],
    ['a placeholder password', 'DB_PASSWORD=${DB_PASSWORD}'],
  ])('leaves benign text alone: %s', (_, text) => {
    const out = redact(text, RULES);
    expect(out.text).toBe(text);
    expect(out.hits.size).toBe(0);
  });

  it('redacts nothing with no rules', () => {
    const text = 'key AKIAEEF6727CPCP7XNA7';
    const out = redact(text, []);
    expect(out.text).toBe(text);
    expect(out.hits.size).toBe(0);
  });

  it('redacts only the kinds of the rules given', () => {
    const out = redact('key AKIAEEF6727CPCP7XNA7 card 4294199682550949', SECRETS);
    expect(out.text).toBe('key [REDACTED:aws-access-key-id] card 4294199682550949');
  });

  it('replaces only the password of a connection string, keeping user and host', () => {
    const out = redact('db postgres://app_reports:J5JH4Z98SCvSzC@db-1.internal.example:5432/prod ok', SECRETS);
    expect(out.text).toBe('db postgres://app_reports:[REDACTED:connection-string-password]@db-1.internal.example:5432/prod ok');
    expect(hitsById(out.hits)).toEqual({ 'secret.connection-string-password': 1 });
  });

  it('labels a connection-string password as a secret even with the email rule in play', () => {
    const out = redact('postgres://app_reports:J5JH4Z98SCvSzC@db-1.internal.example:5432/prod', RULES);
    expect(out.text).toBe('postgres://app_reports:[REDACTED:connection-string-password]@db-1.internal.example:5432/prod');
    expect(hitsById(out.hits)).toEqual({ 'secret.connection-string-password': 1 });
  });

  it('lets the budget check stop the work', () => {
    const stop = (): void => {
      throw new Error('over budget');
    };
    expect(() => redact('key AKIAEEF6727CPCP7XNA7', RULES, stop)).toThrow('over budget');
  });

  it('redacts more matches than a function call may take arguments (150 000 card numbers)', () => {
    const text = '4294199682550949 '.repeat(150_000);
    const out = redact(text, RULES);
    expect(hitsById(out.hits)).toEqual({ 'pii.payment-card': 150_000 });
    expect(out.text).toBe('[REDACTED:payment-card] '.repeat(150_000));
  });
});

describe('redact: wallet secrets', () => {
  const PHRASE = 'caution diamond until bus base opinion coral receive novel clutch pipe search';
  it.each([
    ['a seed phrase in prose, only the phrase', `Backup note: ${PHRASE} (keep offline)`, 'Backup note: [REDACTED:bip39-seed-phrase] (keep offline)'],
    ['a seed phrase in a JSON field', `{"wallet":"main","mnemonic":"${PHRASE}"}`, '{"wallet":"main","mnemonic":"[REDACTED:bip39-seed-phrase]"}'],
    ['a seed phrase after words not on the list', `my recovery words are ${PHRASE}, keep them safe`, 'my recovery words are [REDACTED:bip39-seed-phrase], keep them safe'],
    ['a seed phrase one word a line', `seed:\n${PHRASE.replace(/ /g, '\n')}\nend`, 'seed:\n[REDACTED:bip39-seed-phrase]\nend'],
    ['a WIF key', 'wif: L1cW8LJCrtnGnr12c5V297aNHEdbk6ZVNXY6HVfcMVe1ethEGAJu done', 'wif: [REDACTED:wif-private-key] done'],
  ])('replaces %s', (_, text, expected) => {
    const out = redact(text, RULES);
    expect(out.text).toBe(expected);
    expect([...out.hits.values()]).toEqual([1]);
  });

  it.each([
    ['list words whose checksum fails', 'mention mystery silent party tumble pony increase parrot enemy shield furnace abandon'],
    ['the BIP test vector', 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'],
    ['a WIF key with one character changed', 'KztWPoixcs1nCtNPjzwaDKvETm1ZHZxe4cEAP9kwFovMPoSpKhZq'],
    ['a Bitcoin address', 'send to 1FfHVNgQnfxn9NmRz2xSJXVZsxKSf35pCd'],
  ])('leaves %s', (_, text) => {
    expect(redact(text, RULES).text).toBe(text);
  });
});
