/**
 * The `shell` detector: for arguments that are command lines, read every spelling the way a
 * shell would and report commands smuggled into it. A server may also wrap the argument in
 * quotes before running it, so a spelling that closes a quote and then chains a command is
 * read a second time as if it were quoted.
 */
import { excerpt } from '../../evidence.js';
import { anyEnough, NO_FINDINGS, type Detector, type Finding, type InspectedString } from '../../types.js';
import { analyseParse, type ShellHit } from './analyse.js';
import { parseShell } from './lexer.js';
import { SHELL_RULES, SHELL_RULE_IDS, type ShellRuleId } from './rule-ids.js';

// cmd.exe conventions: drive letters, %VARIABLES%, UNC paths. Backslashes there are not escapes.
const WINDOWS = /[a-z]:\\|%[a-z_][a-z0-9_]*%|\\\\/i;

// What a quoted reading must find to count as a break out of the quotes.
const BREAKOUT_SOURCES: ReadonlySet<ShellRuleId> = new Set([
  'cmd.chained-probe',
  'cmd.pipe-to-interpreter',
  'cmd.pipe-into-non-reader',
  'cmd.pipe-to-network',
  'cmd.newline-chain',
]);

const BREAKOUT_SHAPE: Record<'"' | "'", RegExp> = {
  '"': /"[ \t]*[;&|\n\r]|[;&|\n\r][ \t]*"/,
  "'": /'[ \t]*[;&|\n\r]|[;&|\n\r][ \t]*'/,
};

interface Seen {
  evidence: string;
}

/** The rules one command-line string fires, each with evidence from the first spelling that fired it. */
export function inspectCommand(s: InspectedString): Map<ShellRuleId, Seen> {
  const seen = new Map<ShellRuleId, Seen>();
  const smuggled = !/[\r\n]/.test(s.raw);
  const record = (ruleId: ShellRuleId, text: string, hit: ShellHit, via: string, shift = 0): void => {
    if (seen.has(ruleId)) return;
    const start = Math.max(0, Math.min(text.length, hit.start - shift));
    const end = Math.max(start, Math.min(text.length, hit.end - shift));
    const shown = excerpt(text, start, end);
    seen.set(ruleId, { evidence: via === 'raw' ? shown : `${shown} (after ${via})` });
  };
  for (const { text, via } of [{ text: s.raw, via: 'raw' }, ...s.variants]) {
    // (Every cmd.exe mark holds a backslash or a percent sign: the regex only where one is.)
    const windows = (text.includes('\\') || text.includes('%')) && WINDOWS.test(text);
    const parse = parseShell(text, { windows, escapedNewlines: !windows });
    for (const hit of analyseParse(parse, smuggled, text.length)) record(hit.ruleId, text, hit, via);
    for (const quote of ['"', "'"] as const) {
      if (!text.includes(quote) || !BREAKOUT_SHAPE[quote].test(text)) continue;
      const wrapped = `${quote}${text}${quote}`;
      const hit = analyseParse(parseShell(wrapped, { windows, escapedNewlines: false }), smuggled, wrapped.length).find((h) =>
        BREAKOUT_SOURCES.has(h.ruleId),
      );
      if (hit) record('cmd.quote-breakout', text, hit, via, 1);
    }
  }
  return seen;
}

/** Commands smuggled into arguments that are command lines (kind `command`). */
export const shellDetector: Detector = {
  category: 'command-injection',
  ruleIds: SHELL_RULE_IDS,
  readsOnly: 'command',
  inspect(strings, ctx) {
    // (Made on the first command: most calls have none.)
    let findings: Finding[] | undefined;
    for (const s of strings) {
      if (!ctx.kindsOf(s).has('command')) continue;
      findings ??= [];
      for (const [ruleId, { evidence }] of inspectCommand(s)) {
        const rule = SHELL_RULES[ruleId];
        findings.push({ ruleId, category: 'command-injection', severity: rule.severity, path: s.path, evidence, message: rule.message });
      }
      if (anyEnough(findings, ctx.enough)) return findings;
    }
    return findings ?? NO_FINDINGS;
  },
};
