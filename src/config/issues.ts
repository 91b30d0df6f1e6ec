/**
 * Problems found while loading a policy. Loading never throws for bad input:
 * every problem becomes a PolicyIssue with a position the user can jump to.
 */

/** One error or warning, pinned to a place in a policy file. */
export interface PolicyIssue {
  severity: 'error' | 'warning';
  /** The file as it was named (the path passed in, or joined from an `extends`). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Dotted field path, e.g. `tools.deny[2]`; empty for the whole file. */
  field: string;
  message: string;
}

/** A place in a file, used while building issues. */
export interface IssueAt {
  file: string;
  line: number;
  col: number;
  field: string;
}

/** Build an error issue at a place. */
export function errorAt(at: IssueAt, message: string): PolicyIssue {
  return { severity: 'error', ...at, message };
}

/** Build a warning issue at a place. */
export function warningAt(at: IssueAt, message: string): PolicyIssue {
  return { severity: 'warning', ...at, message };
}

/**
 * `file:line:col: message`, the shape editors and terminals turn into links.
 * Warnings say so after the position so they sort and link like errors.
 */
export function formatIssue(i: PolicyIssue): string {
  const prefix = i.severity === 'warning' ? 'warning: ' : '';
  return `${i.file}:${i.line}:${i.col}: ${prefix}${i.message}`;
}

/** Collects issues for one load; separate lists keep "any errors?" cheap. */
export class IssueList {
  readonly errors: PolicyIssue[] = [];
  readonly warnings: PolicyIssue[] = [];

  /** Add an issue to the list matching its severity. */
  add(issue: PolicyIssue): void {
    (issue.severity === 'error' ? this.errors : this.warnings).push(issue);
  }
}
