/** The SQL tokenizer: strings, identifiers, comments and depth, the way a database reads them. */
import { describe, expect, test } from 'vitest';
import { tokenizeSql } from '../../../src/inspect/detectors/sql/lexer.js';

// Tokens as "type:value", comments marked trailing with a `+`.
function shape(text: string): string[] {
  return tokenizeSql(text).map((t) => `${t.type}:${t.value}${t.trailing ? '+' : ''}${t.unterminated ? '!' : ''}`);
}

describe('tokenizeSql', () => {
  test.each([
    ['words are lower-cased', 'SELECT Id', ['word:select', 'word:id']],
    ['a doubled quote stays in the string', "'O''Brien'", ["string:O'Brien"]],
    ['a backslash is a backslash in standard strings', "'a\\'", ['string:a\\']],
    ['-- inside a string is text', "'x -- y'", ['string:x -- y']],
    ['a trailing line comment', 'id = 1 -- note', ['word:id', 'op:=', 'number:1', 'comment: note+']],
    ['a leading line comment', '-- note\nSELECT 1', ['comment: note', 'word:select', 'number:1']],
    ['# is a comment', 'x#', ['word:x', 'comment:+']],
    ['#> is an operator', "d #> '{a}'", ['word:d', 'op:#>', 'string:{a}']],
    ['a block comment', 'a/**/b', ['word:a', 'comment:+', 'word:b']],
    ['an open block comment', 'a /* b', ['word:a', 'comment: b+!']],
    ['an open string', "'abc", ['string:abc!']],
    ['quoted identifiers', '"a b" `c`', ['ident:a b', 'ident:c']],
    ['prefixed strings', "N'x' E'y'", ['string:x', 'string:y']],
    ['dollar quoting', '$$ a; b $$', ['string: a; b ']],
    ['numbers', '0x61 1.5e3 .5', ['number:0x61', 'number:1.5e3', 'number:.5']],
    ['system variables are words', '@@version', ['word:@@version']],
    ['operators', 'a <> b || c', ['word:a', 'op:<>', 'word:b', 'op:||', 'word:c']],
  ])('%s', (_, text, expected) => {
    expect(shape(text)).toEqual(expected);
  });

  test('reads a backslash as an escape when asked (MySQL)', () => {
    expect(tokenizeSql("'a\\'b'", true).map((t) => t.value)).toEqual(["a'b"]);
  });

  test('tracks parenthesis depth', () => {
    expect(tokenizeSql('f((a))').map((t) => t.depth)).toEqual([0, 0, 1, 2, 1, 0]);
  });

  test('reads long input in one pass', () => {
    expect(tokenizeSql("'a', ".repeat(50_000))).toHaveLength(100_000);
    expect(tokenizeSql(`/*${'x'.repeat(200_000)}`)).toHaveLength(1);
  });

  test('reads comments per dialect: # is an operator without hashComments, --x is code when -- needs a space', () => {
    const kinds = (text: string, dialect = {}) => tokenizeSql(text, false, dialect).map((t) => t.type);
    expect(kinds('1 # 2')).toEqual(['number', 'comment']);
    expect(kinds('1 # 2', { hashComments: false })).toEqual(['number', 'op', 'number']);
    expect(kinds('1 --1')).toEqual(['number', 'comment']);
    expect(kinds('1 --1', { dashNeedsSpace: true })).toEqual(['number', 'op', 'op', 'number']);
    expect(kinds('1 -- 1', { dashNeedsSpace: true })).toEqual(['number', 'comment']);
  });

  test('ends a line comment at a bare CR too (PostgreSQL does)', () => {
    expect(tokenizeSql('-- x\rDELETE').map((t) => t.type)).toEqual(['comment', 'word']);
  });
});
