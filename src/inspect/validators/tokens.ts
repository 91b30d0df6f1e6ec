/**
 * Checks for provider tokens that a prefix finds and a detail confirms: the exact case of
 * the prefix (patterns see lower-cased text, the validator sees the original), a body that
 * is random rather than filler, and structure where the format has some.
 */
import { decodeBase64Url } from './jwt.js';
import { charStats, isCamelCaseName, isPlaceholder, looksRandom, tokenBody } from './text-stats.js';

/** A prefixed token whose body (after the prefix) is random rather than filler or a code name. */
export function isRandomToken(match: string): boolean {
  const body = tokenBody(match.trim());
  return looksRandom(body) && !isCamelCaseName(body);
}

/** Like isRandomToken, and the body mixes upper and lower case, as base62 tokens do. */
export function isMixedCaseToken(match: string): boolean {
  const body = tokenBody(match.trim());
  const stats = charStats(body);
  return stats.upper > 0 && stats.lower > 0 && looksRandom(body) && !isCamelCaseName(body);
}

/** A validator accepting a random token that starts with one of `prefixes`, case and all. */
export function casedPrefix(...prefixes: string[]): (match: string) => boolean {
  return (match) => {
    const token = match.trim();
    return prefixes.some((p) => token.startsWith(p)) && looksRandom(tokenBody(token));
  };
}

// AWS access key ids: a type prefix (long-term, temporary, bearer, context-specific keys;
// user and role ids such as AIDA/AROA name things and grant nothing), then 16 characters
// of base32 in upper case.
const AWS_KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;

/**
 * An AWS access key id, upper case and base32: not the documentation's AKIAIOSFODNN7EXAMPLE,
 * nor a filled-in template (a run such as AKIAZZZZZZZZZZZZZZZZ, a sequence such as AKIAABCDEFGHIJKLMNOP).
 */
export function isAwsAccessKeyId(match: string): boolean {
  const id = match.trim();
  return AWS_KEY_ID.test(id) && !id.includes('EXAMPLE') && !isPlaceholder(id.slice(4));
}

const BASE64_CHARS = /[A-Za-z0-9/+]/;

/**
 * An AWS secret access key: the last run of 40 base64 characters in the match (the
 * pattern ends on it, perhaps with one delimiter after). Real keys mix both cases.
 */
export function isAwsSecretKey(match: string): boolean {
  let end = match.length;
  while (end > 0 && !BASE64_CHARS.test(match[end - 1] ?? '')) end--;
  const key = match.slice(Math.max(0, end - 40), end);
  if (key.length !== 40 || key.includes('EXAMPLE')) return false;
  const stats = charStats(key);
  return stats.upper > 0 && stats.lower > 0 && looksRandom(key, 40);
}

/** Slack tokens: `xox?-` in lower case, then numeric ids, then a random secret part. */
export function isSlackToken(match: string): boolean {
  const token = match.trim();
  if (!/^xox[a-z]-/.test(token) && !token.startsWith('xoxe.xox')) return false;
  const last = token.slice(token.lastIndexOf('-') + 1);
  return looksRandom(last, 10);
}

/**
 * Discord bot tokens: the first part is the bot's numeric id in base64, so it must decode
 * to digits; then a timestamp part and an HMAC part.
 */
export function isDiscordBotToken(match: string): boolean {
  const [id, , hmac] = match.trim().split('.');
  if (id === undefined || hmac === undefined) return false;
  const decoded = decodeBase64Url(id);
  return decoded !== undefined && /^[0-9]{17,20}$/.test(decoded) && looksRandom(hmac, 20);
}

/** Telegram bot tokens: `<bot id>:AA…`, the secret part in base64url starting with "AA". */
export function isTelegramBotToken(match: string): boolean {
  const token = match.trim();
  const colon = token.indexOf(':');
  const secret = token.slice(colon + 1);
  return colon > 0 && secret.startsWith('AA') && looksRandom(secret.slice(2), 20);
}

/** PyPI API tokens: a macaroon whose base64 opens on the issuer, pypi.org or test.pypi.org. */
export function isPypiToken(match: string): boolean {
  const token = match.trim();
  return (token.startsWith('pypi-AgEIcHlwaS5vcmc') || token.startsWith('pypi-AgENdGVzdC5weXBpLm9yZw')) && looksRandom(token.slice(30), 20);
}

// Key material is base64 of DER or of an OpenSSH blob; fixed headers (runs of 'A' in
// OpenSSH's) keep it below random, but filler like 'AAAA…' or 'xxxx…' falls far lower.
const KEY_MATERIAL_ENTROPY = 3.5;

/**
 * A private key block: the armour header, then key material rather than filler. An
 * encrypted PEM key opens on Proc-Type and DEK-Info headers instead, structure enough.
 */
export function isPrivateKeyBlock(match: string): boolean {
  const headerEnd = match.indexOf('-----', match.indexOf('-----') + 5);
  if (headerEnd < 0) return false;
  const body = match.slice(headerEnd + 5);
  if (/proc-type:/i.test(body)) return true;
  const material = body.replace(/\\[rn]|\s/g, '');
  if (material.length < 40 || /xxxx|\.\.\./i.test(material)) return false;
  return charStats(material).entropy >= KEY_MATERIAL_ENTROPY;
}

/** A webhook URL whose last path segment, the part that authorises posting, is random. */
export function isWebhookUrl(match: string): boolean {
  const url = match.trim();
  return looksRandom(url.slice(url.lastIndexOf('/') + 1), 16);
}

/**
 * OpenAI keys: project, service-account and legacy keys carry "T3BlbkFJ" (base64 of
 * "OpenAI") in the middle; keys without it must at least mix cases like base62.
 */
export function isOpenAiKey(match: string): boolean {
  const token = match.trim();
  if (token.includes('T3BlbkFJ')) return looksRandom(tokenBody(token));
  return isMixedCaseToken(token);
}

/** Azure AD (Entra) client secrets: 40 characters with "8Q~" after the first three. */
export function isAzureClientSecret(match: string): boolean {
  const at = match.indexOf('8Q~');
  return at >= 3 && looksRandom(match.slice(at - 3), 30);
}
