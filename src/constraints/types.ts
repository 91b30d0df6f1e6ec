/**
 * Argument constraints: least privilege stated by value. The shapes as written in a policy
 * (`arguments.<tool glob>.constrain.<argument glob>`) and the result of checking one call.
 */

/** The SQL statement kinds a `statements` constraint can list. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'ddl' | 'other';
export const STATEMENT_KINDS: readonly StatementKind[] = ['select', 'insert', 'update', 'delete', 'ddl', 'other'];

/** One argument's constraint, as written. Every kind given must hold. */
export interface ConstraintSpec {
  /** Every path the argument names (a string, or an array of them) matches one of these globs. */
  paths?: string[];
  /** Every URL in the argument names a host matching one of these globs. */
  hosts?: string[];
  /** Every URL in the argument uses one of these schemes. */
  schemes?: string[];
  /** The argument is a simple command whose words match one of these argv globs, word by word. */
  commands?: string[];
  /** Shell operators allowed between commands (only `pipe`). */
  operators?: Array<'pipe'>;
  /** Every SQL statement in the argument is of one of these kinds. */
  statements?: StatementKind[];
  /** The value equals one of these (JSON equality). */
  enum?: unknown[];
  /** The whole string matches this pattern (linear-time, as in rule packs). */
  pattern?: string;
  /** The string is at most this many characters (code points). */
  maxLength?: number;
  /** The argument must be present. */
  required?: boolean;
  /** The value matches this JSON Schema fragment. */
  schema?: Record<string, unknown> | boolean;
}

/** `constrain` per argument-name glob, for one tool glob. */
export interface ToolConstraints {
  constrain?: Record<string, ConstraintSpec>;
  /** What a breach does: refuse the call (default), or ask a person to approve it. */
  onBreach?: 'block' | 'ask';
}

/** Why a call breaks a constraint: a rule id naming it, and what is allowed, for the model. */
export interface ConstraintBreach {
  /** `constraint.<argument>.<kind>`, e.g. `constraint.path.paths`. */
  ruleId: string;
  reason: string;
  /** The tool's section says `onBreach: ask`: the call is put to a person instead of refused. */
  ask?: true;
}

/** The file system, home folder and bases a path constraint resolves against (from the edge). */
export interface ConstraintEdge {
  /** Resolve symlinks as the server would; undefined when the path does not exist. */
  realpath(path: string): string | undefined;
  home: string;
}

/** The compiled constraints of a policy: checks one call, pure but for the injected realpath. */
export interface CompiledConstraints {
  /** True when some constraint applies to the tool. */
  appliesTo(tool: string): boolean;
  /** The first constraint the call breaks, or undefined when all hold. Throws nothing. */
  check(tool: string, args: unknown): ConstraintBreach | undefined;
  /** The home folder `~` stands for (from the edge), for learning facts the same way. */
  home: string;
  /** Argument names (literal, not globs) constrained for a tool, to compare with its schema. */
  namedArguments(tool: string): string[];
}
