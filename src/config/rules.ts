/**
 * Phase 3: rules about meaning that a schema cannot express. Runs per file on
 * schema-valid data, so every finding can point at the line that caused it.
 */
import type { PolicyDocument, ToolSelector } from './policy-types.js';
import { checkConstraints } from './check-constraints.js';
import { checkGlobLists } from './check-globs.js';
import { checkFlow } from './check-flow.js';
import { compileGlob, globProblem, isLiteral, KEY_GLOB_OPTIONS, TOOL_GLOB_OPTIONS } from './globs.js';
import { errorAt, warningAt, type PolicyIssue } from './issues.js';
import { locate, type ParsedFile } from './parse.js';

// What to do instead of a leading "!", per list.
const NEGATION_ADVICE = {
  allow: 'list the tools to hide in tools.deny instead',
  deny: 'to hide all but some tools, list those in tools.allow instead',
  actions: 'list the exact name or a narrower glob first; it takes precedence',
  redactKeys: 'list only the keys to redact',
} as const;

/** Globs that fail to compile or are negated (errors); repeated entries (warnings). */
function checkList(p: ParsedFile, section: 'tools' | 'audit', key: keyof typeof NEGATION_ADVICE, list: ToolSelector[] | undefined): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const options = key === 'redactKeys' ? KEY_GLOB_OPTIONS : TOOL_GLOB_OPTIONS;
  const seen = new Set<string>();
  (list ?? []).forEach((entry, index) => {
    // Annotation selectors are checked by the schema.
    if (typeof entry !== 'string') return;
    const glob = entry;
    const at = locate(p, [section, key, index]);
    const problem = globProblem(glob, NEGATION_ADVICE[key], options);
    if (problem !== undefined) issues.push(errorAt(at, problem));
    if (seen.has(glob)) issues.push(warningAt(at, `"${glob}" is listed twice in "${section}.${key}"`));
    seen.add(glob);
  });
  return issues;
}

/** All per-file semantic checks. */
export function checkFile(p: ParsedFile, doc: PolicyDocument): PolicyIssue[] {
  const issues = [
    ...checkList(p, 'tools', 'allow', doc.tools?.allow),
    ...checkList(p, 'tools', 'deny', doc.tools?.deny),
    ...checkList(p, 'audit', 'redactKeys', doc.audit?.redactKeys),
  ];
  if (doc.tools?.allow !== undefined && doc.tools.allow.length === 0) {
    issues.push(warningAt(locate(p, ['tools', 'allow']), '"tools.allow" is empty: every tool is hidden'));
  }
  for (const glob of Object.keys(doc.tools?.actions ?? {})) {
    const problem = globProblem(glob, NEGATION_ADVICE.actions);
    if (problem !== undefined) issues.push(errorAt(locate(p, ['tools', 'actions', glob], 'key'), problem));
  }
  issues.push(...checkConstraints(p, doc));
  issues.push(...checkGlobLists(p, doc));
  issues.push(...checkFlow(p, doc));
  return issues;
}

/**
 * Actions that can never apply, judged against the merged tool lists (best
 * effort: an identical glob in deny, or an exact name that deny hides or no
 * allow glob shows). `owner` says which file's entry won for each glob.
 */
export function checkDeadActions(merged: PolicyDocument, owner: Map<string, ParsedFile>): PolicyIssue[] {
  const deny = (merged.tools?.deny ?? []).filter((e): e is string => typeof e === 'string');
  // A selector may show any tool, so an action is dead only when no selector is in allow.
  const allowList = merged.tools?.allow ?? ['*'];
  const allow = allowList.some((e) => typeof e !== 'string') ? ['*'] : (allowList as string[]);
  const issues: PolicyIssue[] = [];
  for (const glob of Object.keys(merged.tools?.actions ?? {})) {
    const p = owner.get(glob);
    if (p === undefined || globProblem(glob, '') !== undefined) continue;
    const literal = isLiteral(glob);
    const hiding = deny.find((d) => d === glob || (literal && globProblem(d, '') === undefined && compileGlob(d)(glob)));
    const shown = !literal || allow.some((a) => globProblem(a, '') === undefined && compileGlob(a)(glob));
    const why = hiding !== undefined ? `tools.deny hides every tool it matches ("${hiding}")` : shown ? undefined : 'no glob in tools.allow matches it';
    if (why !== undefined) {
      issues.push(warningAt(locate(p, ['tools', 'actions', glob], 'key'), `action for "${glob}" never applies: ${why}`));
    }
  }
  return issues;
}
