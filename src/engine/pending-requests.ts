/**
 * The client requests in flight, by id key: what a Map of them offers (get, set, has,
 * delete, size, values, clear), kept compact.
 *
 * Under pipelined calls thousands wait at once, each until its answer: long enough for young
 * collections to copy its entry and promote it, and for a full one to collect it again. Most
 * are alike but for their id (the same method and tool, a number id, no batch, not
 * cancelled), so such an entry is kept as one description shared by all of them, under its
 * id as the key; `get` and `values` hand out the request as it was set (a new object each
 * time, which dies young). Anything else is kept as it was set.
 *
 * A forwarded tools/call also carries what its result is led to label (the session flow,
 * src/flow: `expected`), kept here rather than in a table of the flow's own: it goes when the
 * request goes, and costs no second entry per call. A call whose result is led to no label
 * shares the description of calls alike that expect the same (nothingExpected).
 */
import { FLOW_LIMITS, expectedResult, nothingExpected, type ExpectedResult } from '../flow/state.js';
import type { Labelled } from '../flow/call-labels.js';
import type { IdKey, RequestId } from '../protocol/jsonrpc.js';
import type { BatchGroup, PendingClientRequest } from './session.js';
import { IdTable } from './id-table.js';

// What requests alike share (all but the id). Their number is bounded, and so is what a key
// names: a peer's new methods and tool names past that are kept as they came.
class SharedRequest {
  constructor(
    readonly method: string,
    readonly tool: string | undefined,
    readonly modern: boolean,
    readonly firstPage: boolean | undefined,
    /** Undefined, or the tool's nothingExpected (a call whose result is led to no label). */
    readonly expected: ExpectedResult | undefined,
  ) {}

  // The request of this id, with the keys in the order of an entry as the engine sets one
  // (and what its result is expected to label after them, when that was noted).
  request(id: number): PendingClientRequest {
    const { method, tool, modern, firstPage, expected } = this;
    if (expected !== undefined) {
      return firstPage === undefined
        ? { id, method, tool, modern, cancelled: false, batch: undefined, expected }
        : { id, method, tool, modern, cancelled: false, batch: undefined, firstPage, expected };
    }
    return firstPage === undefined
      ? { id, method, tool, modern, cancelled: false, batch: undefined }
      : { id, method, tool, modern, cancelled: false, batch: undefined, firstPage };
  }
}

// A call's expectation noted before its request is set (the engine decides a call, then keeps
// it): taken by the next set, or dropped by it when that set is for another key.
interface Staged {
  /** Undefined when nothing is staged. */
  key: IdKey | undefined;
  tool: string;
  labels: readonly Labelled[];
}

/** Kinds of shared description per method and tool: era (2) x page (3) x expecting nothing or not (2). */
const KINDS = 12;

const MAX_SHARED = 1024;
const MAX_NAME_CHARS = 128;

export class PendingClientRequests {
  readonly #entries = new IdTable<PendingClientRequest | SharedRequest>();
  /** Shared descriptions by method, then tool; each a row of the KINDS kinds of era, page and expectation. */
  readonly #shared = new Map<string, Map<string | undefined, Array<SharedRequest | undefined>>>();
  #sharedCount = 0;
  /** One object, rewritten for each call. */
  readonly #staged: Staged = { key: undefined, tool: '', labels: [] };
  /** A key `has` found not kept, while nothing has been kept since (undefined: none known). */
  #absent: IdKey | undefined = undefined;
  /** The shared description last handed out: requests come alike one after another. */
  #lastShared: SharedRequest | undefined = undefined;

  get size(): number {
    return this.#entries.size;
  }

  has(key: IdKey): boolean {
    const has = this.#entries.has(key);
    // The engine asks before it decides a request, and notes the call's expectation after:
    // that key is then known not kept, without a second look-up (see expectResult).
    this.#absent = has ? undefined : key;
    return has;
  }

