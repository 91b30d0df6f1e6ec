/**
 * requiredCharsEach: every set it gives must be held by every match, or a pattern would be
 * skipped on text it matches. Checked like requiredChars (required-chars.test.ts): on every
 * example of every shipped rule, whole and in pieces, and on generated texts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedDefinitionRules, shippedRules } from '../../src/inspect/build.js';
import { charsOf, mayMatchEach, requiredCharsEach, requiredLiteral } from '../../src/rules/required-chars.js';
import { scaled } from '../test-scale.js';

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

describe('requiredCharsEach', () => {
  const rules = [...shippedRules().rules, ...shippedDefinitionRules().rules].filter((r) => r.regexes.length > 0);

  it('never rules out a text a shipped pattern matches: every example of every rule, whole and in pieces', () => {
    let checked = 0;
    for (const rule of rules) {
      const texts = [...rule.examples.match, ...rule.examples.nomatch].flatMap(strings).map((t) => t.toLowerCase());
      for (const regex of rule.regexes) {
        const needs = requiredCharsEach(regex);
        for (const text of texts) {
          for (const piece of [text, text.slice(1), text.slice(0, -1), text.slice(text.length >> 1)]) {
            regex.lastIndex = 0;
            if (regex.test(piece)) {
              checked++;
              expect(mayMatchEach(needs, charsOf(piece)), `${rule.id} ${regex} on ${JSON.stringify(piece)}`).toBe(true);
              const literal = requiredLiteral(regex);
              if (literal !== undefined) expect(piece.includes(literal), `${rule.id} ${regex} on ${JSON.stringify(piece)} without ${JSON.stringify(literal)}`).toBe(true);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('never rules out a text a shipped pattern matches: generated texts', () => {
    const alphabet = fc.constantFrom(...'0123456789 -.+()\'"`;=#/*_abcdefghilmnorstuvwxyzACM@:%\\\n\t\u00a0é\u2028'.split(''));
    const literals = [...new Set(rules.flatMap((r) => r.regexes.map((x) => requiredLiteral(x)).filter((l): l is string => l !== undefined)))];
    const pieces = fc.constantFrom('union', 'select', 'from', ' or ', "'", 'ignore', 'previous', 'instructions', 'sleep(', 'waitfor delay', 'curl', '| sh', 'de89', '4111', ...literals);
    const regexes = rules.flatMap((r) => r.regexes.map((regex) => ({ id: r.id, regex, needs: requiredCharsEach(regex), literal: requiredLiteral(regex) })));
    fc.assert(
      fc.property(fc.array(fc.oneof(alphabet, pieces), { maxLength: 40 }).map((a) => a.join('')), (text) => {
        const chars = charsOf(text);
        for (const { id, regex, needs, literal } of regexes) {
          regex.lastIndex = 0;
          if (regex.test(text) && !mayMatchEach(needs, chars)) throw new Error(`${id} ${regex} matches ${JSON.stringify(text)} but was ruled out`);
          regex.lastIndex = 0;
          if (literal !== undefined && regex.test(text) && !text.includes(literal)) throw new Error(`${id} ${regex} matches ${JSON.stringify(text)} without ${JSON.stringify(literal)}`);
        }
      }),
      { numRuns: scaled(1500) },
    );
  });

  it('reads a required literal from the top-level sequence only', () => {
    const literal = (source: string) => requiredLiteral(new RegExp(source, 'g'));
    expect(literal('\\bunion\\s+select\\b')).toBe('select');
    expect(literal('/etc/(?:passwd|shadow)')).toBe('/etc/');
    expect(literal('ab+cd')).toBe('cd');
    expect(literal('a\\.env{1,2}x')).toBe('a.en');
    expect(literal('abc|def')).toBeUndefined();
    expect(literal('[abc]+(?:x|y)')).toBeUndefined();
    expect(requiredLiteral(/abc/gi)).toBeUndefined();
  });

  it('asks for each item of a sequence, and for one branch of an alternation', () => {
    const each = (source: string) => requiredCharsEach(new RegExp(source, 'g'));
    expect(mayMatchEach(each('\\bunion\\s+select\\b'), charsOf('hello vanguard'))).toBe(false);
    expect(mayMatchEach(each('\\bunion\\s+select\\b'), charsOf('x union select 1'))).toBe(true);
    expect(mayMatchEach(each('[a-z]{2}\\d{2} [0-9a-z]{4}'), charsOf('hello vanguard'))).toBe(false);
    expect(mayMatchEach(each('a|b'), charsOf('b'))).toBe(true);
    expect(each('x*')).toBeUndefined();
    expect(each('abc')).toHaveLength(3);
  });
});
