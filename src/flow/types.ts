/**
 * Session flow state: labels that calls and results put on a session, and rules over their
 * order (after a sensitive read, egress asks). The shapes as written in a policy, compiled,
 * and the decision a rule makes.
 */

/** What a flow rule does with the call that completes its sequence. */
export type FlowAction = 'ask' | 'block' | 'warn';

/** One rule as written: a call labelled `then` after a call or result labelled `after`. */
export interface FlowRuleSpec {
  /** The rule id is `flow.<name>`; default `<after>-then-<then…>`. */
  name?: string;
  after: string;
  then: string | string[];
  action: FlowAction;
  /** Only when the `after` label was put on the session within this long (`10m`). */
  within?: string;
  /** Shown to the model with the refusal. */
  reason?: string;
}

/** More than `max` calls carrying any of `labels` within `within`. */
export interface FlowBurstSpec {
  labels?: string[];
  max: number;
  within: string;
  action?: FlowAction;
}

/** `flow` as written in a policy. */
export interface FlowSpec {
  /** Tool-name glob -> labels its calls put on the session, added to the inferred ones. */
  labels?: Record<string, string[]>;
  rules?: FlowRuleSpec[];
  /** `off` turns off a burst limit set by an extended policy. */
  burst?: FlowBurstSpec | 'off';
}

/** A compiled rule. */
export interface FlowRule {
  id: string;
  after: string;
  then: ReadonlySet<string>;
  action: FlowAction;
  /** Microseconds; undefined: any time in the session. */
  withinUs?: number;
  within?: string;
  reason?: string;
}

/** A compiled burst limit. */
export interface FlowBurst {
  id: string;
  labels: ReadonlySet<string>;
  max: number;
  withinUs: number;
  within: string;
  action: FlowAction;
}

/** The compiled `flow` section. */
export interface CompiledFlow {
  /** False when no rule and no burst limit is set: nothing is labelled or remembered. */
  active: boolean;
  rules: readonly FlowRule[];
  burst?: FlowBurst;
  /** Labels the policy gives a tool by name (flow.labels). */
  policyLabels(tool: string): readonly string[];
}

/** Where a label came from: a call when it was forwarded, or the result the server returned. */
export interface LabelEvent {
  label: string;
  tool: string;
  source: 'call' | 'result';
  /** The engine's clock, microseconds. */
  atUs: number;
  /** Why the label was put (the inference that fired), for the audit and the refusal. */
  why: string;
}

/** What a flow rule decided about one call; undefined from decideFlow means no rule fired. */
export interface FlowDecision {
  action: FlowAction;
  /** `flow.<name>`, `flow.burst`, or `flow.state-full`. */
  rule: string;
  reason: string;
  /** The earlier event that put the `after` label on the session (absent for a burst or a full state). */
  labelledBy?: LabelEvent;
  /** The labels of the call being decided. */
  labels: readonly string[];
  detail: Record<string, unknown>;
}
