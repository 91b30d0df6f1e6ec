/**
 * `vanguard policy learn AUDIT_FILE… [--out FILE]`: read audit files of real sessions (best
 * run in monitor mode), write the least-privilege policy that allows what they show, and
 * print what was allowed and why, and what could not be learned.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { VanguardError } from '../../errors.js';
import { learnPolicy } from '../../learn/learn.js';
import { parseJson } from '../../protocol/escaped-keys.js';

export interface PolicyLearnArgs {
  files: string[];
  out?: string;
}

// Audit lines are JSON objects; anything else (a truncated last line) is counted and skipped.
function readRecords(file: string): { records: Array<Record<string, unknown>>; bad: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new VanguardError('AUDIT_INVALID', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 1);
  }
  const records: Array<Record<string, unknown>> = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = parseJson(line);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) records.push(value as Record<string, unknown>);
      else bad++;
    } catch {
      bad++;
    }
  }
  return { records, bad };
}

/** Learn, write the policy (to --out or stdout), print the review summary to stderr. */
// `vanguard policy learn` prints the learned policy (no --out) as its output; never inside start.
export function policyLearnCommand(args: PolicyLearnArgs, io: { stdout: (s: string) => void; stderr: (s: string) => void } = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }): number { // stdout-ok
  const all: Array<Record<string, unknown>> = [];
  for (const file of args.files) {
    const { records, bad } = readRecords(file);
    all.push(...records);
    if (bad > 0) io.stderr(`${file}: ${bad} line(s) are not audit records; skipped\n`);
  }
  const { policy, summary } = learnPolicy(all);
  const header = [
    '# Learned by `vanguard policy learn` from: ' + args.files.join(', '),
    '# It allows what those sessions did and nothing more; review it before use.',
    '',
  ].join('\n');
  const yaml = header + stringify(policy, { lineWidth: 0 });
  if (args.out) writeFileSync(args.out, yaml);
  else io.stdout(yaml);
  io.stderr(`Review of the learned policy${args.out ? ` (${args.out})` : ''}:\n${summary.map((l) => `  ${l}`).join('\n')}\n`);
  return 0;
}
