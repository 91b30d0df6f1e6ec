/**
 * Differential: PendingClientRequests.setRequest (the engine's way of keeping a request, from
 * its fields) against set with the request as the engine made it before (two literals), over
 * seeded random runs of what the engine does: a call's expectation noted then its request
 * kept, requests kept then noted, answers, cancels, clears; ids in a row, loose spellings
 * ("3" for 3), -0, fractions, strings, batches, more tools than are kept shared, long names.
 * Every read (the keys in their order, the values, what a result is expected to label), the
 * size, and each expectResult (its limit) must be the same.
 */
import { describe, expect, it } from 'vitest';
import { random } from './seeded.js';
import { PendingClientRequests } from '../../src/engine/pending-requests.js';
import type { BatchGroup, PendingClientRequest } from '../../src/engine/session.js';
import { FLOW_LIMITS } from '../../src/flow/state.js';
import type { Labelled } from '../../src/flow/call-labels.js';
import { idKey, type RequestId } from '../../src/protocol/jsonrpc.js';
import { scaled } from '../test-scale.js';

// The request as client-side.ts made it before setRequest.
function literal(id: RequestId, method: string, tool: string | undefined, modern: boolean, batch: BatchGroup | undefined, firstPage: boolean | undefined): PendingClientRequest {
  return firstPage === undefined ? { id, method, tool, modern, cancelled: false, batch } : { id, method, tool, modern, cancelled: false, batch, firstPage };
}

function expectSameRead(a: PendingClientRequest | undefined, b: PendingClientRequest | undefined): void {
  if (a === undefined || b === undefined) {
    expect(a).toBe(b);
    return;
  }
  expect(Object.keys(a)).toEqual(Object.keys(b));
  expect(a).toStrictEqual(b);
  expect(Object.is(a.id, b.id)).toBe(true);
  expect(a.batch).toBe(b.batch);
}

function expectSame(a: PendingClientRequests, b: PendingClientRequests): void {
  expect(a.size).toBe(b.size);
  const av = [...a.values()];
  const bv = [...b.values()];
  expect(av.length).toBe(bv.length);
  for (let i = 0; i < av.length; i++) expectSameRead(av[i], bv[i]);
}

const LABELS: Labelled[][] = [[], [], [], [{ label: 'untrusted-source', why: 'open world' }]];

describe('PendingClientRequests.setRequest: the same as set with the request made', () => {
  // (A scaled run keeps the first two: one with many tools, one with few.)
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8].slice(0, scaled(8, 2))) {
    it(`run ${seed}`, () => {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      // Many tools in some runs: past the bound on shared descriptions (1024).
      const tools = seed % 2 === 0 ? Array.from({ length: 1500 }, (_, i) => `tool-${i}`) : ['echo', 'fetch', 'run', 'x'.repeat(200)];
      const old = new PendingClientRequests();
      const now = new PendingClientRequests();
      let counter = 0;
      const batches: BatchGroup[] = [{ answers: [], waiting: 3 }];
      for (let step = 0; step < 12000; step++) {
        const roll = next();
        const id: RequestId = pick<() => RequestId>([
          () => counter++,
          () => counter++,
          () => Math.floor(next() * 80),
          () => String(Math.floor(next() * 80)),
          () => ` ${Math.floor(next() * 9)}`,
          () => `s${Math.floor(next() * 10)}`,
          () => -0,
          () => 1.5,
          () => 1e21,
          () => 2 ** 31,
          () => 12345678901234567890,
        ])();
        const key = idKey(id);
        if (roll < 0.5) {
          expect(now.has(key)).toBe(old.has(key));
          if (old.has(key)) continue;
          const kind = next();
          const modern = next() < 0.3;
          const batch = next() < 0.05 ? pick(batches) : undefined;
          let method = 'tools/call';
          let tool: string | undefined;
          let firstPage: boolean | undefined;
          if (kind < 0.75) {
            tool = pick(tools);
            // A call decided at once: its expectation noted first (for its own tool, or now and then another).
            if (next() < 0.8) {
              const noted = next() < 0.05 ? pick(tools) : tool;
              const labels = pick(LABELS);
              expect(now.expectResult(key, noted, labels)).toBe(old.expectResult(key, noted, labels));
            }
            // (Now and then a note for another key first: dropped by the next set.)
            if (next() < 0.03) {
              const other = idKey(counter + 5);
              expect(now.expectResult(other, 'echo', [])).toBe(old.expectResult(other, 'echo', []));
            }
          } else {
            method = pick(['tools/list', 'ping', 'resources/list', 'prompts/get']);
            firstPage = method.endsWith('/list') ? next() < 0.5 : undefined;
          }
          old.set(key, literal(id, method, tool, modern, batch, firstPage));
          now.setRequest(key, id, method, tool, modern, batch, firstPage);
          // A held or approved call noted after it was kept.
          if (method === 'tools/call' && next() < 0.1) {
            const labels = pick(LABELS);
            expect(now.expectResult(key, tool!, labels)).toBe(old.expectResult(key, tool!, labels));
          }
        } else if (roll < 0.9) {
          expectSameRead(now.get(key), old.get(key));
          expect(now.delete(key)).toBe(old.delete(key));
        } else if (roll < 0.994) {
          old.cancel(key);
          now.cancel(key);
          expectSameRead(now.get(key), old.get(key));
        } else if (roll < 0.9995) {
          expectSame(now, old);
        } else {
          old.clear();
          now.clear();
        }
        expect(now.size).toBe(old.size);
      }
      expectSame(now, old);
    });
  }

  it('the limit on calls expecting a result holds the same, kept either way', () => {
    const old = new PendingClientRequests();
    const now = new PendingClientRequests();
    for (let id = 0; id <= FLOW_LIMITS.pending + 5; id++) {
      const labels: Labelled[] = id % 7 === 0 ? [{ label: 'untrusted-source', why: 'open world' }] : [];
      const noted = now.expectResult(id, 'echo', labels);
      expect(noted).toBe(old.expectResult(id, 'echo', labels));
      if (!noted) continue;
      old.set(id, literal(id, 'tools/call', 'echo', false, undefined, undefined));
      now.setRequest(id, id, 'tools/call', 'echo', false, undefined, undefined);
    }
    expect(now.expectResult(FLOW_LIMITS.pending + 100, 'echo', [])).toBe(false);
    expect(old.expectResult(FLOW_LIMITS.pending + 100, 'echo', [])).toBe(false);
    expectSame(now, old);
  });
});
