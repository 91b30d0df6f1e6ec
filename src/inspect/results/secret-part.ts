/**
 * Which part of a secret-rule match is the secret. Rules match a credential with its
 * label (`AWS_SECRET_ACCESS_KEY=…`, `"token": "…"`, `Authorization: Bearer …`) or inside
 * a URL (`postgres://user:password@host`); redaction replaces only the secret, so the
 * text around it (the label, the quotes of a JSON document, the host) stays readable.
 */
import { seedPhraseSpan } from '../validators/wallet.js';

// Words and white space only, a dozen words or more: a seed phrase's match, whose secret is
// the phrase in it (the words of several tokens), not its longest token.
const WORDS = /^[A-Za-z]+(?:\s+[A-Za-z]+){11,}$/;

// Characters that end a token: white space, quotes, and JSON or code punctuation.
const TOKEN = /[^\s"'`,;{}()<>[\]]+/g;
// A label before the value: letters, digits, _ . - (not only digits: 123456:ABC is a bot token).
const LABELLED = /^([A-Za-z_][\w.-]*)(?:=>|[:=])(.+)$/s;

/** [start, end) within `match` of the part to redact. */
export function secretPart(match: string): [number, number] {
  if (match.includes('-----BEGIN') || match.includes('-----begin')) return [0, match.length];
  if (WORDS.test(match)) return seedPhraseSpan(match) ?? [0, match.length];
  let best: [number, number] = [0, 0];
  for (const token of match.matchAll(TOKEN)) {
    // A pattern may take the separator before a token with it (=123456:ABC…).
    const lead = /^[=:]*/.exec(token[0])?.[0].length ?? 0;
    const text = token[0].slice(lead);
    let from = token.index + lead;
    let to = from + text.length;
    const scheme = text.indexOf('://');
    if (scheme !== -1) {
      // A URL with a password: only the password. Without one, the whole URL is the secret (a webhook).
      const at = text.lastIndexOf('@');
      const colon = text.indexOf(':', scheme + 3);
      if (at > scheme && colon !== -1 && colon < at) return [from + colon + 1, from + at];
    } else {
      const labelled = LABELLED.exec(text);
      if (labelled?.[1] !== undefined && labelled[2] !== undefined) from = to - labelled[2].length;
    }
    // The value part of a match may end in one character the pattern needed to see the end.
    while (to > from && /[^A-Za-z0-9/+=_.~:-]/.test(match[to - 1] ?? '')) to -= 1;
    if (to - from > best[1] - best[0]) best = [from, to];
  }
  return best[1] > best[0] ? best : [0, match.length];
}
