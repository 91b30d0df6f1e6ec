/**
 * The secret rules of a rule set as a text redactor, for the audit trail: the same rules
 * (patterns and validators) argument inspection refuses a credential by, read in the same
 * decoded spellings (URL, base64, escapes, …), so the record of a call never holds in clear
 * what the call was refused for.
 */
import type { CompiledRule } from '../rules/rule-types.js';
import { buildVariants, DEFAULT_NORMALIZE_LIMITS } from './normalize/index.js';
import type { Variant } from './normalize/variants.js';
import { mayBeEncoded } from './normalize/variants.js';
import { LowerCase, lowerSameLength } from './lower-case.js';
import type { Reading } from './pattern-rules.js';
import { has, ruleIndexOf, type RuleIndex, type SpellingScan } from './rule-index.js';
import { redact, redactionKind } from './results/redact.js';
import { secretReadings } from './secret-readings.js';

// Shorter text holds no secret any rule finds, in any spelling.
const MIN_ENCODED_CHARS = 16;
// The memory of recent redactions: this many strings, each at most this long.
const MEMO_ENTRIES = 4096;
const MEMO_MAX_CHARS = 512;
// What is written for a text the decoders will not read.
const UNREADABLE = '[REDACTED:unreadable]';

function redactText(text: string, secrets: readonly CompiledRule[], read?: Reading): string {
  const plain = redact(text, secrets, undefined, undefined, read).text;
  if (plain.length < MIN_ENCODED_CHARS) return plain;
  let variants: readonly Variant[];
  try {
    variants = buildVariants(plain, DEFAULT_NORMALIZE_LIMITS);
  } catch {
    // The decoders will not read it (it grows past their bounds): what it decodes to was not
    // checked, so it is withheld whole. (Thrown on, it escaped from the audit's flush timer.)
    return UNREADABLE;
  }
  for (const variant of variants) {
    const [rule] = redact(variant.text, secrets).hits.keys();
    if (rule !== undefined) return `[REDACTED:${redactionKind(rule)} (${variant.via})]`;
  }
  // Spaced out, grouped with dashes, reversed, lower-cased: read undone, as inspection does.
  for (const reading of secretReadings([{ path: '', key: undefined, isKey: false, raw: plain, variants: [] }], secrets)) {
    const [rule] = redact(reading.raw, secrets).hits.keys();
    if (rule !== undefined) return `[REDACTED:${redactionKind(rule)} (${reading.path.trim().replace(/^\(|\)$/g, '')})]`;
  }
  return plain;
}

// Text this long or longer goes the whole way: below it, findAllSpans runs a rule only where
// a keyword of it was found and the index says one of its patterns may match (its short-text
// path), which is what the pre-test below asks, of the same index.
const PRE_TEST_BELOW = 2048;
// Four-character starts of an AWS key id, which secretReadings reads upper-cased.
const AWS_STARTS = ['akia', 'asia', 'abia', 'acca'];
// [A-Za-z0-9_+/=-], the characters of secretReadings' LONG_RUN (what it reverses).
const TOKEN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=-') TOKEN[c.charCodeAt(0)] = 1;
// [A-Za-z0-9_], what GROUPED's groups are made of (out of range, NaN included: undefined).
const WORD = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_') WORD[c.charCodeAt(0)] = 1;

// Whether findAllSpans would run any of `secrets` on short text with this scan: the same two
// tests it makes (a keyword of the rule found, and some pattern that may match).
function someRuleMayRun(secrets: readonly CompiledRule[], positions: ReadonlyArray<number | undefined>, index: RuleIndex, scan: SpellingScan): boolean {
  for (let j = 0; j < secrets.length; j++) {
    const i = positions[j];
    if (i === undefined) return true;
    if (secrets[j]!.keywords && !has(scan.woken, i)) continue;
    if (index.mayRun(i, scan)) return true;
  }
  return false;
}

// Whether a decoder or secretReadings could make another spelling of `text` (which no secret
// rule matches as written): mayBeEncoded, or a reading spaced out (twelve spaces at least),
// grouped with dashes (three between word characters at least), an AWS key id lower-cased,
// or a run of sixteen token characters to reverse. Shorter text gets neither.
function mayReadAnotherWay(text: string): boolean {
  if (text.length < MIN_ENCODED_CHARS) return false;
  if (mayBeEncoded(text)) return true;
  let spaces = 0;
  let dashes = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) spaces++;
    // A dash between two word characters, as each of GROUPED's dashes is.
    else if (c === 0x2d && WORD[text.charCodeAt(i - 1)] === 1 && WORD[text.charCodeAt(i + 1)] === 1) dashes++;
    if (c < 128 && TOKEN[c] === 1) {
      if (++run >= 16) return true;
    } else run = 0;
  }
  return spaces >= 12 || dashes >= 3 || AWS_STARTS.some((start) => text.includes(start));
}

// The pre-test and, for text it lets on, the reading (lower case and keyword scan) that
// redact then reuses instead of scanning again.
function preRead(secrets: readonly CompiledRule[]): (text: string) => Reading | undefined | false {
  // Looked up on first use, not when the redactor is made on the way to starting the server.
  let index: RuleIndex | undefined;
  let positions: Array<number | undefined> = [];
  return (text) => {
    if (text.length >= PRE_TEST_BELOW) return undefined;
    if (index === undefined) {
      index = ruleIndexOf(secrets);
      positions = secrets.map((rule) => index!.indexOf(rule));
    }
    const lower = lowerSameLength(text);
    const scan = index.scan(lower);
    return someRuleMayRun(secrets, positions, index, scan) || mayReadAnotherWay(text) ? { text, lower: new LowerCase(text, lower), index, scan } : false;
  };
}

/**
 * False when the redactor below cannot change `text`: findAllSpans would run no secret rule
 * on it (none has a keyword found in it and a pattern the index says may match), no decoder
 * reads anything in it, and secretReadings makes no reading of it (see mayReadAnotherWay).
 * Most audit strings are such text, and skip the patterns, the decoders and the readings.
 * `secrets` must be the array the redactor runs (the index is that array's).
 */
export function secretRulesPreTest(secrets: readonly CompiledRule[]): (text: string) => boolean {
  const read = preRead(secrets);
  return (text) => read(text) !== false;
}

/**
 * A function replacing every match of the set's secret rules with `[REDACTED:<kind>]`. A
 * secret found only in a decoded spelling cannot be cut out of the encoded text, so the whole
 * string is replaced.
 */
export function buildSecretRedactor(rules: readonly CompiledRule[], options: { preTest?: boolean } = {}): (text: string) => string {
  const secrets = rules.filter((rule) => rule.category === 'secrets' && rule.regexes.length > 0);
  // Audit records repeat many short strings (tool names, keys, paths): their redaction is
  // remembered, bounded in entries and in size (only short strings are kept).
  // Two generations, the older dropped whole when the newer is full: a Map's oldest entry,
  // deleted one at a time, leaves holes that each later look-up of the oldest walks over.
  let recent = new Map<string, string>();
  let older = new Map<string, string>();
  const pre = preRead(secrets);
  // (Off only in the tests that compare the two.)
  const preTest = options.preTest ?? true;
  return (text) => {
    const known = recent.get(text) ?? older.get(text);
    if (known !== undefined) return known;
    const read = preTest ? pre(text) : undefined;
    const redacted = read === false ? text : redactText(text, secrets, read);
    if (text.length <= MEMO_MAX_CHARS) {
      if (recent.size >= MEMO_ENTRIES / 2) {
        older = recent;
        recent = new Map();
      }
      recent.set(text, redacted);
    }
    return redacted;
  };
}
