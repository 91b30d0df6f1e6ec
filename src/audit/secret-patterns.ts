/**
 * What a secret looks like: by the name of its key, and by the shape of its value.
 * Data plus small matchers, compiled once; every regex here is linear in its input
 * (bounded quantifiers, no nested repetition), since argument values are attacker-controlled.
 */
import { wildcardMatch } from '../util/wildcard.js';

/** The text that replaces a secret. */
export const REDACTED = '[REDACTED]';

// Separators are dropped before matching, so `api_key`, `Api-Key` and `api.key` are one name.
const SEPARATORS = /[-_.\s]/g;

// Names that are secrets wherever they appear inside a key (`dbPassword`, `x-api-key`).
const SECRET_KEY_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'apikey',
  'privatekey',
  'accesskey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'credential',
  'authorization',
  'cookie',
  'bearer',
  'connectionstring',
];

// Short names that also occur inside harmless words (`max_tokens`, `author`, `pwd` the
// directory), so they only count at the right place in the key.
const SECRET_KEY_SHAPES: readonly RegExp[] = [
  /^(?:tokens|otp|pin|csrf|xsrf)$/,
  /(?:token|auth|jwt)$/, // accessToken, oauth, id_jwt
  /^auth(?!or)/, // authToken, authHeader, but not author/authority
  /.pwd$/, // dbPwd (a bare `pwd` is usually a working directory)
  /^session(?:id|key|token|secret)?$/,
];

/** Normalise a key for the secret-name test: lower case, separators removed. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(SEPARATORS, '');
}

/** True when a key's name says its value is a secret (built-in names only). */
export function isSecretKeyName(key: string): boolean {
  // Very long keys are data, not names; skip them rather than scan them.
  if (key.length > 256) return false;
  const name = normalizeKey(key);
  if (SECRET_KEY_PARTS.some((part) => name.includes(part))) return true;
  return SECRET_KEY_SHAPES.some((shape) => shape.test(name));
}

/**
 * Compile a user key glob (`*` any run, `?` one character, case-insensitive) to a matcher.
 * Our own matcher instead of a regex-based glob library: keys are attacker-controlled and a
 * user glob like `*a*a*a*` must not backtrack exponentially. Cost is O(key × glob).
 */
export function compileKeyGlob(glob: string): (key: string) => boolean {
  const pattern = glob.toLowerCase();
  return (key: string) => wildcardMatch(pattern, key.toLowerCase());
}


/** A value pattern and what replaces a match (`$n` keeps the non-secret context). */
interface ValuePattern {
  name: string;
  regex: RegExp;
  replacement: string | ((match: string, ...groups: string[]) => string);
}