  get(key: IdKey): PendingClientRequest | undefined {
    const entry = this.#entries.get(key);
    // A look-up by -0 finds the entry of 0 (a Map's keys are equal so), whose id is 0: `+ 0` makes -0 that.
    return entry instanceof SharedRequest ? entry.request((key as number) + 0) : entry;
  }

  set(key: IdKey, request: PendingClientRequest): this {
    this.#absent = undefined;
    const staged = this.#staged;
    if (staged.key !== undefined) {
      // (Keys compared as the Map compares them: 0 and -0 are one key; no key is NaN.)
      const mine = staged.key === key;
      staged.key = undefined;
      if (mine) return this.#keep(key, request, staged.tool, staged.labels);
    }
    this.#entries.set(key, this.#compact(key, request, undefined) ?? request);
    return this;
  }

  /**
   * `set(key, request)` for the request of these fields, as the engine sets one (not
   * cancelled, no expectation of its own), without making the request when it is kept shared.
   */
  setRequest(key: IdKey, id: RequestId, method: string, tool: string | undefined, modern: boolean, batch: BatchGroup | undefined, firstPage: boolean | undefined): void {
    this.#absent = undefined;
    const staged = this.#staged;
    // Set for the staged key: its expectation is taken (#keep), and shared only when it expects nothing of the very tool called.
    let expectsNothingOf: string | undefined;
    if (staged.key !== undefined) {
      const mine = staged.key === key;
      staged.key = undefined;
      if (mine) {
        if (staged.labels.length !== 0 || staged.tool !== tool) {
          this.#keep(key, requestOf(id, method, tool, modern, batch, firstPage), staged.tool, staged.labels);
          return;
        }
        expectsNothingOf = staged.tool;
      }
    }
    // (The conditions of #compact, read from the fields.)
    const shared = typeof id === 'number' && key === id && !Object.is(id, -0) && batch === undefined ? this.#sharedFor(method, tool, modern, firstPage, expectsNothingOf) : undefined;
    if (shared !== undefined) this.#entries.set(key, shared);
    else if (expectsNothingOf !== undefined) this.#keep(key, requestOf(id, method, tool, modern, batch, firstPage), expectsNothingOf, staged.labels);
    else this.#entries.set(key, requestOf(id, method, tool, modern, batch, firstPage));
  }

