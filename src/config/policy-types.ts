/**
 * The shapes of a policy: as written in a file (after presets are merged and
 * environment variables expanded) and as compiled for the engine.
 * The engine only ever sees a CompiledPolicy; compiling happens once at load.
 */
import type { ArgumentKind, Category, Severity } from '../inspect/types.js';
import type { CompiledConstraints, ConstraintSpec } from '../constraints/types.js';
import type { CompiledLimits, LimitsSpec } from '../limits/types.js';
import type { CompiledFlow, FlowSpec } from '../flow/types.js';

/** What the shim does with a call to a visible tool. */
export type ToolAction = 'allow' | 'block' | 'ask';

/** enforce: decisions take effect. monitor: decide and log, block nothing. */
export type PolicyMode = 'enforce' | 'monitor';

/** How a blocked tools/call is answered: a CallToolResult with isError, or a JSON-RPC error. */
export type BlockResponseMode = 'result' | 'error';

/** How tool arguments appear in the audit log. */
export type AuditArgumentsMode = 'redacted' | 'hashed' | 'full' | 'omit';

/** A per-tool action in its long form. */
export interface ToolActionSpec {
  action: ToolAction;
  reason?: string;
  /** Only for tools whose annotations match. */
  annotations?: AnnotationSelector;
}

/** MCP tool annotations a selector can name; each must equal the tool's (defaults filled). */
export type AnnotationSelector = Partial<Record<'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint', boolean>>;

/** An entry of tools.allow / tools.deny: a name glob, or a selector over annotations. */
export type ToolSelector = string | { annotations: AnnotationSelector };

/** A policy document as written (one file), before merging. All keys optional. */
export interface PolicyDocument {
  $schema?: string;
  extends?: string | string[];
  mode?: PolicyMode;
  onBlock?: BlockResponseMode;
  tools?: {
    allow?: ToolSelector[];
    deny?: ToolSelector[];
    actions?: Record<string, ToolAction | ToolActionSpec>;
    validateArguments?: boolean;
  };
  /** How calls whose action is ask are approved (durations such as `2m`). */
  approval?: { timeout?: string; ttl?: string };
  limits?: {
    maxFrameBytes?: number;
  } & LimitsSpec;
  audit?: {
    stderr?: boolean;
    file?: string;
    arguments?: AuditArgumentsMode;
    redactKeys?: string[];
    chain?: boolean;
  };
  detectors?: Partial<Record<Category, DetectorAction | { action: DetectorAction; minSeverity?: Severity }>>;
  paths?: { roots?: string[]; deny?: string[]; cwd?: string };
  network?: { allowHosts?: string[]; denyHosts?: string[] };
  arguments?: Record<string, ArgumentOverride>;
  /** Rule pack files of the user's own (absolute once loaded). */
  rulePacks?: string[];
  metadata?: { poisoning?: PoisoningAction; minSeverity?: Severity };
  pinning?: { lock?: string; onChanged?: PoisoningAction; onNew?: PoisoningAction; onRenamed?: PoisoningAction; onRemoved?: PoisoningAction; trustOnFirstUse?: boolean };
  results?: {
    injection?: ResultInjectionAction | { action: ResultInjectionAction; minSeverity?: Severity };
    secrets?: RedactAction;
    pii?: RedactAction | { action: RedactAction; kinds?: PiiKind[] };
    hidden?: StripAction;
  };
  /** Session flow: labels calls and results put on the session, and rules over their order (src/flow). */
  flow?: FlowSpec;
}

/** What to do with a result that carries instructions aimed at the model. */
export type ResultInjectionAction = 'off' | 'warn' | 'flag' | 'block';
/** What to do with secrets and personal data in a result. */
export type RedactAction = 'off' | 'warn' | 'redact';
/** What to do with ANSI escapes and hidden characters in a result. */
export type StripAction = 'off' | 'warn' | 'strip';
/** The kinds of personal data results can be redacted for. */
export type PiiKind = 'email' | 'phone' | 'payment-card' | 'iban' | 'national-id';
export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'payment-card', 'iban', 'national-id'];

/** How results (tools/call, resources/read, prompts/get) are scanned, compiled. */
export interface CompiledResults {
  injection: { action: ResultInjectionAction; minSeverity: Severity };
  secrets: RedactAction;
  pii: { action: RedactAction; kinds: readonly PiiKind[] };
  hidden: StripAction;
}

