/**
 * The validators rule packs may name (`validator: jwt`): each gets the text a pattern
 * matched, in its original case, and says whether it is really what the rule is about.
 * All are pure and linear in the length of the match.
 */
import { hasValidBase62Checksum, isUnverifiedBase62Token } from './base62-checksum.js';
import { isPasswordAssignment, isSecretAssignment } from './assignments.js';
import { hasCommandLinePassword, hasUrlPassword, isBasicAuthHeader, isBearerToken } from './credentials.js';
import { isAmbiguousPercentEncoding } from './encodings.js';
import { isJwt } from './jwt.js';
import { isEmailAddress, isIban, isPaymentCard, isPhoneNumber, isUkNino, isUsSsn } from './personal-data.js';
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
} from './tokens.js';
import { hasSeedPhrase, isWifKey } from './wallet.js';

/** Validators by the name rule packs use. */
export const VALIDATORS: Readonly<Record<string, (match: string) => boolean>> = {
  'random-token': isRandomToken,
  'invalid-percent-encoding-or-malformed': isAmbiguousPercentEncoding,
  'mixed-case-token': isMixedCaseToken,
  'base62-crc32': hasValidBase62Checksum,
  'base62-crc32-unverified': isUnverifiedBase62Token,
  'aws-access-key-id': isAwsAccessKeyId,
  'aws-secret-key': isAwsSecretKey,
  jwt: isJwt,
  'url-password': hasUrlPassword,
  'basic-auth': isBasicAuthHeader,
  'bearer-token': isBearerToken,
  'command-line-password': hasCommandLinePassword,
  'secret-assignment': isSecretAssignment,
  'password-assignment': isPasswordAssignment,
  'private-key-block': isPrivateKeyBlock,
  'slack-token': isSlackToken,
  'discord-bot-token': isDiscordBotToken,
  'telegram-bot-token': isTelegramBotToken,
  'pypi-token': isPypiToken,
  'webhook-url': isWebhookUrl,
  'openai-key': isOpenAiKey,
  'azure-client-secret': isAzureClientSecret,
  'google-api-key': casedPrefix('AIza'),
  'google-oauth-secret': casedPrefix('GOCSPX-'),
  'sendgrid-key': casedPrefix('SG.'),
  'square-token': casedPrefix('EAAA', 'sq0atp-', 'sq0csp-'),
  'atlassian-token': casedPrefix('ATATT3xFfGF0'),
  'heroku-key': casedPrefix('HRKU-'),
  'age-secret-key': casedPrefix('AGE-SECRET-KEY-1'),
  'bip39-mnemonic': hasSeedPhrase,
  'wif-key': isWifKey,
  'payment-card': isPaymentCard,
  iban: isIban,
  'us-ssn': isUsSsn,
  'uk-nino': isUkNino,
  email: isEmailAddress,
  phone: isPhoneNumber,
};
