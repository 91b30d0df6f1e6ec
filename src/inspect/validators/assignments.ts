/**
 * Secrets found by the name they are written under (`api_key=…`, `"client_secret": "…"`,
 * `PASSWORD: …`) rather than by a shape of their own. The name only says "a secret may
 * follow"; these checks decide whether what follows is one: random enough, and not a
 * placeholder, a reference to where the secret is kept, a path, or an identifier.
 */
import { isRealPassword } from './credentials.js';
import { charStats, isIdentifier, looksLikeSecretValue } from './text-stats.js';

/** A `name<sep>value` assignment split into its two sides, quotes removed. */
export interface Assignment {
  key: string;
  value: string;
}

const QUOTES = `"'\``;

function trimQuotes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (QUOTES.includes(s[start] ?? '') || s[start] === ' ' || s[start] === '\t')) start++;
  while (end > start && (QUOTES.includes(s[end - 1] ?? '') || s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(start, end);
}

/** Split at the first `:` or `=` (names never hold one); `=>` and `:=` count as one separator. */
export function splitAssignment(match: string): Assignment | undefined {
  let sep = -1;
  for (let i = 0; i < match.length; i++) {
    if (match[i] === ':' || match[i] === '=') {
      sep = i;
      break;
    }
  }
  if (sep < 0) return undefined;
  let valueStart = sep + 1;
  // `=>`, `:=`, `::=`, `:::=` (Makefile, BNF-style configs) are one separator.
  while (valueStart < match.length && (match[valueStart] === '>' || match[valueStart] === '=' || match[valueStart] === ':')) valueStart++;
  // The pattern may begin on the character before the name; keep only the name.
  // `?=` and `.=` (Makefile, PHP) leave their first character on the name side.
  const key = trimQuotes(match.slice(0, sep).replace(/[?.]\s*$/, '')).replace(/^[^A-Za-z0-9]+/, '');
  // A value that ends a sentence ("password: String.") loses the full stop.
  return { key, value: trimQuotes(match.slice(valueStart)).replace(/\.$/, '') };
}

// Names that look like secrets but hold pagination cursors, anti-forgery or public values.
const NOT_SECRET_NAMES = ['page', 'cursor', 'next', 'continuation', 'csrf', 'xsrf', 'sync', 'public', 'publishable', 'max', 'num', 'count', 'limit'];

// Values that say where a secret is kept instead of being it.
const REFERENCE_MARKS = ['process.env', 'os.environ', 'getenv', 'env(', 'env.', 'vault:', 'arn:', 'secretsmanager', 'op://', 'ref+', 'keyvault', 'secret(', '://'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA1 = /^[0-9a-f]{40}$/i;
const WINDOWS_PATH = /^[a-z]:[\\/]/i;
const HOST_NAME = /\.(?:com|net|org|io|dev|app|cloud|internal|local|example)\b/i;
const DOTTED_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

/** True when a value is a reference, path, UUID or digest rather than secret material. */
export function isReferenceOrPath(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower.startsWith('/') || lower.startsWith('./') || lower.startsWith('../') || lower.startsWith('~') || WINDOWS_PATH.test(lower)) return true;
  if (REFERENCE_MARKS.some((mark) => lower.includes(mark))) return true;
  // Code, not a value: a call (`Creds.from_file(`), an index (`env[`), a dotted name
  // (`settings.API_KEY`), a constant or variable name (`TEST_KEY_1`, `proxy_pass`).
  if (/[()[\]]/.test(value) || DOTTED_NAME.test(value) || isIdentifier(value)) return true;
  // URL-encoded paths (`scope%2F2024%2F…`) are request parameters, not keys.
  if (lower.includes('%2f')) return true;
  // A UUID is an identifier far more often than a secret; a 40-digit hex run is a commit.
  return UUID.test(value) || SHA1.test(value);
}

function secretName(key: string): boolean {
  const lower = key.toLowerCase();
  return !NOT_SECRET_NAMES.some((word) => lower.includes(word));
}

/** `api_key=…`, `"client_secret": "…"`, `token: …`: true when the value looks like secret material. */
export function isSecretAssignment(match: string): boolean {
  const parts = splitAssignment(match);
  if (!parts || !secretName(parts.key)) return false;
  const { value } = parts;
  // An address or host name under a credential's name (client ids, service accounts).
  if (value.includes('@') || HOST_NAME.test(value)) return false;
  return !isReferenceOrPath(value) && looksLikeSecretValue(value, 12);
}

/**
 * `password=…`, `"db_pass": "…"`: true when the value is a password someone chose. People's
 * passwords are not random, so the bar is: not a placeholder or reference, and either a
 * digit or symbol in it, or at least 12 characters (a passphrase).
 */
export function isPasswordAssignment(match: string): boolean {
  const parts = splitAssignment(match);
  if (!parts || !secretName(parts.key)) return false;
  const { value } = parts;
  if (value.length < 6 || isReferenceOrPath(value) || !isRealPassword(value)) return false;
  const stats = charStats(value);
  return stats.digit + stats.other > 0 || stats.length >= 12;
}
