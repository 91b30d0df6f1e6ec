/**
 * The policy's other glob lists, checked like tool globs (one dialect, micromatch): an invalid
 * or negated glob in `paths.deny`, `network.denyHosts` or `network.allowHosts` is an error, and
 * an entry that can never match is a warning (a URL where a host is expected, a tool glob with
 * characters no tool name has), since a deny entry that matches nothing protects nothing.
 */
import type { PolicyDocument, ToolSelector } from './policy-types.js';
import { globProblem } from './globs.js';
import { errorAt, warningAt, type PolicyIssue } from './issues.js';
import { locate, type ParsedFile } from './parse.js';

/** Why a host-list entry can never match a host, or undefined. */
export function hostNeverMatches(entry: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(entry);
  if (url) {
    const host = (url[1] ?? '').replace(/^[^@]*@/, '');
    return `"${entry}" is a URL, but hosts are matched alone (no scheme, no path), so it never matches${host ? `; write "${host}"` : ''}`;
  }
  if (/[/?#]/.test(entry)) return `"${entry}" has a path, but hosts are matched alone, so it never matches; write the host part only`;
  if (/\s/.test(entry)) return `"${entry}" contains whitespace, which no host has, so it never matches`;
  if (entry.includes('@')) return `"${entry}" contains "@" (user info), which is not part of the host, so it never matches; write what follows "@"`;
  return undefined;
}

/**
 * Characters an MCP tool name may hold (the specification: letters, digits, `_`, `-`, `.`,
 * plus `/` that some servers use) and the glob syntax. Anything else cannot match a tool.
 */
const TOOL_GLOB_CHARS = /^[A-Za-z0-9_\-./*?[\]{},!^\\]*$/;

/** Why a tool glob can never match a tool name, or undefined. */
export function toolGlobNeverMatches(glob: string): string | undefined {
  if (TOOL_GLOB_CHARS.test(glob)) return undefined;
  const odd = [...new Set([...glob].filter((c) => !TOOL_GLOB_CHARS.test(c)))].map((c) => JSON.stringify(c)).join(', ');
  return `"${glob}" contains ${odd}, which tool names do not (letters, digits, "_", "-", "." and "/"), so it never matches`;
}

function checkHosts(p: ParsedFile, key: 'denyHosts' | 'allowHosts', list: string[] | undefined): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  (list ?? []).forEach((entry, index) => {
    const at = locate(p, ['network', key, index]);
    const problem = globProblem(entry, 'list only the hosts to match');
    if (problem !== undefined) issues.push(errorAt(at, `in "network.${key}": ${problem}`));
    else {
      const never = hostNeverMatches(entry);
      if (never !== undefined) issues.push(warningAt(at, `in "network.${key}": ${never}`));
    }
  });
  return issues;
}

function checkPathGlobs(p: ParsedFile, list: string[] | undefined): PolicyIssue[] {
  return (list ?? []).flatMap((entry, index) => {
    const problem = globProblem(entry, 'list only the paths to refuse');
    return problem === undefined ? [] : [errorAt(locate(p, ['paths', 'deny', index]), `in "paths.deny": ${problem}`)];
  });
}

function checkToolNames(p: ParsedFile, doc: PolicyDocument): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const lists: Array<['allow' | 'deny', ToolSelector[] | undefined]> = [
    ['allow', doc.tools?.allow],
    ['deny', doc.tools?.deny],
  ];
  for (const [key, list] of lists) {
    (list ?? []).forEach((entry, index) => {
      if (typeof entry !== 'string' || globProblem(entry, '') !== undefined) return;
      const never = toolGlobNeverMatches(entry);
      if (never !== undefined) issues.push(warningAt(locate(p, ['tools', key, index]), `in "tools.${key}": ${never}`));
    });
  }
  for (const glob of Object.keys(doc.tools?.actions ?? {})) {
    if (globProblem(glob, '') !== undefined) continue;
    const never = toolGlobNeverMatches(glob);
    if (never !== undefined) issues.push(warningAt(locate(p, ['tools', 'actions', glob], 'key'), `in "tools.actions": ${never}`));
  }
  return issues;
}

/** Every glob-list check of one file. */
export function checkGlobLists(p: ParsedFile, doc: PolicyDocument): PolicyIssue[] {
  return [
    ...checkPathGlobs(p, doc.paths?.deny),
    ...checkHosts(p, 'denyHosts', doc.network?.denyHosts),
    ...checkHosts(p, 'allowHosts', doc.network?.allowHosts),
    ...checkToolNames(p, doc),
  ];
}
