/**
 * Rate limits and lockout: how often a session may call tools, and how long it is stopped
 * after too many refusals (a model probing the policy).
 */

/** `limits.rate` and `limits.lockout` as written. */
export interface LimitsSpec {
  rate?: { session?: string; tools?: Record<string, string> };
  lockout?: { blocks: number; window?: string; cooldown?: string };
}

/** Why a call is refused by a limit: a rule id, the reason for the model, and the audit detail. */
export interface LimitBreach {
  ruleId: 'limits.rate' | 'limits.lockout';
  reason: string;
  detail: Record<string, unknown>;
}

/** The compiled limits; per-session counters live beside the session, keyed by its state object. */
export interface CompiledLimits {
  /** True when any limit is set. */
  active: boolean;
  /** Count this call, or say why a limit refuses it (then it is not counted). */
  admit(session: object, tool: string): LimitBreach | undefined;
  /** A tools/call of this session was refused (or would have been, in monitor mode). */
  noteRefusal(session: object): void;
}
