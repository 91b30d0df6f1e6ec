/**
 * The rules the shell detector reports, with their severities and what the model reads.
 * Each is declared, with examples, in policies/rules/command-injection.yaml; a test keeps
 * the two in step.
 */
import type { Severity } from '../../types.js';

interface RuleInfo {
  severity: Severity;
  message: string;
}

/** Severity and message of each rule the shell detector reports, as in the rule pack. */
export const SHELL_RULES = {
  'cmd.chained-probe': {
    severity: 'high',
    message: 'A command that only probes the host (id, whoami, uname, ping…) is chained or substituted into the command line; run the command you need on its own.',
  },
  'cmd.pipe-to-interpreter': {
    severity: 'critical',
    message: 'Output is piped into a shell or interpreter that runs it as code; write the commands out, or save the script to a file and review it first.',
  },
  'cmd.pipe-to-network': {
    severity: 'high',
    message: 'Output is piped into a network tool that sends it elsewhere; write results to a file in the workspace instead.',
  },
  'cmd.pipe-into-non-reader': {
    severity: 'high',
    message: 'A pipe feeds a command that does not read its input, which only serves to start a second command; run each command on its own.',
  },
  'cmd.pipe-unknown': {
    severity: 'medium',
    message: 'A pipe feeds a command that is not a known filter; pipe into standard tools (grep, head, sort, jq…) or run the command on its own.',
  },
  'cmd.substitution': {
    severity: 'medium',
    message: 'The command line runs another command through substitution ($(…), backticks or <(…)); run that command separately and pass its result literally.',
  },
  'cmd.newline-chain': {
    severity: 'high',
    message: 'An encoded or escaped newline starts a second command inside what reads as one line; send one command, on one line, in plain text.',
  },
  'cmd.obfuscated-command': {
    severity: 'high',
    message: 'A command name or sensitive path is disguised with quotes, escapes, globs or expansions (like c\'\'url or /???/c?t); write names plainly.',
  },
  'cmd.ifs-evasion': {
    severity: 'high',
    message: 'The command uses $IFS in place of spaces, a trick to slip past filters; write spaces plainly.',
  },
  'cmd.quote-breakout': {
    severity: 'high',
    message: 'The argument closes a surrounding quote and then chains another command; send only the value, without quotes or separators.',
  },
  'cmd.sensitive-redirect': {
    severity: 'high',
    message: 'The command writes to a system, start-up, credential or device file; write to a file in the workspace instead.',
  },
} as const satisfies Record<string, RuleInfo>;

/** A shell rule id. */
export type ShellRuleId = keyof typeof SHELL_RULES;

/** Every shell rule id. */
export const SHELL_RULE_IDS = Object.keys(SHELL_RULES) as ShellRuleId[];
