/**
 * The state of one session, as the engine keeps it between frames. Ids live in two
 * spaces: requests the client sent (answered by the server or the shim) and requests
 * the server sent (answered by the client). They are never mixed (invariant 2).
 */
import type { IdKey, RequestId } from '../protocol/jsonrpc.js';
import type { ExpectedResult } from '../flow/state.js';
import type { SchemaHint } from '../inspect/looked-up-address.js';
import { BoundedSet } from './bounded-set.js';
import { PendingClientRequests } from './pending-requests.js';
import type { DefinitionKind, LockEntry } from '../pinning/lock.js';

/** A batch from the client, waiting for every answer before it is answered as one array. */
export interface BatchGroup {
  /** Answers in arrival order: raw server text or text the shim serialised. */
  answers: string[];
  /** Requests of the batch still waiting for an answer. */
  waiting: number;
}

/**
 * A client request that was forwarded and is waiting for the server's answer. Set once and
 * read (see PendingClientRequests): a cancel goes through `pendingClient.cancel`.
 */
export interface PendingClientRequest {
  readonly id: RequestId;
  readonly method: string;
  readonly tool?: string;
  /** The request carried a modern-era `_meta` protocol version. */
  readonly modern: boolean;
  /** The client cancelled it: the server may never answer, and the client expects nothing. */
  readonly cancelled: boolean;
  readonly batch?: BatchGroup;
  /** A list request without a cursor: its answer is the first page of a listing. */
  readonly firstPage?: boolean;
  /** A forwarded tools/call: what its result is led to label (the session flow; set through `pendingClient.expectResult`). */
  readonly expected?: ExpectedResult;
}

/** A server request waiting for the client's answer. */
export interface PendingServerRequest {
  id: RequestId;
  method: string;
}

/** Limits on session state, so a peer cannot make it grow without bound. */
export const SESSION_LIMITS = {
  /** Client requests in flight at once; more are refused. */
  maxPendingClient: 10_000,
  /** Ids the shim answered itself, remembered so a late cancel can be swallowed. */
  answeredMemory: 4_096,
  /** Elements in one batch. */
  maxBatchLength: 1_000,
  /** Tools whose schema hints are remembered. */
  maxToolSchemas: 10_000,
} as const;

/** Mutable per-session state. Only the engine changes it. */
export class SessionState {
  readonly pendingClient = new PendingClientRequests();
  readonly pendingServer = new Map<IdKey, PendingServerRequest>();
  /** Keys of client ids the shim answered itself. */
  readonly answeredLocally = new BoundedSet<IdKey>(SESSION_LIMITS.answeredMemory);
  /** Argument kinds each tool's input schema suggests, from the last tools/list that showed it. */
  readonly schemaKinds = new Map<string, ReadonlyMap<string, ReadonlySet<SchemaHint>>>();
  /** Tools hidden for what their definitions say (poisoned, changed since pinned), with the rule; calls to them are answered as unknown. */
  readonly refusedTools = new Map<string, string>();
  /** Prompts (by name) and resources (by URI or template) hidden for their definitions. */
  readonly refused = { prompts: new Set<string>(), resources: new Set<string>() };
  /** Trust on first use: definitions not in the lock file, as first listed in this session. */
  readonly firstSeen: Record<DefinitionKind, Record<string, LockEntry>> = { tools: {}, prompts: {}, resources: {} };
  /** The keys seen so far in the listing under way (from its first page), per kind. */
  readonly listing: Record<DefinitionKind, Set<string>> = { tools: new Set(), prompts: new Set(), resources: new Set() };
  /** Kinds whose listing began with a first page (no cursor) and has not reached its last. */
  readonly listingOpen = new Set<DefinitionKind>();
  /** Each tool's input schema, from the last tools/list that showed it. */
  readonly inputSchemas = new Map<string, Record<string, unknown>>();
  /** 'legacy' once an initialize was seen; 'modern' once a request named a modern version. */
  era: 'unknown' | 'legacy' | 'modern' = 'unknown';
  /**
   * The client frame being decided, when it may be sent as it came (src/protocol/verbatim.ts):
   * the parsed object and its text. Set and cleared by the engine around each frame; a
   * request taken apart or rebuilt is another object, and is re-serialised.
   */
  asWritten: { message: object; text: string } | undefined = undefined;
}
