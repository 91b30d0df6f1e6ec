import { describe, expect, test } from 'vitest';
import { sqlCodeStart, sqlHead } from '../../../src/inspect/detectors/sql/lead.js';
import { kindsOf } from '../../../src/inspect/kinds.js';

describe('sqlCodeStart: where a database starts reading code', () => {
  test.each<[string, string]>([
    ['SELECT 1', 'SELECT 1'],
    ['  \n\tSELECT 1', 'SELECT 1'],
    ['/* a */ DROP TABLE t', 'DROP TABLE t'],
    ['-- a\nDROP TABLE t', 'DROP TABLE t'],
    ['-- a\rDROP TABLE t', 'DROP TABLE t'],
    ['# a\nDROP TABLE t', 'DROP TABLE t'],
    [';; (( DELETE FROM t', 'DELETE FROM t'],
    ['/*!50000 DROP TABLE t */', 'DROP TABLE t */'],
    ['/* open', ''],
    ['-- only a comment', ''],
  ])('%j', (text, rest) => {
    expect(text.slice(sqlCodeStart(text))).toBe(rest);
  });

  test('is linear on many comments', () => {
    const text = '--\n'.repeat(100_000) + 'DROP TABLE t';
    expect(sqlHead(text, 4)).toBe('DROP');
  });
});

describe('kindsOf: a SQL argument is SQL whatever precedes its first keyword', () => {
  const sqlKind = (raw: string, key = 'query') => kindsOf({ path: key, key, isKey: false, raw, variants: [] }).has('sql');
  test.each(['/* x */ DROP TABLE t', '-- x\nDELETE FROM t', '#x\nUPDATE t SET a = 1', ';SELECT 1', '(SELECT 1)', "COPY t TO PROGRAM 'id'"])('%j', (raw) => {
    expect(sqlKind(raw)).toBe(true);
  });
  test.each(['best pizza near me', 'copy paste shortcuts', '-- just a dash line'])('not SQL: %j', (raw) => {
    expect(sqlKind(raw)).toBe(false);
  });
});
