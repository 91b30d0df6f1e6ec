/** The SQL detector (pack name `sql`): injection shapes in arguments that are SQL. */
export { sqlDetector, inspectSql, analyseSql } from './detector.js';
export { SQL_RULES, SQL_RULE_IDS, type SqlRuleId } from './rule-ids.js';
export { tokenizeSql } from './lexer.js';
