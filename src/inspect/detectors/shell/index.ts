/** The shell detector (pack name `shell`): commands smuggled into command-line arguments. */
export { shellDetector, inspectCommand } from './detector.js';
export { SHELL_RULES, SHELL_RULE_IDS, type ShellRuleId } from './rule-ids.js';
export { parseShell } from './lexer.js';