/** What to do with a tool whose definition is poisoned. */
export type PoisoningAction = 'off' | 'warn' | 'hide' | 'block';

/** What inspection does with a category's findings. */
export type DetectorAction = 'off' | 'warn' | 'block';

/** Per-tool inspection overrides. */
export interface ArgumentOverride {
  exempt?: Category[];
  kinds?: Record<string, ArgumentKind | ArgumentKind[]>;
  /** What a broken constraint does: refuse (default) or ask a person. */
  onBreach?: 'block' | 'ask';
  /** Argument-name glob -> constraints on its value (src/constraints). */
  constrain?: Record<string, ConstraintSpec>;
}

/** The inspection part of a compiled policy. */
export interface CompiledInspection {
  settings: Record<Category, { action: DetectorAction; minSeverity: Severity }>;
  paths: { roots: string[]; deny: string[]; cwd: string };
  network: { allowHosts: string[]; denyHosts: string[] };
  /** Rule pack files of the user's own, absolute. */
  rulePacks: string[];
  /** The overrides that apply to a tool (every matching glob, merged). */
  overridesFor(tool: string): { exempt: ReadonlySet<Category>; kinds: ReadonlyMap<string, ReadonlySet<ArgumentKind>> };
}

/** The verdict of the tool policy on one tool name. Pure data, cached per name. */
export interface ToolVerdict {
  /** false: hidden from tools/list and answered as unknown when called. */
  visible: boolean;
  /** Only meaningful when visible. */
  action: ToolAction;
  /** Stable id of the rule that decided, e.g. "tools.deny", "tools.allow", "tools.actions". */
  ruleId: string;
  /** The glob that matched, when one did. */
  pattern?: string;
  /** Reason shown to the model when a visible tool is blocked. */
  reason?: string;
}

/** The policy as the engine uses it: validated, merged, with matchers compiled once. */
export interface CompiledPolicy {
  mode: PolicyMode;
  onBlock: BlockResponseMode;
  /**
   * Decide on a tool by name and, when selectors ask, by the annotations of its last listed
   * definition (undefined: not listed). Pure; results are cached.
   */
  toolVerdict(name: string, annotations?: unknown): ToolVerdict;
  /** True when tools.allow/deny/actions select tools by their annotations: a verdict then needs the tool's listed definition. */
  readonly selectsByAnnotations: boolean;
  /**
   * The name globs of tools.deny and the keys of tools.actions, compiled: a session warns once
   * about those that match no tool of the server's whole listing (a typo protects nothing).
   */
  readonly namedTools?: ReadonlyArray<{ readonly where: 'tools.deny' | 'tools.actions'; readonly glob: string; match(name: string): boolean }>;
  /** Refuse calls whose arguments do not match the tool's announced input schema. */
  validateArguments: boolean;
  /** Tool definitions in tools/list: what to do with poisoned ones, from which severity. */
  metadata: { poisoning: PoisoningAction; minSeverity: Severity };
  /** Rug-pull detection against a lock file (absolute path), and what to do per kind of difference. */
  pinning: { lock?: string; onChanged: PoisoningAction; onNew: PoisoningAction; onRenamed: PoisoningAction; onRemoved: PoisoningAction; trustOnFirstUse: boolean };
  /** What is done to the server's results before the model reads them. */
  results: CompiledResults;
  limits: {
    maxFrameBytes: number;
  };
  audit: {
    stderr: boolean;
    file?: string;
    arguments: AuditArgumentsMode;
    redactKeys: string[];
    chain: boolean;
  };
  /** Files the policy was read from, the extending file last. */
  sources: string[];
  inspection: CompiledInspection;
  /** Argument constraints (arguments.<tool>.constrain), checked on every tools/call. */
  constraints: CompiledConstraints;
  /** Rate limits and lockout (limits.rate, limits.lockout), with the injected clock. */
  callLimits: CompiledLimits;
  /** How asked calls are approved: how long a question waits, how long an out-of-band approval lasts. */
  approval: { timeoutMs: number; ttlMs: number };
  /** Session flow rules (flow.rules, flow.burst) and the policy's own labels (flow.labels). */
  flow: CompiledFlow;
}
