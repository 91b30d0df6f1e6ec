import { describe, expect, it } from 'vitest';
import {
  casedPrefix,
  isAwsAccessKeyId,
  isAwsSecretKey,
  isAzureClientSecret,
  isDiscordBotToken,
  isMixedCaseToken,
  isOpenAiKey,
  isPrivateKeyBlock,
  isPypiToken,
  isRandomToken,
  isSlackToken,
  isTelegramBotToken,
  isWebhookUrl,
} from '../../../src/inspect/validators/tokens.js';

// Every token here is fake: random characters in the provider's shape.
const B64_LINE = 'jzIfgyo6QnuYYriW2CGTMxiXGOMkuzP63UckvHWkvfH4U3lTQJENhIFgDrtJInV2';

type Case = [name: string, input: string, expected: boolean];

const table: Array<[string, (match: string) => boolean, Case[]]> = [
  ['isAwsAccessKeyId', isAwsAccessKeyId, [
    ['a long-term key id', 'AKIAEEF6727CPCP7XNA7', true],
    ['a temporary key id', 'ASIANWLCJJGJ4EN66TTE', true],
    ['the documentation example', 'AKIAIOSFODNN7EXAMPLE', false],
    ['lower case', 'akiaeef6727cpcp7xna7', false],
    ['a user id, not a key', 'AIDAEEF6727CPCP7XNA7', false],
    ['digits outside base32', 'AKIAEEF0727CPCP1XNA8', false],
  ]],
  ['isAwsSecretKey', isAwsSecretKey, [
    ['after its label', 'AWS_SECRET_ACCESS_KEY=056CQ2aBJqbcNiF86ZA6YjCPosO1cT7foQcr2iga', true],
    ['with a delimiter after it', 'secret_access_key: B1U/ZUx9wZFLaStmAnqUiTBflyvUdpOuoaFRfOJs\n', true],
    ['the documentation example', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', false],
    ['one case only', 'aws_secret_access_key = 056cq2abjqbcnif86za6yjcposo1ct7foqcr2iga', false],
  ]],
  ['isSlackToken', isSlackToken, [
    ['a bot token', 'xoxb-95728571898-6309782738582-3nJlm9kMNmTKZZGz5Uae2XT7', true],
    ['a user token', 'xoxp-16495308730-948265277169-7575226000712-9a2f04070799713a5a8b304eef368c50', true],
    ['filler after the ids', 'xoxb-00000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx', false],
    ['upper-case prefix', 'XOXB-95728571898-6309782738582-3nJlm9kMNmTKZZGz5Uae2XT7', false],
  ]],
  ['isDiscordBotToken', isDiscordBotToken, [
    ['an id, a timestamp, an HMAC', 'MTEwNDg4MjIzMTIyODU4NTAwMA.aaC__x.Apyb9OEoXHmfwfsGDQfb2Ao-YlwkngvdY5myyR', true],
    ['a first part that is not a numeric id', 'Tm90QW5JZEF0QWxsSGVyZQ.aaC__x.Apyb9OEoXHmfwfsGDQfb2Ao-YlwkngvdY5myyR', false],
    ['filler HMAC', 'MTEwNDg4MjIzMTIyODU4NTAwMA.aaC__x.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', false],
  ]],
  ['isTelegramBotToken', isTelegramBotToken, [
    ['a bot token', '1030008275:AADpkG-wtgWzYwyApG9Z79l8juy432FjHwP', true],
    ['glued to "bot" in a URL', 't1030008275:AADpkG-wtgWzYwyApG9Z79l8juy432FjHwP', true],
    ['lower-case secret', '1030008275:aadpkg-wtgwzywyapg9z79l8juy432fjhwp', false],
  ]],
  ['isPypiToken', isPypiToken, [
    ['a pypi.org token', 'pypi-AgEIcHlwaS5vcmcyUdfmJF62dAn9dOTHx9vfqgiS_N3CHa8dJ1VgOP3zxd3otxCihJtpS15Jb8FJ', true],
    ['lower case', 'pypi-ageichlwas5vcmcyudfmjf62dan9dothx9vfqgis_n3cha8dj1vgop3zxd3otxcihjtps15jb8fj', false],
  ]],
  ['isWebhookUrl', isWebhookUrl, [
    ['a Slack webhook', 'hooks.slack.com/services/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', true],
    ['a placeholder', 'hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', false],
  ]],
  ['isOpenAiKey', isOpenAiKey, [
    ['a project key', 'sk-proj-bWXsRGXVZvTnbQuAcqcX-nXmqhEmNhMo1J_FrcD0Z7UNJToHUMmTA-HgT3BlbkFJSYh2ziTTZzMOIITyhM7ThBLhgsYzqFspByPRDeAjFi', true],
    ['a legacy key', 'sk-vyzdb8lOavGOEtCM7jT5UKR88Kg0RmKYUOE5jdNF83AGchie', true],
    ['one case only', 'sk-vyzdb8loavgoetcm7jt5ukr88kg0rmkyuoe5jdnf83agchie', false],
  ]],
  ['isAzureClientSecret', isAzureClientSecret, [
    ['a client secret', '=2t48Q~pZLWz33nWLnGNyFYOUrG9w_pGvNk4j.3F1', true],
    ['lower-case marker', '=2t48q~pzlwz33nwlngnyfyourg9w_pgvnk4j.3f1', false],
  ]],
  ['isPrivateKeyBlock', isPrivateKeyBlock, [
    ['PEM with real newlines', `-----BEGIN RSA PRIVATE KEY-----\n${B64_LINE}`, true],
    ['PEM inside JSON, escaped newlines', `-----BEGIN PRIVATE KEY-----\\n${B64_LINE}`, true],
    ['OpenSSH, whose header is runs of A', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', true],
    ['encrypted PEM headers', '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D4E5F60718293A4B5C6D7E8F9', true],
    ['filler', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}`, false],
    ['x filler', `-----BEGIN PRIVATE KEY-----\n${'x'.repeat(64)}`, false],
  ]],
  ['isRandomToken', isRandomToken, [
    ['a Stripe key', 'sk_live_ufTGLNGO3jRcyx4AHjbQRs3G', true],
    ['a hex token', 'dapi16723d99b7785cf74026c87b53841ca5', true],
    ['filler', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', false],
    ['zeros', 'shpat_00000000000000000000000000000000', false],
  ]],
  ['isMixedCaseToken', isMixedCaseToken, [
    ['a Hugging Face token', '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', true],
    ['lower case only', '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', false],
    ['words', 'glpat-tokens-are-described-here', false],
  ]],
  ['casedPrefix("AIza")', casedPrefix('AIza'), [
    ['a Google API key', 'AIzalWS4uMCxUY9egi9S7DKgZe-A1MiwheInROr', true],
    ['the prefix in lower case', 'aizalws4umcxuy9egi9s7dkgze-a1miwheinror', false],
    ['filler', 'AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', false],
  ]],
];

describe.each(table)('%s', (_name, validate, cases) => {
  it.each(cases)('%s', (_case, input, expected) => {
    expect(validate(input)).toBe(expected);
  });
});
