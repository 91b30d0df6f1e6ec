/**
 * The contract of argument inspection: what normalisation hands the detectors, what a
 * detector returns, and the context it may use. Inspection is pure: anything that
 * touches the file system (realpath) is passed in.
 */

/** Detection categories; policy settings are per category. */
export type Category =
  | 'path-traversal'
  | 'command-injection'
  | 'sql-injection'
  | 'ssrf'
  | 'secrets'
  | 'prompt-injection'
  | 'hidden-characters'
  | 'pii';

export const CATEGORIES: readonly Category[] = [
  'path-traversal',
  'command-injection',
  'sql-injection',
  'ssrf',
  'secrets',
  'prompt-injection',
  'hidden-characters',
  'pii',
];

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** True when `severity` is at or above `floor`. */
export function atLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);
}

/**
 * Whether `enough` (InspectContext.enough) is true for some finding of `findings`, asked in
 * order until it is; false without it. (A loop, not `some` with a closure made per call.)
 */
export function anyEnough(findings: readonly Finding[], enough: ((finding: Finding) => boolean) | undefined): boolean {
  if (enough === undefined) return false;
  for (let i = 0; i < findings.length; i++) if (enough(findings[i] as Finding)) return true;
  return false;
}

/** No findings (shared: read only; not frozen: a frozen array is iterated through an iterator object, not the fast path). */
export const NO_FINDINGS: readonly Finding[] = [];

/** One thing a detector saw. */
export interface Finding {
  /** The rule's id, as declared in a rule pack (policies/rules/*.yaml). */
  ruleId: string;
  category: Category;
  severity: Severity;
  /** Where in the arguments: `path`, `paths[1]`, `options.url`; a key is shown as `options{url}`. */
  path: string;
  /** A short excerpt (≤ 80 chars) of what matched, in the spelling that matched; secrets masked. */
  evidence: string;
  /** One sentence for the model and the audit log: what was seen, and what to do instead. */
  message: string;
  /**
   * A signal that is logged with the call and never blocks it by itself, whatever the
   * category's action (a paste or webhook site: ordinary for some tools, a drop for others;
   * the strict preset blocks them through its own network.denyHosts).
   */
  warnOnly?: boolean;
}

/** One string of the arguments (a value, or a key), in every spelling that matters. */
export interface InspectedString {
  /** Where it is, as in Finding.path. */
  path: string;
  /** The name of the property it sits under (nearest enclosing key), if any. */
  key: string | undefined;
  /** True when the string is itself a property name. */
  isKey: boolean;
  /** As sent. */
  raw: string;
  /**
   * Decoded spellings, each different from `raw` and from each other, with how they were
   * reached ('url', 'url+url', 'html', 'escape', 'base64', 'hex', 'nfkc', 'invisible', or a
   * chain like 'url+nfkc'). Bounded in number and total size.
   */
  variants: ReadonlyArray<{ text: string; via: string }>;
}

/** What an argument is, for detectors that only apply to some kinds. */
export type ArgumentKind = 'path' | 'url' | 'command' | 'sql' | 'text';

/** Filesystem facts a path detector needs; the edge supplies them. */
export interface PathContext {
  /** Allowed roots, absolute and already resolved. Empty: no roots configured. */
  roots: string[];
  /** Denied globs (e.g. `~/.ssh/**`, `**\/.env`), `~` not yet expanded. */
  deny: string[];
  /** The server's working directory: relative paths resolve against it (or the first root). */
  cwd: string;
  /** The home directory, for `~`. */
  home: string;
  /** Resolve symlinks of an absolute path, as the server would; undefined when it does not exist. */
  realpath(path: string): string | undefined;
  /**
   * The target of the symlink at an absolute path, as stored; undefined when it exists and
   * is not a symlink; null when it does not exist. With it, paths are also walked as the
   * kernel walks them (symlinks followed before `..`). Absent: that reading is skipped.
   */
  readlink?(path: string): string | null | undefined;
  /** The folder the server was started in, when the edge knows it: relative paths are judged from it too. */
  serverCwd?: string;
}

/** Network facts an SSRF detector needs. */
export interface NetworkContext {
  /** Hosts (globs, lower case) that are always allowed, even private ones. */
  allowHosts: string[];
  /** Hosts (globs, lower case) that are always refused. */
  denyHosts: string[];
}

export interface InspectContext {
  tool: string;
  /** The kinds an inspected string is taken to be (from policy overrides, the tool's schema, names, shape). */
  kindsOf(s: InspectedString): ReadonlySet<ArgumentKind>;
  paths: PathContext;
  network: NetworkContext;
  /** True when this finding alone blocks the call: a detector may stop looking once it has one. */
  enough?(finding: Finding): boolean;
  /**
   * Count `steps` of work against the call's budget (src/inspect/budget.ts); throws when it
   * runs out, and the call is refused. For loops whose work is not a pass over the input.
   */
  spend?(steps?: number): void;
}

/** A detector implemented in code (parsing addresses, resolving paths…). Its rule ids are declared in a rule pack. */
export interface Detector {
  category: Category;
  /** The rule ids it may report; each must exist in a pack, with examples. */
  ruleIds: readonly string[];
  /**
   * The one kind of string it reads, when it reads no other: given strings none of which is of
   * that kind, it finds nothing and counts nothing, so inspection does not call it then.
   */
  readsOnly?: ArgumentKind;
  inspect(strings: readonly InspectedString[], ctx: InspectContext): readonly Finding[];
}
