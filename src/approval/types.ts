/**
 * Approval of asked calls: what a decision that says `ask` hands over, what the edge passes
 * in (the server's name, a clock, a per-process key, the out-of-band store), and what the
 * approval code decides. The shim owns every approval; the client's dialog (an elicitation)
 * and the `vanguard approve` command are only ways for a person to give it.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { Output } from '../engine/outcome.js';
import type { CallLabels } from '../flow/call-labels.js';
import type { RequestId } from '../protocol/jsonrpc.js';

/** A call some decision (a tool action, a constraint, a flow rule) says a person must approve. */
export interface AskRequest {
  tool: string;
  args: unknown;
  /** Why approval is needed, for the person and the model. */
  reason: string;
  /** The rule that asked, e.g. `tools.actions:deploy`. */
  ruleId: string;
  /** The labels the session flow rules found on the call: put on the session only once the call goes to the server. */
  flowLabels?: CallLabels;
}

/** What an approval is bound to: this server, this tool, these arguments (by hash). */
export interface Binding {
  server: string;
  tool: string;
  argsHash: string;
}

/** A code the shim offered for out-of-band approval, as written to the state folder. */
export interface PendingCode extends Binding {
  code: string;
  /** The arguments as the audit shows them (redacted), so `approve --list` can say what the code allows. */
  args: unknown;
  reason: string;
  rule: string;
  createdAtMs: number;
  /** The code cannot be approved after this. */
  expiresAtMs: number;
  /** How long an approval given for it lasts (policy approval.ttl). */
  ttlMs: number;
}

/** What an approval recorded by `vanguard approve` holds. */
export interface GrantedApproval extends Binding {
  code: string;
  approvedAtMs: number;
  expiresAtMs: number;
}

/** The out-of-band store (a per-user state folder at the edge; a map in unit tests). */
export interface ApprovalStore {
  /** Record a code the model was told to have approved. */
  offer(entry: PendingCode): void;
  /** Take (single use) the approval for this code if one was given for exactly this binding and has not expired. */
  consume(code: string, binding: Binding, nowMs: number): GrantedApproval | undefined;
}

/** What the edge gives the approval code: nothing in here is decided by a peer. */
export interface ApprovalEdge {
  /** The server's name (as in the audit), part of every binding. */
  serverName: string;
  /** Wall clock in milliseconds: deadlines of questions, expiry of states and codes. */
  nowMs(): number;
  /** A per-process random key for requestState HMACs and codes. */
  key: Uint8Array;
  /** Out-of-band approvals; absent, clients without elicitation are refused with no way to approve. */
  store?: ApprovalStore;
}

/** What to do with an asked call (or an answer to a question). */
export type ApprovalAction =
  /** Approved: send this text (the checked call) to the server. */
  | { type: 'forward-text'; text: string }
  /** Answer the client (a refusal, or an input_required result). */
  | { type: 'answer'; message: Record<string, unknown> }
  /** The call is held: write these frames (the question) and nothing else. */
  | { type: 'hold'; outputs: Output[] };

export interface ApprovalDecision {
  action: ApprovalAction;
  record: Omit<DecisionRecord, 'decisionUs'>;
  /** Set when an asked call goes to the server: the call's id and what was asked (the engine notes its flow labels then). */
  approved?: { id: RequestId; ask: AskRequest };
}

/** Frames and records produced outside a decision on a frame (a timeout, a cancel). */
export interface ApprovalEvents {
  outputs: Output[];
  records: Array<Omit<DecisionRecord, 'decisionUs'>>;
}
