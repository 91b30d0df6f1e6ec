/**
 * What a call in flight leads its result to label (src/flow/state.ts, expectResult): calls
 * whose results are led to no label share one entry per tool; the rest keep their own.
 */
import { describe, expect, it } from 'vitest';
import { expectResult, flowMemory, FLOW_LIMITS } from '../../src/flow/state.js';

describe('expectResult', () => {
  it('keeps the tool and labels of every call, sharing the entry of calls that expect nothing', () => {
    const memory = flowMemory({});
    expect(expectResult(memory, 1, 'echo', [])).toBe(true);
    expect(expectResult(memory, 2, 'echo', [])).toBe(true);
    expect(expectResult(memory, 3, 'fetch', [{ label: 'untrusted-source', why: 'open world' }])).toBe(true);
    expect(expectResult(memory, 4, 'fetch', [{ label: 'untrusted-source', why: 'open world' }])).toBe(true);
    expect(memory.pending.get(1)).toStrictEqual({ tool: 'echo', labels: [] });
    expect(memory.pending.get(1)).toBe(memory.pending.get(2));
    expect(memory.pending.get(3)).toStrictEqual({ tool: 'fetch', labels: [{ label: 'untrusted-source', why: 'open world' }] });
    expect(memory.pending.get(3)).not.toBe(memory.pending.get(4));
    // A shared entry cannot be changed through one call.
    expect(Object.isFrozen(memory.pending.get(1))).toBe(true);
    expect(Object.isFrozen(memory.pending.get(1)!.labels)).toBe(true);
    // A long tool name is kept all the same.
    const long = 'n'.repeat(FLOW_LIMITS.toolChars + 10);
    expect(expectResult(memory, 5, long, [])).toBe(true);
    expect(memory.pending.get(5)).toStrictEqual({ tool: long, labels: [] });
  });

  it('still fails when the table is full, shared entries counted', () => {
    const memory = flowMemory({});
    for (let key = 0; key < FLOW_LIMITS.pending; key++) expect(expectResult(memory, key, 'echo', [])).toBe(true);
    expect(expectResult(memory, FLOW_LIMITS.pending, 'echo', [])).toBe(false);
    // The same call again is not a new entry.
    expect(expectResult(memory, 0, 'echo', [])).toBe(true);
  });
});