  delete(key: IdKey): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#staged.key = undefined;
    this.#absent = undefined;
  }

  /**
   * Note what the result of the call of this key is led to label (the call goes to the server):
   * on its request, or, when the request is not kept yet, on the one the next set keeps.
   * False when FLOW_LIMITS.pending calls in flight expect a result already (the flow then fails closed).
   */
  expectResult(key: IdKey, tool: string, labels: readonly Labelled[]): boolean {
    // (0 and -0 are one key to the Map, and to ===.)
    const entry = key === this.#absent ? undefined : this.#entries.get(key);
    const expecting = entry !== undefined && expectationOf(entry) !== undefined;
    // Calls expecting a result are some of the requests kept: counted only when those are as many as the limit.
    if (!expecting && this.#entries.size >= FLOW_LIMITS.pending && this.#countExpecting() >= FLOW_LIMITS.pending) return false;
    if (entry === undefined) {
      const staged = this.#staged;
      staged.key = key;
      staged.tool = tool;
      staged.labels = labels;
      return true;
    }
    this.#keep(key, entry instanceof SharedRequest ? entry.request((key as number) + 0) : entry, tool, labels);
    return true;
  }

  *values(): IterableIterator<PendingClientRequest> {
    for (const [key, entry] of this.#entries.entries()) yield entry instanceof SharedRequest ? entry.request(key as number) : entry;
  }

  /** The client cancelled the request of this key (if it is still waiting). */
  cancel(key: IdKey): void {
    const request = this.get(key);
    if (request !== undefined) {
      this.#absent = undefined;
      this.#entries.set(key, { ...request, cancelled: true });
    }
  }

  // Keep a request with what its result is expected to label: shared when it is alike the
  // others and expects nothing of the very tool it calls, else as a copy that carries it.
  #keep(key: IdKey, request: PendingClientRequest, tool: string, labels: readonly Labelled[]): this {
    // (A request that carries an expectation already has it replaced: the later note is the one kept, as a table of them keeps it.)
    this.#absent = undefined;
    const plain = withoutExpectation(request);
    const shared = labels.length === 0 && tool === plain.tool ? this.#compact(key, plain, tool) : undefined;
    this.#entries.set(key, shared ?? { ...plain, expected: expectedResult(tool, labels) });
    return this;
  }

  // The calls in flight that expect a result (read through only when the requests kept are as many as the limit).
  #countExpecting(): number {
    let n = 0;
    this.#entries.forEachValue((entry) => {
      if (expectationOf(entry) !== undefined) n++;
    });
    return n;
  }

  // The shared description a request is kept as, when it is one of those alike (its id the
  // key itself, a number; no batch; not cancelled; no expectation of its own, or, with
  // `expectsNothingOf`, nothingExpected of its tool) and one can be had.
  #compact(key: IdKey, request: PendingClientRequest, expectsNothingOf: string | undefined): SharedRequest | undefined {
    const id = request.id;
    // (A key of -0 is kept by the Map as 0: such an id is kept as it came.)
    if (typeof id !== 'number' || key !== id || Object.is(id, -0) || request.batch !== undefined || request.cancelled || request.expected !== undefined) return undefined;
    return this.#sharedFor(request.method, request.tool, request.modern, request.firstPage, expectsNothingOf);
  }

  // The shared description of requests alike of these fields, when one can be had.
  #sharedFor(method: string, tool: string | undefined, modern: boolean, firstPage: boolean | undefined, expectsNothingOf: string | undefined): SharedRequest | undefined {
    const last = this.#lastShared;
    if (last !== undefined && last.method === method && last.tool === tool && last.modern === modern && last.firstPage === firstPage && (last.expected !== undefined) === (expectsNothingOf !== undefined)) return last;
    let byTool = this.#shared.get(method);
    let row = byTool?.get(tool);
    const kind = (modern ? 3 : 0) + (firstPage === undefined ? 0 : firstPage ? 1 : 2) + (expectsNothingOf === undefined ? 0 : 6);
    let shared = row?.[kind];
    if (shared !== undefined) return (this.#lastShared = shared);
    if (this.#sharedCount >= MAX_SHARED || method.length > MAX_NAME_CHARS || (tool !== undefined && tool.length > MAX_NAME_CHARS)) return undefined;
    if (byTool === undefined) this.#shared.set(method, (byTool = new Map()));
    if (row === undefined) byTool.set(tool, (row = new Array<SharedRequest | undefined>(KINDS).fill(undefined)));
    shared = new SharedRequest(method, tool, modern, firstPage, expectsNothingOf === undefined ? undefined : nothingExpected(expectsNothingOf));
    row[kind] = shared;
    this.#sharedCount++;
    return (this.#lastShared = shared);
  }
}

// A request as the engine sets one: two literals rather than a conditional spread, which costs a slow copy.
function requestOf(id: RequestId, method: string, tool: string | undefined, modern: boolean, batch: BatchGroup | undefined, firstPage: boolean | undefined): PendingClientRequest {
  return firstPage === undefined ? { id, method, tool, modern, cancelled: false, batch } : { id, method, tool, modern, cancelled: false, batch, firstPage };
}

function expectationOf(entry: PendingClientRequest | SharedRequest): ExpectedResult | undefined {
  return entry.expected;
}

// A request as it was set, without the expectation it carries (a new one replaces it).
function withoutExpectation(request: PendingClientRequest): PendingClientRequest {
  if (request.expected === undefined) return request;
  const { expected: _replaced, ...rest } = request;
  return rest;
}
