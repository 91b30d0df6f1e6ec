// The secret readings as they were before they were made without a list per call (issue 13:
// src/inspect/secret-readings.ts at 46b6cca, imports adjusted): the oracle of
// test/inspect/inspect-scratch-equivalence.test.ts. Not used by the product.
/**
 * Secrets written so that no pattern sees them (issue 12): spaced out (`A K I A …`), grouped
 * with dashes (`AKIA-QW3R-…`), written backwards, an AWS key id lower-cased, or split across
 * two arguments or array items (the end of one and the start of the next). Each is read again here in the form that undoes the trick, and only the secret rules
 * run on those readings. Readings are made only where the trick's shape is present, so a
 * call without one costs a few scans of its strings.
 */
import type { CompiledRule } from '../../../src/rules/rule-types.js';
import type { InspectedString } from '../../../src/inspect/types.js';

// Single characters separated by single spaces, a dozen or more, standing alone (not the
// last letter of a word before them): a spaced-out token.
const SPACED = /(^|[^A-Za-z0-9_+/=:.-])((?:[A-Za-z0-9_+/=:.-] ){12,}[A-Za-z0-9_+/=:.-])(?![A-Za-z0-9])/g;
// An AWS access key id in lower case: base32, so upper-casing it gives the key back.
// (Only the first one in a string is looked at: one is enough to read the string upper-cased.)
const LOWER_AWS = /\b(?:akia|asia|abia|acca)[a-z2-7]{16}\b/;
// Four or more groups of 2–8 characters joined by dashes: a token cut into readable groups.
const GROUPED = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9_]{2,8}(?:-[A-Za-z0-9_]{2,8}){3,}/g;
// UUIDs have that shape and are ids, not cut-up secrets: matched whole first, left as written.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Strings longer than this are not reversed (a secret split backwards in a document is rare).
const MAX_REVERSED = 16 * 1024;

function reading(s: InspectedString, how: string, text: string): InspectedString {
  return { path: `${s.path} (${how})`, key: s.key, isKey: false, raw: text, variants: [] };
}

const reversedKeywords = new WeakMap<readonly CompiledRule[], RegExp>();

// The secret rules' keywords written backwards (4 characters or more, so few ordinary words
// match), as one expression compiled once per rule set.
function backwardsKeywords(secretRules: readonly CompiledRule[]): RegExp {
  let found = reversedKeywords.get(secretRules);
  if (!found) {
    const words = new Set<string>();
    for (const rule of secretRules) for (const k of rule.keywords ?? []) if (k.length >= 4) words.add([...k.toLowerCase()].reverse().join(''));
    const alternatives = [...words].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    found = alternatives.length === 0 ? /(?!)/ : new RegExp(alternatives.join('|'), 'i');
    reversedKeywords.set(secretRules, found);
  }
  return found;
}

// Token characters, [A-Za-z0-9_+/=-], by ASCII code unit.
const TOKEN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=-') TOKEN_CHAR[c.charCodeAt(0)] = 1;
// Sixteen of them in a row: the least any secret rule matches.
const LONG_RUN = 16;

/** Whether `text` holds sixteen token characters in a row (/[A-Za-z0-9_+/=-]{16}/, read without a regex run per string). */
export function hasTokenRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && TOKEN_CHAR[c] === 1) {
      if (++run >= LONG_RUN) return true;
    } else run = 0;
  }
  return false;
}

// [A-Za-z0-9_], by ASCII code unit.
const WORD_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_') WORD_CHAR[c.charCodeAt(0)] = 1;

/**
 * The dashes of `text` with a character of [A-Za-z0-9_] on both sides. Every match of GROUPED
 * holds at least three (a UUID four), so a text with fewer is not searched for one.
 */
export function joinedDashes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('-', 1); i !== -1 && i + 1 < text.length; i = text.indexOf('-', i + 1)) {
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if (before < 128 && WORD_CHAR[before] === 1 && after < 128 && WORD_CHAR[after] === 1) n++;
  }
  return n;
}
// A value that ends, or starts, with a run of token characters: where a cut secret would be.
const ENDS_IN_TOKEN = /[A-Za-z0-9_+/=-]{4}$/;
const STARTS_WITH_TOKEN = /^[A-Za-z0-9_+/=-]{4}/;
// How much of each side of a cut is read together: more than any secret rule's match.
const CUT_WINDOW = 256;

/** The readings of a call's strings that undo a spacing, grouping, reversal or split. */
export function secretReadings(strings: readonly InspectedString[], secretRules: readonly CompiledRule[]): InspectedString[] {
  const out: InspectedString[] = [];
  const values = strings.filter((s) => !s.isKey);
  const backwards = backwardsKeywords(secretRules);
  for (const s of values) {
    const text = s.raw;
    if (text.length < 16) continue;
    if (text.includes(' ') && SPACED.test(text)) out.push(reading(s, 'spaces removed', text.replace(SPACED, (_m, before: string, run: string) => before + run.replace(/ /g, ''))));
    SPACED.lastIndex = 0;
    if (text.includes('-') && joinedDashes(text) >= 3 && GROUPED.test(text)) {
      const degrouped = text.replace(GROUPED, (run) => (UUID.test(run) ? run : run.replace(/-/g, '')));
      if (degrouped !== text) out.push(reading(s, 'dashes removed', degrouped));
    }
    GROUPED.lastIndex = 0;
    // A body with no digit is more often a word (Finnish `asiakaspalvelukeskus`) than a key id.
    const aws = LOWER_AWS.exec(text);
    if (aws && /[2-7]/.test(aws[0].slice(4))) out.push(reading(s, 'upper-cased', text.toUpperCase()));
    if (text.length <= MAX_REVERSED) {
      // Only a string with a token's run of characters can hold a secret written backwards.
      if (hasTokenRun(text) && backwards.test(text)) out.push(reading(s, 'reversed', [...text].reverse().join('')));
    }
  }
  // A secret cut in two: the end of one value and the start of the next, read as one, where
  // the one ends and the next starts with token characters (array items, a key in two fields).
  for (let i = 0; i + 1 < values.length; i++) {
    const a = (values[i] as InspectedString).raw;
    const b = (values[i + 1] as InspectedString).raw;
    if (!ENDS_IN_TOKEN.test(a) || !STARTS_WITH_TOKEN.test(b)) continue;
    const joined = a.slice(-CUT_WINDOW) + b.slice(0, CUT_WINDOW);
    out.push({ path: `${(values[i] as InspectedString).path} + ${(values[i + 1] as InspectedString).path} (joined)`, key: (values[i] as InspectedString).key, isKey: false, raw: joined, variants: [] });
  }
  return out;
}
