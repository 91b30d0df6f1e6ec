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
 */
import type { IdKey } from '../protocol/jsonrpc.js';
import type { PendingClientRequest } from './session.js';

// What requests alike share (all but the id). Their number is bounded, and so is what a key
// names: a peer's new methods and tool names past that are kept as they came.
class SharedRequest {
  constructor(
    readonly method: string,
    readonly tool: string | undefined,
    readonly modern: boolean,
    readonly firstPage: boolean | undefined,
  ) {}

  // The request of this id, with the keys in the order of an entry as the engine sets one.
  request(id: number): PendingClientRequest {
    const { method, tool, modern, firstPage } = this;
    return firstPage === undefined
      ? { id, method, tool, modern, cancelled: false, batch: undefined }
      : { id, method, tool, modern, cancelled: false, batch: undefined, firstPage };
  }
}

const MAX_SHARED = 1024;
const MAX_NAME_CHARS = 128;

export class PendingClientRequests {
  readonly #entries = new Map<IdKey, PendingClientRequest | SharedRequest>();
  /** Shared descriptions by method, then tool; each a row of the six kinds of era and page. */
  readonly #shared = new Map<string, Map<string | undefined, Array<SharedRequest | undefined>>>();
  #sharedCount = 0;

  get size(): number {
    return this.#entries.size;
  }

  has(key: IdKey): boolean {
    return this.#entries.has(key);
  }

  get(key: IdKey): PendingClientRequest | undefined {
    const entry = this.#entries.get(key);
    // A look-up by -0 finds the entry of 0 (a Map's keys are equal so), whose id is 0: `+ 0` makes -0 that.
    return entry instanceof SharedRequest ? entry.request((key as number) + 0) : entry;
  }

  set(key: IdKey, request: PendingClientRequest): this {
    this.#entries.set(key, this.#compact(key, request) ?? request);
    return this;
  }

  delete(key: IdKey): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  *values(): IterableIterator<PendingClientRequest> {
    for (const [key, entry] of this.#entries) yield entry instanceof SharedRequest ? entry.request(key as number) : entry;
  }

  /** The client cancelled the request of this key (if it is still waiting). */
  cancel(key: IdKey): void {
    const request = this.get(key);
    if (request !== undefined) this.#entries.set(key, { ...request, cancelled: true });
  }

  // The shared description a request is kept as, when it is one of those alike (its id the
  // key itself, a number; no batch; not cancelled) and one can be had.
  #compact(key: IdKey, request: PendingClientRequest): SharedRequest | undefined {
    const id = request.id;
    // (A key of -0 is kept by the Map as 0: such an id is kept as it came.)
    if (typeof id !== 'number' || key !== id || Object.is(id, -0) || request.batch !== undefined || request.cancelled) return undefined;
    const { method, tool, modern, firstPage } = request;
    let byTool = this.#shared.get(method);
    let row = byTool?.get(tool);
    const kind = (modern ? 3 : 0) + (firstPage === undefined ? 0 : firstPage ? 1 : 2);
    let shared = row?.[kind];
    if (shared !== undefined) return shared;
    if (this.#sharedCount >= MAX_SHARED || method.length > MAX_NAME_CHARS || (tool !== undefined && tool.length > MAX_NAME_CHARS)) return undefined;
    if (byTool === undefined) this.#shared.set(method, (byTool = new Map()));
    if (row === undefined) byTool.set(tool, (row = [undefined, undefined, undefined, undefined, undefined, undefined]));
    shared = new SharedRequest(method, tool, modern, firstPage);
    row[kind] = shared;
    this.#sharedCount++;
    return shared;
  }
}
