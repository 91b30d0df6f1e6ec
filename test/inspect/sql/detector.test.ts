/** The SQL detector on SQL arguments: injection shapes found, real queries left alone. */
import { describe, expect, test } from 'vitest';
import { analyseSql, sqlDetector } from '../../../src/inspect/detectors/sql/detector.js';
import type { ArgumentKind, InspectContext, InspectedString } from '../../../src/inspect/types.js';

function sql(raw: string, variants: Array<{ text: string; via: string }> = []): InspectedString {
  return { path: 'sql', key: 'sql', isKey: false, raw, variants };
}

function context(kinds: ArgumentKind[] = ['sql', 'text']): InspectContext {
  return {
    tool: 'query',
    kindsOf: () => new Set(kinds),
    paths: { roots: [], deny: [], cwd: '/srv/data', home: '/home/u', realpath: (p) => p },
    network: { allowHosts: [], denyHosts: [] },
  };
}

const rulesOf = (text: string): string[] => [...new Set(analyseSql(text).map((h) => h.ruleId))];

describe('sql detector', () => {
  test.each([
    ['stacked DROP', 'SELECT * FROM t WHERE id = 1; DROP TABLE users', 'sql.stacked-query'],
    ['stacked EXEC', "SELECT 1;EXEC xp_cmdshell 'id'", 'sql.stacked-query'],
    ['DELETE without WHERE', 'DELETE FROM users', 'sql.unscoped-write'],
    ['UPDATE whose only WHERE is in a subquery', 'UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1)', 'sql.unscoped-write'],
    ['admin--', "SELECT id FROM users WHERE username = 'admin'--' AND password_hash = 'x'", 'sql.comment-truncation'],
    ['OR 1=1#', 'SELECT id FROM users WHERE id = 1 OR 1=1#', 'sql.comment-truncation'],
    ['an open /*', "SELECT id FROM users WHERE username = 'admin'/*' AND p = 'x'", 'sql.comment-truncation'],
    ['UN/**/ION', 'SELECT 1 UN/**/ION SELECT 2', 'sql.comment-obfuscation'],
    ['/*!…*/', 'SELECT 1 /*!UNION*/ SELECT 2', 'sql.comment-obfuscation'],
    ['OR 1=1', 'SELECT * FROM t WHERE id = 1 OR 1=1', 'sql.tautology'],
    ['AND 1=0', 'SELECT * FROM t WHERE id = 1 AND 1=0', 'sql.tautology'],
    ["'a'='a'", "SELECT * FROM t WHERE n = '' OR 'a'='a'", 'sql.tautology'],
    ['parenthesised', "SELECT * FROM t WHERE n = '') or ('x')=('x'", 'sql.tautology'],
    ['x=x', 'SELECT * FROM t WHERE id = 1 OR x=x', 'sql.tautology'],
    ['LIKE on constants', "SELECT * FROM t WHERE id = 1 OR 3409=3409 AND ('a' LIKE 'a", 'sql.tautology'],
    ['CASE WHEN constants', 'SELECT * FROM t WHERE id = 1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0 END))', 'sql.tautology'],
    ['OR TRUE', "SELECT * FROM t WHERE n = '' OR TRUE", 'sql.tautology'],
    ['a second WHERE 1=1', 'SELECT * FROM t WHERE id = 1 WHERE 1=1', 'sql.tautology'],
    ['HAVING 1=1', 'SELECT * FROM t WHERE id = 1 HAVING 1=1', 'sql.tautology'],
    ['ORDER BY past the columns', 'SELECT a, b FROM t ORDER BY 3', 'sql.column-probe'],
    ['ORDER BY 0', 'SELECT a FROM t ORDER BY 0', 'sql.column-probe'],
    ["''-''", "SELECT id FROM u WHERE n = ''-'' AND p = 'x'", 'sql.quote-probe'],
    ["'' ''", "SELECT id FROM u WHERE n = '' '' AND p = 'x'", 'sql.quote-probe'],
    // The pair is read past comments between its parts, as a database reads it.
    ["''/**/-/**/''", "SELECT id FROM u WHERE n = ''/**/-/**/'' AND p = 'x'", 'sql.quote-probe'],
    ["'' /*a*/ /*b*/ ''", "SELECT id FROM u WHERE n = '' /*a*/ /*b*/ '' AND p = 'x'", 'sql.quote-probe'],
    ['admin" --', `SELECT id FROM u WHERE n = 'admin" --' AND p = 'x'`, 'sql.quote-probe'],
    ['"-"', `SELECT id FROM u WHERE n = '"-"' AND p = 'x'`, 'sql.quote-probe'],
    ['an open string', "SELECT * FROM t WHERE n = 'abc", 'sql.unbalanced'],
    ['an extra )', 'SELECT * FROM t WHERE a = 1)', 'sql.unbalanced'],
    ['a backslash-escaped quote then a tautology', "SELECT * FROM t WHERE n = '\\' OR 1=1 -- '", 'sql.tautology'],
    ['stacked writes in a transaction', 'BEGIN; UPDATE a SET b = 1 WHERE id = 2; COMMIT;', 'sql.stacked-query'],
  ])('%s', (_, text, rule) => {
    expect(rulesOf(text)).toContain(rule);
  });

  test.each([
    "SELECT id, name, email FROM users WHERE created_at >= '2024-01-01' ORDER BY created_at DESC LIMIT 50",
    'SELECT country, COUNT(*) AS n FROM orders GROUP BY country ORDER BY n DESC',
    'SELECT o.id, SUM(li.qty * li.price) AS total FROM orders o JOIN line_items li ON li.order_id = o.id GROUP BY o.id HAVING SUM(li.qty * li.price) > 1000',
    "SELECT * FROM products WHERE name LIKE '%cable%' AND in_stock = true",
    "SELECT name FROM customers WHERE last_name = 'O''Brien'",
    "SELECT type, COUNT(*) FROM events WHERE type IN ('login', 'logout') AND ts > NOW() - INTERVAL '7 days' GROUP BY type",
    'SELECT email FROM customers UNION SELECT email FROM newsletter_subscribers',
    "-- monthly revenue report\nSELECT date_trunc('month', paid_at) AS month, SUM(amount) FROM payments GROUP BY 1 ORDER BY 1",
    "WITH recent AS (SELECT * FROM sessions WHERE started_at > now() - interval '1 day') SELECT user_id, count(*) FROM recent GROUP BY user_id",
    'SELECT COUNT(DISTINCT user_id) FROM page_views WHERE viewed_at::date = CURRENT_DATE - 1',
    'SELECT u.name, r.role FROM users u LEFT JOIN roles r ON r.user_id = u.id WHERE u.active',
    'EXPLAIN ANALYZE SELECT * FROM orders WHERE customer_id = 4821',
    'SELECT 1',
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY latency) FROM api_calls WHERE day = '2025-03-01'",
    'SELECT * FROM t WHERE 1=1 AND a = 2',
    'SELECT * FROM t WHERE 1=0',
    "SELECT * FROM t WHERE LENGTH('abc') = 3",
    'SELECT * FROM t WHERE a = 1 -- only the first',
    "SELECT * FROM t WHERE note = 'don''t -- stop'",
    "SELECT * FROM t -- don't include deleted",
    'SELECT 1; SELECT 2;',
    "SELECT data #> '{a,b}' FROM docs",
    'SELECT /* hint */ a FROM t',
    'SELECT a, b FROM t ORDER BY 2, 1 DESC',
    'SELECT * FROM t ORDER BY 12',
    "SELECT '' || name || '' FROM t",
    "SELECT id FROM posts WHERE body = 'say \"hi\" or not'",
    'DELETE FROM sessions WHERE expires_at < now()',
    "INSERT INTO t (a) VALUES ('x') ON CONFLICT (a) DO UPDATE SET a = 'y'",
    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
    "SELECT * FROM t WHERE path = 'C:\\temp\\'",
    "SELECT id FROM t WHERE name LIKE 'a%' ESCAPE '\\'",
    'BEGIN; SELECT 1; COMMIT;',
  ])('leaves alone: %s', (text) => {
    expect(rulesOf(text)).toEqual([]);
  });

  test('reads decoded spellings and says which', () => {
    const s = sql('SELECT * FROM t WHERE id = 1%20OR%201=1', [{ text: 'SELECT * FROM t WHERE id = 1 OR 1=1', via: 'url' }]);
    const findings = sqlDetector.inspect([s], context());
    expect(findings.map((f) => [f.ruleId, f.severity, f.evidence.endsWith('(after url)')])).toEqual([['sql.tautology', 'high', true]]);
  });

  test('only looks at arguments of kind sql', () => {
    expect(sqlDetector.inspect([sql('SELECT 1 OR 1=1')], context(['text']))).toEqual([]);
  });
});
