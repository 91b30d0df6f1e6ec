/**
 * Judging a parsed command line: which of its simple commands were smuggled in (chained
 * probes, pipes into commands that run or ignore their input, substitution, encoded
 * newlines), and which words hide what they are.
 */
import type { ShellCommand, ShellParse } from './syntax.js';
import { FILTERS, INTERPRETERS, NETWORK, NON_READERS, PROBES, SHELLS, VALUE_COMMANDS, resolveName, runsInput, type ResolvedName } from './names.js';
import type { ShellRuleId } from './rule-ids.js';
import type { ShellWord } from './word.js';

/** A rule that fired, and the span of text that made it fire. */
export interface ShellHit {
  ruleId: ShellRuleId;
  start: number;
  end: number;
}

// Files whose mere mention in a disguised word is telling.
const SENSITIVE_READ = /(?:^|\/)etc\/(?:passwd|shadow|gshadow|sudoers)|\.ssh\/|id_(?:rsa|dsa|ecdsa|ed25519)|\.aws\/credentials|\.kube\/config|\.netrc|\.git-credentials|\/proc\/self\/environ/;

// Where a write changes the system, logins, start-up scripts or a raw disk.
const SENSITIVE_WRITE =
  /^(?:\/etc\/|\/boot\/|\/root\/|\/var\/spool\/cron|\/dev\/(?:sd|hd|nvme|xvd|vd|mmcblk|disk)|\/usr\/(?:s?bin|lib)|\/bin\/|\/sbin\/|\/lib)|(?:^|\/)\.ssh\/|(?:^|\/)\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|bash_logout)$|\.config\/autostart\/|\.git\/hooks\//;

const WRITE_OPS: ReadonlySet<string> = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);

// Expansion placeholders in a rebuilt word (bounded, so a word of many `${` stays linear).
const EXPANSIONS = /\$\{[^}]{0,256}\}|\$\(\(…\)\)|\$\(…\)|`…`|<\(…\)|\$[A-Za-z_][A-Za-z0-9_]*|\$[#?$!-]/g;

function isPython(name: string): boolean {
  return /^python[0-9.]*$/.test(name);
}

/** Whether a command name is written so that word lists cannot see it. */
export function disguisedName(word: ShellWord): boolean {
  const text = word.text;
  if (word.split || word.encoded) return true;
  if (word.glob && text.includes('/') && /[?*[]/.test(text)) return true;
  // (Brace expansion starts with `{`: the regex only then.)
  if (text.charCodeAt(0) === 0x7b && /^\{[^{}\s]*,[^{}\s]*\}$/.test(text)) return true;
  if (word.expansions > 0 && !text.includes('/')) {
    const rest = text.replace(EXPANSIONS, '');
    return word.expansions > 1 || /[a-z0-9]/i.test(rest);
  }
  return false;
}

function pipeRule(r: ResolvedName): ShellRuleId | undefined {
  const { name, args } = r;
  // xargs turns input into arguments, never into code: `find … | xargs rm` is ordinary.
  if (r.wrappers.includes('xargs')) return undefined;
  if (SHELLS.has(name)) return 'cmd.pipe-to-interpreter';
  if (INTERPRETERS.has(name) || isPython(name)) return runsInput(args) ? 'cmd.pipe-to-interpreter' : undefined;
  if (NETWORK.has(name)) return 'cmd.pipe-to-network';
  if (PROBES.has(name)) return undefined;
  if (NON_READERS.has(name)) return 'cmd.pipe-into-non-reader';
  if (FILTERS.has(name)) return undefined;
  return 'cmd.pipe-unknown';
}

function isProbe(r: ResolvedName): boolean {
  return PROBES.has(r.name) || (r.name === 'env' && r.args.length === 0);
}

function commandRules(cmd: ShellCommand, smuggled: boolean): ShellRuleId[] {
  const rules: ShellRuleId[] = [];
  const chained = cmd.joint !== 'start' || cmd.context !== 'top';
  const r = resolveName(cmd.words);
  const plainValue = r !== undefined && VALUE_COMMANDS.has(r.name) && cmd.joint === 'start' && !disguisedName(r.word);
  if (cmd.context !== 'top' && !plainValue) rules.push('cmd.substitution');
  if (cmd.joint === 'newline' && (cmd.escapedJoint || smuggled)) rules.push('cmd.newline-chain');
  if (r) {
    if (chained && isProbe(r)) rules.push('cmd.chained-probe');
    if (cmd.joint === '|' || cmd.joint === '|&') {
      const rule = pipeRule(r);
      if (rule) rules.push(rule);
    }
    if (disguisedName(r.word)) rules.push('cmd.obfuscated-command');
    if (r.name === 'tee' && r.args.some((a) => !a.text.startsWith('-') && SENSITIVE_WRITE.test(a.text.toLowerCase()))) rules.push('cmd.sensitive-redirect');
  }
  if (cmd.words.some((w) => w.split && SENSITIVE_READ.test(w.text.toLowerCase()))) rules.push('cmd.obfuscated-command');
  if (cmd.redirects.some((d) => WRITE_OPS.has(d.op) && SENSITIVE_WRITE.test(d.target.toLowerCase()))) rules.push('cmd.sensitive-redirect');
  return rules;
}

/**
 * Every rule a parsed command line fires, with where. `smuggled`: the string as sent held
 * no newline, so any newline here came from decoding it.
 */
export function analyseParse(parse: ShellParse, smuggled: boolean, length: number): ShellHit[] {
  const hits: ShellHit[] = [];
  for (const cmd of parse.commands) {
    if (cmd.context === 'arith') continue;
    for (const ruleId of commandRules(cmd, smuggled)) hits.push({ ruleId, start: cmd.start, end: cmd.end });
  }
  if (parse.ifs) hits.push({ ruleId: 'cmd.ifs-evasion', start: 0, end: length });
  // A trailing encoded newline separates nothing visible, but still ends a command early.
  if (parse.escapedNewlines > 0 || (smuggled && parse.newlines > 0)) hits.push({ ruleId: 'cmd.newline-chain', start: 0, end: length });
  // Substitutions nested past what is followed are refused rather than trusted.
  if (parse.tooDeep) hits.push({ ruleId: 'cmd.substitution', start: 0, end: length });
  return hits;
}
