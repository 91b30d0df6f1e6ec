/**
 * The SQL tokenizer read by code unit, and the constant-condition check without its per-token
 * callback, held to the versions they replaced (test/inspect/reference/sql/): the same tokens,
 * every field, for every reading (backslash escapes, MySQL's `--`, `#` as no comment), and the
 * same hits, on the pack's examples, the corpora's strings and generated SQL-shaped text:
 * quotes doubled, escaped and left open, comments of every kind, dollar quoting, prefixed
 * strings, numbers of every form (and longer than the 256 characters a number is read from),
 * operators, whitespace beyond ASCII and lone surrogates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tautologies } from '../../../src/inspect/detectors/sql/conditions.js';
import { tokenizeSql, type SqlCommentDialect } from '../../../src/inspect/detectors/sql/lexer.js';
import { statementsOf } from '../../../src/inspect/detectors/sql/structure.js';
import { shippedRules } from '../../../src/inspect/build.js';
import { tautologies as tautologiesBefore } from '../reference/sql/conditions-before.js';
import { tokenizeSql as tokenizeBefore } from '../reference/sql/lexer-before.js';
import { corpusStrings } from '../corpus-strings.js';
import { scaled, scaledItems } from '../../test-scale.js';

const READINGS: Array<[boolean, SqlCommentDialect]> = [[false, {}], [true, {}], [true, { dashNeedsSpace: true }], [false, { hashComments: false }], [false, { hashComments: true, dashNeedsSpace: true }]];

function expectSame(text: string): void {
  for (const [escapes, dialect] of READINGS) {
    const tokens = tokenizeSql(text, escapes, dialect);
    expect(tokens).toStrictEqual(tokenizeBefore(text, escapes, dialect));
    expect(tautologies(statementsOf(tokens))).toStrictEqual(tautologiesBefore(statementsOf(tokens)));
  }
}

const pieces = [
  'SELECT', 'select', 'FROM', 'WHERE', 'where', 'OR', 'or', 'AND', 'UNION', 'ORDER BY', 'LIMIT', 'update', 'set', 'delete', 'drop table', 'with', 'explain',
  ' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u000b', '\u000c', '\u0000', '\ud800', '\udc00',
  "'", "''", "'a'", "'it''s'", "'a\\'b'", '\\', '"', '""', '"x"', '`', '`t`', "N'x'", "E'x\\'y'", "x'ff'", "U&'d'", 'n', 'e', 'u&',
  '--', '-- c', '--x', '-', '#', '#>', '#>>', '/*', '*/', '/* c */', '/*!', '/**/', '$$', '$tag$', '$1', '$', '$a$b$a$',
  '1', '1=1', '0x1f', '0b101', '1.5e10', '.5', '1.', '1e', '1e+', '9'.repeat(300), '.' + '7'.repeat(260),
  '=', '<>', '!=', '<=>', '->>', '::', '||', '&&', '(', ')', '((', '))', ';', ',', '.', '*', '+', '@', '@@version', 'é', '무', 'true', 'false', 'null', 'like', 'x', 'id', 'name',
];
const sqlish = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 5 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 30 }).map((p) => p.join(''));

describe('SQL tokenizer and constant conditions: the same answers as the versions they replaced', () => {
  it('on the SQL rules\' examples and listed shapes', () => {
    const examples = shippedRules().rules.filter((r) => r.category === 'sql-injection').flatMap((r) => [...r.examples.match, ...r.examples.nomatch]);
    const texts = examples.flatMap((e) => (typeof e === 'string' ? [e] : JSON.stringify(e)));
    for (const text of [...texts, ...pieces, "SELECT id, name FROM users WHERE created_at > '2026-01-01' LIMIT 50", "' OR 1=1 --", 'a' + '1'.repeat(256) + 'x', '1'.repeat(255), '1'.repeat(256), '1'.repeat(257)]) expectSame(text);
    expect(texts.length).toBeGreaterThan(50);
  });

  it('on the corpora\'s strings', () => {
    for (const text of scaledItems(corpusStrings(20_000))) expectSame(text);
  }, 300_000);

  it('on generated SQL-shaped text (property)', () => {
    fc.assert(fc.property(sqlish, (text) => expectSame(text)), { numRuns: scaled(3000) });
  });

  it('on numbers near the end of the text and far from it', () => {
    for (let pad = 0; pad < 300; pad += 7) {
      for (const num of ['1', '12.5e-3', '0x' + 'f'.repeat(pad), '9'.repeat(pad + 1), '.' + '5'.repeat(pad)]) {
        expectSame(num + ' '.repeat(pad));
        expectSame('x ' + num);
        expectSame(num.repeat(3));
      }
    }
  });
});
