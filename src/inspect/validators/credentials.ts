/**
 * Passwords written inline: in a URL's user info (`postgres://app:pw@db`), after an
 * `Authorization: Basic` header, or a command line's `-u user:password`. The check is that
 * the password is a real value, not a placeholder, a template, a port or a default pair.
 */
import { charStats, classCount, isPlaceholder, looksRandom } from './text-stats.js';

// Values that stand for "a password goes here" rather than being one.
const PLACEHOLDER_PASSWORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'pw', 'secret', 'changeme', 'mypassword', 'yourpassword',
  'my-password', 'my_password', 'token', 'apikey', 'api_key', 'foobar', 'hunter2', 'letmein', 'qwerty',
]);

// Characters that only mask a value.
const MASK = /^[*x.•#?-]+$/i;

// Documentation's stand-in passwords: a placeholder word with digits or symbols tacked on
// (secret123, Password1!, changeme2024).
const PLACEHOLDER_STEM = /^(?:password|passwd|pass|secret|changeme|admin|test|qwerty|letmein|welcome|default|example|mypass|mysecret)[^a-z]*$/;

// Leetspeak folded back, so that p4ssw0rd and s3cr3t read as the placeholders they are.
const LEET: Readonly<Record<string, string>> = { '4': 'a', '@': 'a', '3': 'e', '1': 'i', '0': 'o', '5': 's', $: 's', '7': 't' };

function unleet(s: string): string {
  let out = '';
  for (const c of s) out += LEET[c] ?? c;
  return out;
}

// A password shorter than this is a flag or a permission (gsutil's `-u user:R`), not a secret.
const MIN_PASSWORD = 4;

/** True when `password` is a value worth protecting (given the user name it goes with). */
export function isRealPassword(password: string, user = ''): boolean {
  if (password.length < MIN_PASSWORD || password.length > 512) return false;
  if (/^[0-9]{1,5}[^A-Za-z0-9]?$/.test(password)) return false; // host:port@, an SSRF trick, not a password
  if ('$%{[<:'.includes(password[0] ?? '')) return false; // $VAR, %s, {placeholder}, [password]
  if (/[()[\]]/.test(password)) return false; // code: sections[, getpass()
  if (MASK.test(password) || isPlaceholder(password)) return false;
  const lower = password.toLowerCase();
  const plain = unleet(lower);
  if ([lower, plain].some((v) => PLACEHOLDER_PASSWORDS.has(v) || PLACEHOLDER_STEM.test(v))) return false;
  // A value naming itself a password (db_password, keyfile_password) is a name, not a password.
  if (plain.includes('password') || plain.includes('passwd')) return false;
  return lower !== user.toLowerCase(); // guest:guest, postgres:postgres: well-known defaults
}

/** For `scheme://user:password@host`: true when the password is real. */
export function hasUrlPassword(match: string): boolean {
  const start = match.indexOf('://');
  if (start < 0) return false;
  const rest = match.slice(start + 3);
  const at = rest.lastIndexOf('@');
  if (at < 0) return false;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return false;
  return isRealPassword(userinfo.slice(colon + 1), userinfo.slice(0, colon));
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** For `Authorization: Basic <base64>`: true when it decodes to `user:password` with a real password. */
export function isBasicAuthHeader(match: string): boolean {
  const credential = match.trim().split(/\s+/).pop() ?? '';
  if (!BASE64.test(credential) || credential.length % 4 === 1) return false;
  const text = Buffer.from(credential, 'base64').toString('utf8');
  // Credentials are printable text; anything else is a word that happened to be base64.
  if (!/^[\x20-\x7e]+$/.test(text)) return false;
  const colon = text.indexOf(':');
  return colon >= 0 && isRealPassword(text.slice(colon + 1), text.slice(0, colon));
}

/** For a command line's `-u user:password` or `--user user:password`: true when the password is real. */
export function hasCommandLinePassword(match: string): boolean {
  const pair = match.trim().split(/\s+/).pop() ?? '';
  const unquoted = pair.replace(/^["']|["']$/g, '');
  const colon = unquoted.indexOf(':');
  // `-u https://host` is a URL given to -u, not user:password; `-u user:READ` is gsutil's
  // grant syntax, a permission in capitals.
  if (unquoted.startsWith('//', colon + 1) || /^[A-Z_]+$/.test(unquoted.slice(colon + 1))) return false;
  return colon > 0 && isRealPassword(unquoted.slice(colon + 1), unquoted.slice(0, colon));
}

/** For `Bearer <token>` or `Authorization: token <token>`: true when the token is random, not a placeholder. */
export function isBearerToken(match: string): boolean {
  const token = match.trim().split(/\s+/).pop() ?? '';
  return looksRandom(token, 16) && classCount(charStats(token)) >= 2;
}
