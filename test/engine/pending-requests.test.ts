/**
 * The client requests in flight are kept compactly (src/engine/pending-requests.ts): what
 * get, has, size and values give must be what a Map of the same requests gives, whatever
 * the requests are kept as.
 */
import { describe, expect, it } from 'vitest';
import { PendingClientRequests } from '../../src/engine/pending-requests.js';
import type { BatchGroup, PendingClientRequest } from '../../src/engine/session.js';
import { idKey, type RequestId } from '../../src/protocol/jsonrpc.js';

// An entry as the engine sets one (client-side.ts): two literals, with and without firstPage.
function entry(id: RequestId, method: string, tool: string | undefined, modern: boolean, batch?: BatchGroup, firstPage?: boolean): PendingClientRequest {
  return firstPage === undefined ? { id, method, tool, modern, cancelled: false, batch } : { id, method, tool, modern, cancelled: false, batch, firstPage };
}

// Every stored request as the reference Map has it: same keys in the same order, same values.
function expectSame(pending: PendingClientRequests, reference: Map<ReturnType<typeof idKey>, PendingClientRequest>): void {
  expect(pending.size).toBe(reference.size);
  for (const [key, request] of reference) {
    expect(pending.has(key)).toBe(true);
    const got = pending.get(key)!;
    expect(Object.keys(got)).toEqual(Object.keys(request));
    expect(got).toStrictEqual(request);
  }
  const values = [...pending.values()];
  const expected = [...reference.values()];
  expect(values.map((v) => Object.keys(v))).toEqual(expected.map((v) => Object.keys(v)));
  expect(values).toStrictEqual(expected);
}

describe('PendingClientRequests', () => {
  it('gives back what was set, as a Map does, for every kind of request', () => {
    const batch: BatchGroup = { answers: [], waiting: 2 };
    const requests = [
      entry(1, 'tools/call', 'echo', false),
      entry(2, 'tools/call', 'echo', true),
      entry(3, 'tools/call', 'read_file', false),
      entry(4, 'tools/list', undefined, false, undefined, true),
      entry(5, 'tools/list', undefined, false, undefined, false),
      entry(6, 'resources/list', undefined, true, undefined, true),
      entry(7, 'ping', undefined, false),
      entry('8', 'tools/call', 'echo', false),
      entry('abc', 'tools/call', 'echo', false),
      entry(-0, 'tools/call', 'echo', false),
      entry(1.5, 'tools/call', 'echo', false),
      entry(9, 'tools/call', 'echo', false, batch),
      entry(10, 'tools/call', '', false),
      entry(11, 'x'.repeat(300), 'y'.repeat(300), false),
      { id: 12, method: 'tools/call', tool: 'asked', modern: false, cancelled: false },
      { id: 13, method: 'tools/call', tool: 'echo', modern: false, cancelled: true },
    ];
    const pending = new PendingClientRequests();
    const reference = new Map<ReturnType<typeof idKey>, PendingClientRequest>();
    for (const request of requests) {
      pending.set(idKey(request.id), request);
      reference.set(idKey(request.id), request);
    }
    // Requests alike are kept as one shared description: each read makes the request anew.
    expect(pending.get(idKey(2))).not.toBe(requests[1]);
    expect(pending.get(idKey(2))).not.toBe(pending.get(idKey(2)));
    // A request kept as it was set is the very object (its batch is shared with the engine).
    expect(pending.get(idKey(9))).toBe(requests[11]);
    expect(pending.get(idKey(12))).toMatchObject({ id: 12, tool: 'asked' });
    // (The approval's entry has no batch key; one kept shared gives it as undefined, as reading it does.)
    reference.set(idKey(12), { id: 12, method: 'tools/call', tool: 'asked', modern: false, cancelled: false, batch: undefined });
    expectSame(pending, reference);
    expect(Object.is(pending.get(idKey(-0))!.id, -0)).toBe(true);

    for (const id of [1, '8', 4, 9, 99]) {
      expect(pending.delete(idKey(id))).toBe(reference.delete(idKey(id)));
    }
    expectSame(pending, reference);
    pending.clear();
    reference.clear();
    expectSame(pending, reference);
  });

  it('a cancel marks that request only, however it is kept', () => {
    const pending = new PendingClientRequests();
    for (let id = 1; id <= 4; id++) pending.set(id, entry(id, 'tools/call', 'echo', false));
    pending.set('s:x', entry('x', 'tools/call', 'echo', false));
    pending.cancel(2);
    pending.cancel('s:x');
    pending.cancel(42);
    expect([...pending.values()].map((r) => [r.id, r.cancelled])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, false],
      ['x', true],
    ]);
    expect(Object.keys(pending.get(2)!)).toEqual(['id', 'method', 'tool', 'modern', 'cancelled', 'batch']);
    expect(pending.size).toBe(5);
    expect(pending.has(42)).toBe(false);
  });

  it('past the bound on shared descriptions, requests are kept as they came, and all read back', () => {
    const pending = new PendingClientRequests();
    const reference = new Map<ReturnType<typeof idKey>, PendingClientRequest>();
    for (let id = 0; id < 3000; id++) {
      const request = entry(id, 'tools/call', `tool-${id}`, id % 2 === 0);
      pending.set(id, request);
      reference.set(id, request);
    }
    expectSame(pending, reference);
  });

  it('looked up by -0 (an answer with id -0 to request 0), the request comes back with its own id 0, as a Map gives it', () => {
    const pending = new PendingClientRequests();
    const reference = new Map<ReturnType<typeof idKey>, PendingClientRequest>();
    for (const request of [entry(0, 'tools/call', 'echo', false), entry(-0, 'tools/list', undefined, true, undefined, true)]) {
      // The second is refused by the engine as a duplicate (has(-0) is true); only the first is set.
      if (pending.has(idKey(request.id))) continue;
      pending.set(idKey(request.id), request);
      reference.set(idKey(request.id), request);
    }
    const answerKey = idKey(-0);
    expect(Object.is(pending.get(answerKey)!.id, 0)).toBe(true);
    expect(pending.get(answerKey)).toStrictEqual(reference.get(answerKey));
    pending.cancel(answerKey);
    expect(Object.is(pending.get(0)!.id, 0)).toBe(true);
    expect(pending.get(0)!.cancelled).toBe(true);
  });
});
