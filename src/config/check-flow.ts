/**
 * Phase 3 for `flow`: what the schema cannot say. Label globs that compile, rule ids that are
 * unique, and labels nothing puts on the session (a typo makes a rule that never fires).
 */
import { INFERRED_LABELS, ruleName } from '../flow/compile.js';
import { globProblem } from './globs.js';
import { errorAt, warningAt, type PolicyIssue } from './issues.js';
import { locate, type ParsedFile } from './parse.js';
import type { PolicyDocument } from './policy-types.js';
import { didYouMean } from './suggest.js';

/** Every problem with the `flow` section of one file. */
export function checkFlow(p: ParsedFile, doc: PolicyDocument): PolicyIssue[] {
  const flow = doc.flow;
  if (flow === undefined) return [];
  const issues: PolicyIssue[] = [];
  for (const glob of Object.keys(flow.labels ?? {})) {
    const problem = globProblem(glob, 'list only the tools to label');
    if (problem !== undefined) issues.push(errorAt(locate(p, ['flow', 'labels', glob], 'key'), problem));
  }
  const known = [...INFERRED_LABELS, ...Object.values(flow.labels ?? {}).flat()];
  const unknown = (label: string, at: (string | number)[]) => {
    if (known.includes(label)) return;
    const hint = didYouMean(label, known);
    issues.push(warningAt(locate(p, at), `label "${label}" is neither inferred nor given by flow.labels in this file: unless an extended policy gives it, this never matches${hint}`));
  };
  const ids = new Set<string>();
  (flow.rules ?? []).forEach((rule, i) => {
    const id = rule.name ?? ruleName(rule.after, rule.then);
    if (ids.has(id)) issues.push(errorAt(locate(p, ['flow', 'rules', i]), `two flow rules have the id "flow.${id}"; give one a different "name"`));
    ids.add(id);
    unknown(rule.after, ['flow', 'rules', i, 'after']);
    if (Array.isArray(rule.then)) rule.then.forEach((label, j) => unknown(label, ['flow', 'rules', i, 'then', j]));
    else unknown(rule.then, ['flow', 'rules', i, 'then']);
  });
  if (flow.burst !== undefined && flow.burst !== 'off') (flow.burst.labels ?? []).forEach((label, j) => unknown(label, ['flow', 'burst', 'labels', j]));
  return issues;
}
