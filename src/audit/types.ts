/** The audit trail: one record per decision, never written to stdout. */

/** Which way a message was travelling. */
export type Direction = 'client' | 'server';

/** What the engine did with a message. */
export type Verdict =
  | 'forward' // passed unchanged
  | 'rewrite' // passed, changed (e.g. a filtered tools/list)
  | 'block' // refused, answered by the shim
  | 'hide' // a hidden tool was called and answered as unknown
  | 'drop' // not forwarded, nothing to answer (noise, oversize, swallowed cancel)
  | 'would-block'; // monitor mode: would have been refused, forwarded instead

/** One decision, as the proxy reports it. Arguments are raw here; the sink redacts them. */
export interface DecisionRecord {
  /** Which side sent the message: 'client' (towards the server) or 'server'. */
  direction: Direction;
  method?: string;
  /** JSON-RPC id, as sent (string or number); absent for notifications. */
  id?: string | number | null;
  tool?: string;
  verdict: Verdict;
  /** Ids of the rules that caused the verdict. */
  rules: string[];
  reason?: string;
  /** Time spent deciding, in microseconds. */
  decisionUs: number;
  /** tools/call arguments; redacted, hashed or dropped by the sink per policy. */
  args?: unknown;
  /** Extra facts (e.g. hidden tool names in a filtered list). */
  detail?: Record<string, unknown>;
}

/** Where decisions go. */
export interface AuditSink {
  record(decision: DecisionRecord): void;
  /** Operational log lines (startup, child exit): level + message + fields. */
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
  /** Write every record made so far, now. Throws if the audit file cannot be written. */
  flush(): void;
  /** True once the audit file could not be written: nothing may be forwarded unrecorded (see gate.ts). */
  failed?(): boolean;
  /** Open the audit file again (SIGHUP after logrotate moved it). */
  reopen?(): void;
  /** Flush and close files. */
  close(): Promise<void>;
}
