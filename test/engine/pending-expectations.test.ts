/**
 * Differential: what a call in flight leads its result to label, kept with the request in
 * PendingClientRequests (expectResult), against the way it was kept before, a Map of the
 * flow's own beside a Map of the requests (the reference below, as src/flow/state.ts and
 * src/engine/tool-flow.ts had it). Random runs of what the engine does with them: a call
 * decided then kept (expectation first), a held or approved call kept then noted (request
 * first), requests that expect nothing (lists, pings), answers, cancels, loose and string ids.
 */
import { describe, expect, it } from 'vitest';
import { PendingClientRequests } from '../../src/engine/pending-requests.js';
import type { PendingClientRequest } from '../../src/engine/session.js';
import type { ExpectedResult } from '../../src/flow/state.js';
import { FLOW_LIMITS } from '../../src/flow/state.js';
import type { Labelled } from '../../src/flow/call-labels.js';
import { idKey, type IdKey, type RequestId } from '../../src/protocol/jsonrpc.js';

// The old keeping: requests in one Map, expectations in another (expectResult/noteResult as they were).
class Reference {
  readonly requests = new Map<IdKey, PendingClientRequest>();
  readonly expected = new Map<IdKey, ExpectedResult>();

  expect(key: IdKey, tool: string, labels: readonly Labelled[]): boolean {
    if (this.expected.size >= FLOW_LIMITS.pending && !this.expected.has(key)) return false;
    this.expected.set(key, { tool, labels });
    return true;
  }

  // The answer to `key`: the request it answers and what its result was led to label.
  answer(key: IdKey): { request: PendingClientRequest; expected: ExpectedResult | undefined } | undefined {
    const request = this.requests.get(key);
    if (request === undefined) return undefined;
    this.requests.delete(key);
    const expected = request.method === 'tools/call' ? this.expected.get(key) : undefined;
    if (request.method === 'tools/call') this.expected.delete(key);
    return { request, expected };
  }
}

// A small deterministic generator (the runs are the same every time).
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TOOLS = ['echo', 'fetch', 'run', 'x'.repeat(200)];
const LABELS: Labelled[][] = [[], [], [{ label: 'untrusted-source', why: 'open world' }]];

// What a request says but for its expectation (a key absent reads as one set to undefined).
function fields(request: PendingClientRequest): unknown[] {
  return [request.id, request.method, request.tool, request.modern, request.cancelled, request.batch, request.firstPage];
}

