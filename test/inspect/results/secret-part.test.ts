import { describe, expect, it } from 'vitest';
import { secretPart } from '../../../src/inspect/results/secret-part.js';

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'tB0Y5PU7PmAIy0CwSx/cS/KCjvWBgDSHyGvWZyEOPSHLJ1W6mkIjEiJM6G48/BSU',
  'C8nwgad/YxO3g9DWIoVuI/5ugIDP8qwvgMU3DcnjMHtM10Ssj9NNo8rMxZeCwYfp',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const DISCORD = 'https://discord.com/api/webhooks/8000546094197285846/OvJF8i1wIndUxFm6RSWWhgCSsEW7W99B6vE4gTR1hNh9B-LEDqPOOvSI7gIWuH22SsCk';
const SLACK = 'https://hooks.slack.com/services/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';
const TELEGRAM = '1030008275:AADpkG-wtgWzYwyApG9Z79l8juy432FjHwP';

const part = (match: string): string => {
  const [start, end] = secretPart(match);
  return match.slice(start, end);
};

describe('secretPart', () => {
  it.each([
    ['a PEM block, whole', PEM, PEM],
    ['a lower-case PEM block, whole', PEM.toLowerCase(), PEM.toLowerCase()],
    ['only the password of a postgres URL', 'postgres://user:J5JH4Z98SCvSzC@db.internal.example/db', 'J5JH4Z98SCvSzC'],
    ['only the password of a URL with a port and path', 'postgres://app_reports:J5JH4Z98SCvSzC@db-1.internal.example:5432/prod', 'J5JH4Z98SCvSzC'],
    ['only the password of a mongodb+srv URL', 'mongodb+srv://svc:DxCS67AdfO!ZkXm6@cluster0.abcde.mongodb.net/app', 'DxCS67AdfO!ZkXm6'],
    ['only the password of a URL with no user', 'redis://:J5JH4Z98SCvSzC@cache.internal.example:6379/0', 'J5JH4Z98SCvSzC'],
    ['only the password of a URL after a label', 'DATABASE_URL=postgres://etl:J5JH4Z98SCvSzC@warehouse/dw', 'J5JH4Z98SCvSzC'],
    ['a Discord webhook URL, whole', DISCORD, DISCORD],
    ['a Slack webhook URL, whole', SLACK, SLACK],
    ['the value after an env label', 'AWS_SECRET_ACCESS_KEY=056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga', '056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga'],
    ['the value after a spaced label', 'aws_secret_access_key = B1U/ZUx9wZFLaStmAnqUiTBflyvUdpOuoaFRfOJs', 'B1U/ZUx9wZFLaStmAnqUiTBflyvUdpOuoaFRfOJs'],
    ['the value of a JSON member, without the quotes', '"token": "CKChooW3y7WtM5AJ9Lo8zImNb6806XM3"', 'CKChooW3y7WtM5AJ9Lo8zImNb6806XM3'],
    ['the value of a compact JSON member', '"client_secret":"jzIfgyo6QnuYYriW2CGTMxiXGOMkuzP63UckvHWk"', 'jzIfgyo6QnuYYriW2CGTMxiXGOMkuzP63UckvHWk'],
    ['the value after a header name', 'X-Api-Key: CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', 'CKChooW3y7WtM5AJ9Lo8zImNb6806XM3'],
    ['the value after a Ruby-style arrow', 'api_key=>CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', 'CKChooW3y7WtM5AJ9Lo8zImNb6806XM3'],
    ['a Telegram bot token, whole', TELEGRAM, TELEGRAM],
    ['a Telegram bot token after a space', ` ${TELEGRAM}`, TELEGRAM],
    ['a Telegram bot token after the = the pattern matched before it', `=${TELEGRAM}`, TELEGRAM],
    ['the token of an Authorization: Bearer header', 'Authorization: Bearer CKChooW3y7WtM5AJ9Lo8zImNb6806XM3', 'CKChooW3y7WtM5AJ9Lo8zImNb6806XM3'],
    ['the token after Bearer alone', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ['an AWS key without the character the pattern needed to see its end', 'AWS_SECRET_ACCESS_KEY=056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga"', '056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga'],
    ['a bare token', 'AKIAEEF6727CPCP7XNA7', 'AKIAEEF6727CPCP7XNA7'],
  ])('%s', (_, match, secret) => {
    expect(part(match)).toBe(secret);
  });

  it('returns offsets within the match, start before end', () => {
    const match = 'postgres://user:J5JH4Z98SCvSzC@db.internal.example/db';
    expect(secretPart(match)).toEqual([16, 30]);
  });

  it('falls back to the whole match when it holds no token', () => {
    expect(secretPart('""')).toEqual([0, 2]);
  });
});
