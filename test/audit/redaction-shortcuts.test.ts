/**
 * The audit's shortcuts are exact: the pre-test that lets plain text skip the secret shapes
 * never skips text a shape would change, over the rule packs' examples, every string of the
 * corpora, and many generated strings built from the shapes' own pieces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretRedactor, mayHoldSecretShape, secretShapes, redactAllShapes, redactSecretsInText } from '../../src/audit/secret-patterns.js';
import { shippedRules } from '../../src/inspect/build.js';
import { buildSecretRedactor, secretRulesPreTest } from '../../src/inspect/secret-redactor.js';
import { corpusItemStrings } from '../inspect/corpus-strings.js';
import { scaled } from '../test-scale.js';

// A small deterministic generator, so a failure names a string that can be made again.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    state ^= state >>> 13;
    return state / 2 ** 32;
  };
}

// Pieces of every shape, whole and cut, with and without their separators, in several cases.
const PIECES = [
  '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', 'BEGIN PRIVATE KEY', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  'postgres://', 'user:', 'hunter2@', 'https://admin:', 'db.example.com', '@host',
  'password', 'Password', 'PASSWD', 'pwd', 'token', 'api_key', 'apikey', 'x-api-key', 'secret', 'client_secret', 'authorization', 'Authorization: ',
  '=', ':', ': ', '= ', '"', "'", '\\"', ' ', '  ', '\n', '\t', '&', ';', ',',
  'Bearer ', 'bearer', 'BEARER', 'Basic ', 'Token ', 'Digest ',
  'ghp_', 'gho_', 'github_pat_', 'gh', 'sk-', 'sk', 'rk_live_', 'pk_test_', 'sk_live_', 'k_', 'live', 'test',
  'AKIA', 'ASIA', 'ABIA', 'ACCA', 'akia', 'AKI', 'IOSFODNN7EXAMPLE', 'ABCDEFGHIJKLMNOP', 'QRSTUVWXYZ234567',
  'xoxb-', 'xoxp', 'xox', 'AIza', 'aiza', 'AIz', 'npm_', 'npm', 'eyJ', 'eyj', 'eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiIxIn0', '.',
  'abcdefghijklmnopqrstuvwxyz0123456789', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789abcdef', 'hello vanguard', 'The quick brown fox',
  '/srv/data/reports/q3.md', '-', '_', 'é', '😀', '\u0000',
];

function generated(count: number): string[] {
  const next = random(13);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const parts = 1 + Math.floor(next() * 8);
    for (let p = 0; p < parts; p++) text += PIECES[Math.floor(next() * PIECES.length)];
    out.push(text);
  }
  return out;
}

// The same strings with every pre-test mark taken out (or changed), so that both sides of it are exercised.
const withoutMarks = (text: string): string[] => [text.replace(/[:=_-]/g, ''), text.replace(/[:=_-]/g, ' '), text.replace(/[:=]/g, '.')];

const examples = shippedRules().rules.flatMap((rule) => [...rule.examples.match, ...rule.examples.nomatch].map((e) => (typeof e === 'string' ? e : JSON.stringify(e.args))));

describe('the secret shapes pre-test', () => {
  it('skips only text every shape leaves as it is', () => {
    const all = [...examples, ...corpusItemStrings(['args', 'text', 'result'], 64 * 1024), ...generated(20_000)];
    let skipped = 0;
    let changed = 0;
    const wrong: string[] = [];
    for (const text of all.flatMap((t) => [t, ...withoutMarks(t)])) {
      const full = redactAllShapes(text);
      if (full !== text) changed++;
      if (!mayHoldSecretShape(text)) {
        skipped++;
        if (full !== text) wrong.push(text);
      }
      if (redactSecretsInText(text) !== full) wrong.push(text);
    }
    expect(wrong).toEqual([]);
    // Both sides are exercised: many strings skip the shapes, many are redacted by them.
    expect(examples.length).toBeGreaterThan(100);
    expect(skipped).toBeGreaterThan(20_000);
    expect(changed).toBeGreaterThan(2_000);
  }, 120_000);

  // Read from the shapes themselves, so a shape added later without one of the pre-test's
  // marks fails here rather than going unrun. Texts are generated from each pattern (without
  // \b, which only narrows what matches, and without the i flag, each letter's case then
  // flipped at random, which the case-blind marks do not see) and must each keep a mark.
  it('every text any shape matches holds one of the pre-test marks', () => {
    const shapes = secretShapes();
    expect(shapes.length).toBeGreaterThanOrEqual(12);
    for (const { name, regex } of shapes) {
      const source = regex.source.replace(/\\b/g, '');
      const texts = fc.sample(fc.tuple(fc.stringMatching(new RegExp(`^(?:${source})$`), { size: 'xsmall' }), fc.infiniteStream(fc.boolean())), { numRuns: scaled(300), seed: 7 });
      for (const [text, flips] of texts) {
        const flipped = regex.flags.includes('i') ? [...text].map((ch) => (flips.next().value ? ch.toUpperCase() : ch.toLowerCase())).join('') : text;
        expect(mayHoldSecretShape(flipped), `${name}: ${JSON.stringify(flipped.slice(0, 80))}`).toBe(true);
      }
    }
  });

  it('lets plain text through with no shape run, and stops at each mark', () => {
    for (const plain of ['hello vanguard', 'The quick brown fox jumps over the lazy dog.', 'echo', 'tools/call', '/srv/data/report.md']) expect(mayHoldSecretShape(plain)).toBe(false);
    for (const marked of ['a:b c', 'a=b c', 'a_b c', 'a-b c', 'Bearer x', 'xAKIAx', 'xAIzax', 'x.eyJx']) expect(mayHoldSecretShape(marked), marked).toBe(true);
  });

  it('the audit redactor remembers shaped strings and gives what running every shape gives, first time or again', () => {
    const plainSink = createSecretRedactor();
    const marked = (text: string) => `<${text}>`;
    const withRules = createSecretRedactor(marked);
    const all = [...examples, ...generated(5_000)];
    const wrong: string[] = [];
    // Twice over: the second pass reads what the memory kept (and what it evicted when full).
    for (const text of [...all, ...all]) {
      const full = redactAllShapes(text);
      if (plainSink(text) !== full) wrong.push(text);
      if (withRules(text) !== (full.length < 5 ? full : marked(full))) wrong.push(text);
    }
    expect(wrong).toEqual([]);
  });
});

// The secret rules' pre-test (src/inspect/secret-redactor.ts): text it lets skip the rules is
// text the rules' redactor, run all the way (keyword scan, patterns, decoded spellings and the
// readings that undo spacing, dashes, reversal and lower case), leaves as it is.
describe('the secret rules pre-test', () => {
  const rules = shippedRules().rules;
  const secrets = rules.filter((rule) => rule.category === 'secrets' && rule.regexes.length > 0);
  const mayChange = secretRulesPreTest(secrets);
  const full = buildSecretRedactor(rules, { preTest: false });
  const quick = buildSecretRedactor(rules);

  // Each match example of a secret rule, also written the ways the redactor reads back, and
  // with ordinary text around it.
  function disguised(): string[] {
    const out: string[] = [];
    const next = random(29);
    const matches = secrets.flatMap((rule) => rule.examples.match.map((e) => (typeof e === 'string' ? e : JSON.stringify(e.args))));
    for (const m of matches) {
      const token = m.split(/\s+/).sort((a, b) => b.length - a.length)[0] ?? m;
      out.push(m, token, `see ${m} now`, token.toLowerCase(), token.toUpperCase(), [...token].reverse().join(''), [...token].join(' '), `id ${[...token].join(' ')} end`);
      out.push(token.replace(/(.{4})(?=.)/g, '$1-'), token.replace(/(.{6})(?=.)/g, '$1-'), Buffer.from(token).toString('base64'), encodeURIComponent(token).replace(/./g, (c) => (next() < 0.3 ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)));
      // Cut short and padded, so that the shape bounds are met only just, or not.
      for (const cut of [1, 2, 4]) out.push(token.slice(0, -cut), token.slice(cut), `x${token.slice(0, -cut)}y`);
      for (const keyword of secrets.flatMap((rule) => rule.keywords ?? []).filter(() => next() < 0.02)) out.push(`${keyword} ${token.slice(0, 12)}`, `${keyword}${token.slice(-20)}`, `${keyword}: ${token.slice(0, 10).replace(/(..)(?=.)/g, '$1-')} and more`);
    }
    return out;
  }

  it('skips only text the rules leave as it is', () => {
    const all = [...examples, ...disguised(), ...corpusItemStrings(['args', 'text', 'result'], 64 * 1024), ...generated(20_000)];
    let skipped = 0;
    let changed = 0;
    const wrong: string[] = [];
    for (const text of all) {
      const redacted = full(text);
      if (redacted !== text) changed++;
      if (!mayChange(text)) {
        skipped++;
        if (redacted !== text) wrong.push(text);
      }
      if (quick(text) !== redacted) wrong.push(text);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    // Both sides are exercised: many strings skip the rules, many are redacted by them.
    expect(skipped).toBeGreaterThan(10_000);
    expect(changed).toBeGreaterThan(1_000);
  }, 180_000);

  // Texts made from each secret pattern itself, as short as it allows (so a bound of the
  // pre-test that is off by a few characters shows), alone and inside ordinary text.
  it('skips no text made from a secret pattern that the rules would change', () => {
    const wrong: string[] = [];
    let made = 0;
    let changed = 0;
    for (const rule of secrets) {
      for (const regex of rule.regexes) {
        let texts: string[];
        try {
          const source = regex.source.replace(/\\b/g, '');
          texts = fc.sample(fc.stringMatching(new RegExp(`^(?:${source})$`, regex.flags.replace(/[gy]/g, '')), { size: 'xsmall' }), { numRuns: scaled(60), seed: 11 });
        } catch {
          continue; // a pattern fast-check cannot read (lookbehind and the like)
        }
        for (const match of texts) {
          for (const text of [match, `see ${match} here`, `${match}\n`]) {
            made++;
            const redacted = full(text);
            if (redacted !== text) changed++;
            if (!mayChange(text) && redacted !== text) wrong.push(`${rule.id}: ${JSON.stringify(text.slice(0, 100))}`);
          }
        }
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(made).toBeGreaterThan(scaled(3_000));
    expect(changed).toBeGreaterThan(scaled(500));
  }, 180_000);

  it('lets typical call text through, and stops at what a rule, a decoder or a reading needs', () => {
    for (const plain of ['hello vanguard 17', 'git log --oneline -n 20', "SELECT id, name FROM users WHERE created_at > '2026-01-01' LIMIT 50", 'Deploy finished; all checks green. Thanks everyone!', 'read_file']) expect(mayChange(plain), plain).toBe(false);
    for (const marked of ['/srv/data/reports/2026-q3.md', 'a%20b and more text', 'a b c d e f g h i j k l m n', 'ab-cd-ef-gh and more', 'x 12-34-56-78 and more', 'the akia of it all here', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789']) expect(mayChange(marked), marked).toBe(true);
  });
});
