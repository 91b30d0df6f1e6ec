/**
 * What a call in flight leads its result to label (src/engine/pending-requests.ts,
 * expectResult): kept with the request in flight; calls whose results are led to no label
 * share one entry per tool, the rest keep their own.
 */
import { describe, expect, it } from 'vitest';
import { FLOW_LIMITS } from '../../src/flow/state.js';
import { PendingClientRequests } from '../../src/engine/pending-requests.js';
import type { PendingClientRequest } from '../../src/engine/session.js';

function call(id: number, tool: string): PendingClientRequest {
  return { id, method: 'tools/call', tool, modern: false, cancelled: false, batch: undefined };
}

// A call as the engine keeps it: decided (the expectation noted), then set.
function forward(pending: PendingClientRequests, id: number, tool: string, labels: Array<{ label: string; why: string }>): boolean {
  const noted = pending.expectResult(id, tool, labels);
  pending.set(id, call(id, tool));
  return noted;
}

describe('expectResult', () => {
  it('keeps the tool and labels of every call, sharing the entry of calls that expect nothing', () => {
    const pending = new PendingClientRequests();
    expect(forward(pending, 1, 'echo', [])).toBe(true);
    expect(forward(pending, 2, 'echo', [])).toBe(true);
    expect(forward(pending, 3, 'fetch', [{ label: 'untrusted-source', why: 'open world' }])).toBe(true);
    expect(forward(pending, 4, 'fetch', [{ label: 'untrusted-source', why: 'open world' }])).toBe(true);
    expect(pending.get(1)!.expected).toStrictEqual({ tool: 'echo', labels: [] });
    expect(pending.get(1)!.expected).toBe(pending.get(2)!.expected);
    expect(pending.get(3)!.expected).toStrictEqual({ tool: 'fetch', labels: [{ label: 'untrusted-source', why: 'open world' }] });
    expect(pending.get(3)!.expected).not.toBe(pending.get(4)!.expected);
    // A shared entry cannot be changed through one call.
    expect(Object.isFrozen(pending.get(1)!.expected)).toBe(true);
    expect(Object.isFrozen(pending.get(1)!.expected!.labels)).toBe(true);
    // A long tool name is kept all the same.
    const long = 'n'.repeat(FLOW_LIMITS.toolChars + 10);
    expect(forward(pending, 5, long, [])).toBe(true);
    expect(pending.get(5)!.expected).toStrictEqual({ tool: long, labels: [] });
    // The expectation goes with its request.
    pending.delete(1);
    expect(pending.get(1)).toBeUndefined();
    pending.set(1, call(1, 'echo'));
    expect(pending.get(1)!.expected).toBeUndefined();
  });

  it('still fails when the table is full, shared entries counted', () => {
    const pending = new PendingClientRequests();
    for (let key = 0; key < FLOW_LIMITS.pending; key++) expect(forward(pending, key, 'echo', [])).toBe(true);
    expect(pending.expectResult(FLOW_LIMITS.pending, 'echo', [])).toBe(false);
    // The same call again is not a new entry.
    expect(pending.expectResult(0, 'echo', [])).toBe(true);
    // Requests that expect nothing (a listing) do not count; one call fewer in flight, and one more fits.
    pending.set(FLOW_LIMITS.pending + 1, { id: FLOW_LIMITS.pending + 1, method: 'tools/list', modern: false, cancelled: false, batch: undefined, firstPage: true });
    expect(pending.expectResult(FLOW_LIMITS.pending, 'echo', [])).toBe(false);
    pending.delete(7);
    expect(pending.expectResult(FLOW_LIMITS.pending, 'echo', [])).toBe(true);
  });
});