// Order matters: multi-line keys first, then contexts (URLs, `key=value`), then bare tokens.
const VALUE_PATTERNS: readonly ValuePattern[] = [
  {
    name: 'pem-private-key',
    regex:
      /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
    replacement: REDACTED,
  },
  {
    name: 'url-password',
    regex: /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#]{0,256}:)([^\s@/?#]{1,256})@/gi,
    replacement: `$1${REDACTED}@`,
  },
  {
    // `password=x`, `"token": "x y"`, `Authorization: Basic x`, query and connection strings.
    // A quoted value is redacted to its closing quote, so a secret with spaces does not leak.
    name: 'key-value',
    regex:
      /(authorization|x-api-key|api[_-]?key|access[_-]?token|refresh[_-]?token|auth[_-]?token|client[_-]?secret|secret|password|passwd|pwd|token)(\\?"?\s{0,8}[:=]\s{0,8})(?:"(?:[^"\\\n]|\\.){0,1024}"|'[^'\n]{0,1024}'|["']?((?:Basic|Bearer|Token|Digest)\s{1,8})?[^\s"'&;,]{1,512})/gi,
    replacement: (match: string, key: string, separator: string, scheme: string | undefined) => {
      const value = match.slice(key.length + separator.length);
      const open = value[0] === '"' || value[0] === "'" ? value[0] : '';
      const close = open !== '' && value.length > 1 && value.endsWith(open) ? open : '';
      return `${key}${separator}${open}${scheme ?? ''}${REDACTED}${close}`;
    },
  },
  { name: 'bearer', regex: /\b(Bearer)\s{1,8}[A-Za-z0-9._~+/=-]{8,4096}/gi, replacement: `$1 ${REDACTED}` },
  { name: 'github-token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})/g, replacement: REDACTED },
  { name: 'sk-key', regex: /\bsk-[A-Za-z0-9_-]{16,255}/g, replacement: REDACTED },
  { name: 'stripe-key', regex: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{10,255}/g, replacement: REDACTED },
  { name: 'aws-access-key-id', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, replacement: REDACTED },
  { name: 'slack-token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,255}/g, replacement: REDACTED },
  { name: 'google-api-key', regex: /\bAIza[0-9A-Za-z_-]{35}/g, replacement: REDACTED },
  { name: 'npm-token', regex: /\bnpm_[A-Za-z0-9]{36}\b/g, replacement: REDACTED },
  {
    name: 'jwt',
    regex: /\beyJ[A-Za-z0-9_-]{6,4096}\.eyJ[A-Za-z0-9_-]{6,4096}\.[A-Za-z0-9_-]{0,4096}/g,
    replacement: REDACTED,
  },
];

/** The shapes' names and patterns, read by tests that hold the pre-test below to every shape. */
export function secretShapes(): ReadonlyArray<{ name: string; regex: RegExp }> {
  return VALUE_PATTERNS.map(({ name, regex }) => ({ name, regex }));
}

// What every shape above needs somewhere in the text: a `:` or `=` (url-password, key-value),
// a `-` or `_` (PEM armour, gh?_, github_pat_, sk-, rk_live_, xox?-, npm_), `bearer` in any
// case, or the literal start of an AWS key id, a Google key or a JWT (over-read here in any case).
// Text with none of them is left as it is by every shape, and by each replacement none made.
const MAY_HOLD_SHAPE = /[:=_-]|bearer|a(?:kia|sia|bia|cca|iza)|eyj/i;

/**
 * False when no shape of {@link redactSecretsInText} can match anywhere in `text`, so that
 * the audit can leave plain text (most of it) untouched with one scan instead of twelve.
 */
export function mayHoldSecretShape(text: string): boolean {
  return text.length >= 5 && MAY_HOLD_SHAPE.test(text);
}

/** Replace every credential-shaped part of a string, whatever key it sits under (the shapes above). */
export function redactSecretsInText(text: string): string {
  // Cheap exit: every pattern needs at least five characters and one of the marks above.
  return mayHoldSecretShape(text) ? redactAllShapes(text) : text;
}

/** {@link redactSecretsInText} without its pre-test: every shape run over the text (tests compare the two). */
export function redactAllShapes(text: string): string {
  // Every pattern needs at least five characters.
  if (text.length < 5) return text;
  let out = text;
  for (const { regex, replacement } of VALUE_PATTERNS) {
    regex.lastIndex = 0;
    if (regex.test(out)) {
      regex.lastIndex = 0;
      // Two calls, not one with a union argument, so TypeScript picks the right overload.
      out = typeof replacement === 'string' ? out.replace(regex, replacement) : out.replace(regex, replacement);
    }
  }
  return out;
}

/**
 * The redactor for audit text: the shapes above, then `rules` (the secret rules inspection
 * runs, passed in at the edge: see src/inspect/secret-redactor.ts), so whatever a detector
 * can refuse as a credential is never written down in clear, not even in the record of the
 * call it refused.
 */
export function createSecretRedactor(rules?: (text: string) => string): (text: string) => string {
  const shapes = rememberedShapes();
  if (rules === undefined) return shapes;
  return (text) => {
    const shaped = shapes(text);
    return shaped.length < 5 ? shaped : rules(shaped);
  };
}

// The memory of shaped strings: this many, each at most this long.
const MEMO_ENTRIES = 1024;
const MEMO_MAX_CHARS = 256;

// redactSecretsInText with a memory: records repeat the same short strings with a shape's
// marks (tool names like read_file, keys, paths), and the shapes are pure, so each is run once.
// Two generations, the older dropped whole when the newer is full: a Map's oldest entry,
// deleted one at a time, leaves holes that each later look-up of the oldest walks over.
function rememberedShapes(): (text: string) => string {
  let recent = new Map<string, string>();
  let older = new Map<string, string>();
  return (text) => {
    if (!mayHoldSecretShape(text)) return text;
    const known = recent.get(text) ?? older.get(text);
    if (known !== undefined) return known;
    const shaped = redactAllShapes(text);
    if (text.length <= MEMO_MAX_CHARS) {
      if (recent.size >= MEMO_ENTRIES / 2) {
        older = recent;
        recent = new Map();
      }
      recent.set(text, shaped);
    }
    return shaped;
  };
}