describe('PendingClientRequests with expectations: the same as a Map of requests beside a Map of expectations', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`run ${seed}`, () => {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      const pending = new PendingClientRequests();
      const reference = new Reference();
      const ids: RequestId[] = [];
      for (let step = 0; step < 4000; step++) {
        const roll = next();
        // Ids come back (a client reuses one once it is answered): numbers, spellings of them, strings.
        const id: RequestId = pick<() => RequestId>([() => Math.floor(next() * 60), () => String(Math.floor(next() * 60)), () => `s${Math.floor(next() * 10)}`, () => -0])();
        const key = idKey(id);
        if (roll < 0.45) {
          // A request: refused when its key is in flight (as the engine does), else kept.
          if (reference.requests.has(key)) {
            expect(pending.has(key)).toBe(true);
            continue;
          }
          expect(pending.has(key)).toBe(false);
          const kind = next();
          const modern = next() < 0.3;
          const batch = next() < 0.1 ? { answers: [], waiting: 1 } : undefined;
          if (kind < 0.6) {
            const tool = pick(TOOLS);
            const labels = pick(LABELS);
            const request: PendingClientRequest = { id, method: 'tools/call', tool, modern, cancelled: false, batch };
            // A call decided at once: the expectation is noted, then the request kept.
            if (next() < 0.85) expect(pending.expectResult(key, tool, labels)).toBe(reference.expect(key, tool, labels));
            pending.set(key, request);
            reference.requests.set(key, request);
          } else if (kind < 0.8) {
            // A held or approved call: kept first, its expectation noted once it goes to the server.
            const tool = pick(TOOLS);
            const labels = pick(LABELS);
            const request: PendingClientRequest = { id, method: 'tools/call', tool, modern: false, cancelled: false };
            pending.set(key, request);
            reference.requests.set(key, request);
            // (Noted for another name than the request's: nothing the engine does, kept apart all the same.)
            const noted = next() < 0.1 ? pick(TOOLS) : tool;
            expect(pending.expectResult(key, noted, labels)).toBe(reference.expect(key, noted, labels));
          } else {
            const method = pick(['tools/list', 'ping', 'resources/list']);
            const request: PendingClientRequest = method.endsWith('/list') ? { id, method, tool: undefined, modern, cancelled: false, batch, firstPage: next() < 0.5 } : { id, method, tool: undefined, modern, cancelled: false, batch };
            pending.set(key, request);
            reference.requests.set(key, request);
          }
          ids.push(id);
        } else if (roll < 0.85) {
          // An answer: the request it answers and what its result is expected to label.
          const got = pending.get(key);
          pending.delete(key);
          const want = reference.answer(key);
          if (want === undefined) {
            expect(got).toBeUndefined();
            continue;
          }
          expect(fields(got!)).toStrictEqual(fields(want.request));
          if (want.request.batch !== undefined) expect(got!.batch).toBe(want.request.batch);
          if (want.request.method === 'tools/call') expect(got!.expected).toStrictEqual(want.expected);
        } else {
          // A cancel: the request stays, marked, with what it expects.
          pending.cancel(key);
          const request = reference.requests.get(key);
          if (request !== undefined) reference.requests.set(key, { ...request, cancelled: true });
          expect(pending.get(key)?.cancelled).toBe(request === undefined ? undefined : true);
        }
        expect(pending.size).toBe(reference.requests.size);
        // Asked about now and then (the engine asks before deciding, and elsewhere): the same answer.
        const probe = idKey(Math.floor(next() * 60));
        expect(pending.has(probe)).toBe(reference.requests.has(probe));
      }
      expect(ids.length).toBeGreaterThan(500);
    });
  }

  it('the limit: refused past FLOW_LIMITS.pending calls expecting a result, as before', () => {
    const pending = new PendingClientRequests();
    const reference = new Reference();
    for (let key = 0; key <= FLOW_LIMITS.pending + 5; key++) {
      const noted = pending.expectResult(key, 'echo', []);
      expect(noted).toBe(reference.expect(key, 'echo', []));
      // (Kept only when noted: a call the flow refused is not sent.)
      if (noted) pending.set(key, { id: key, method: 'tools/call', tool: 'echo', modern: false, cancelled: false, batch: undefined });
    }
    expect(pending.expectResult(FLOW_LIMITS.pending + 100, 'echo', [])).toBe(false);
    // Approved calls are kept first, past the requests' own bound: counted alike.
    pending.set(FLOW_LIMITS.pending + 100, { id: FLOW_LIMITS.pending + 100, method: 'tools/call', tool: 'echo', modern: false, cancelled: false });
    expect(pending.expectResult(FLOW_LIMITS.pending + 100, 'echo', [])).toBe(false);
    expect(pending.get(FLOW_LIMITS.pending + 100)!.expected).toBeUndefined();
  });

  it('an expectation goes with its request: a request answered elsewhere (the audit gate, an oversize answer) leaves none behind for a later one of its id', () => {
    // (The old Map of the flow's own kept such an entry until its id came back, counted against the limit.)
    const pending = new PendingClientRequests();
    pending.expectResult(5, 'fetch', [{ label: 'untrusted-source', why: 'open world' }]);
    pending.set(5, { id: 5, method: 'tools/call', tool: 'fetch', modern: false, cancelled: false, batch: undefined });
    expect(pending.delete(5)).toBe(true);
    pending.set(5, { id: 5, method: 'tools/call', tool: 'fetch', modern: false, cancelled: false, batch: undefined });
    expect(pending.get(5)!.expected).toBeUndefined();
    // A noted expectation the engine then did not keep a request for is dropped by the next set of another key.
    pending.expectResult(6, 'fetch', []);
    pending.set(7, { id: 7, method: 'ping', modern: false, cancelled: false, batch: undefined });
    pending.set(6, { id: 6, method: 'tools/call', tool: 'fetch', modern: false, cancelled: false, batch: undefined });
    expect(pending.get(6)!.expected).toBeUndefined();
    expect(pending.get(7)!.expected).toBeUndefined();
    // Cleared with the rest.
    pending.expectResult(8, 'fetch', []);
    pending.clear();
    pending.set(8, { id: 8, method: 'tools/call', tool: 'fetch', modern: false, cancelled: false, batch: undefined });
    expect(pending.get(8)!.expected).toBeUndefined();
  });
});
