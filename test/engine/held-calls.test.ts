/**
 * Calls held for the shim's own listing (src/engine/list-fetch.ts): held however many come
 * first (the calls in flight bound their number), bounded in what they keep by the characters
 * of their params, and all released with the listing. The client's input is never paused for
 * them: a paused reader would not see a cancel, the end of input or an answer the server waits for.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { Engine } from '../../src/engine/engine.js';
import { MAX_HELD_BYTES } from '../../src/engine/list-fetch.js';
import { SESSION_LIMITS } from '../../src/engine/session.js';

// Tools selected by their annotations: a call before any listing waits for the shim's own.
const policy = compilePolicy({ tools: { allow: [{ annotations: { readOnlyHint: true } }] } }, ['test']);
const call = (id: number, text = '') => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read', arguments: { id, text } } });
const frame = (value: unknown) => Buffer.from(JSON.stringify(value));
const listAnswer = (id: string) => frame({ jsonrpc: '2.0', id, result: { tools: [{ name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }] } });

describe('calls held for the shim’s listing', () => {
  it('holds 5000 calls (single and batched) and releases every one with the listing', () => {
    const engine = new Engine(policy, { nowUs: () => 0 });
    const sent: string[] = [];
    for (let id = 0; id < 4000; id++) {
      const out = engine.fromClient(frame(call(id)));
      expect(out.records.map((r) => r.rules)).toEqual([['tools.held-for-list']]);
      sent.push(...out.outputs.map((o) => String(o.data)));
    }
    const batch = Array.from({ length: SESSION_LIMITS.maxBatchLength }, (_, k) => call(4000 + k));
    const held = engine.fromClient(frame(batch));
    expect(new Set(held.records.map((r) => r.rules.join()))).toEqual(new Set(['tools.held-for-list']));
    // One listing request went out, for the first call.
    expect(sent.map((text) => (JSON.parse(text) as { method: string }).method)).toEqual(['tools/list']);
    const listId = (JSON.parse(sent[0] as string) as { id: string }).id;
    const released = engine.fromServer(listAnswer(listId));
    expect(engine.holdingCalls).toBe(false);
    const toServer = released.outputs.filter((o) => o.to === 'server').map((o) => JSON.parse(String(o.data)) as { id: number });
    expect(toServer.map((m) => m.id)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(released.outputs.filter((o) => o.to === 'client')).toEqual([]);
  });

  it('refuses a call whose params would take the held calls past MAX_HELD_BYTES, and counts afresh after the listing', () => {
    const engine = new Engine(policy, { nowUs: () => 0 });
    const quarter = 'a'.repeat(MAX_HELD_BYTES / 4);
    // The first call is held however large.
    const first = engine.fromClient(frame(call(0, 'b'.repeat(MAX_HELD_BYTES + 10))));
    expect(first.records.map((r) => r.rules)).toEqual([['tools.held-for-list']]);
    const listId = (JSON.parse(String(first.outputs[0]!.data)) as { id: string }).id;
    const over = engine.fromClient(frame(call(1, quarter)));
    expect(over.records.map((r) => r.rules)).toEqual([['limits.held']]);
    expect(over.outputs.map((o) => (JSON.parse(String(o.data)) as { id: number; error?: unknown }).id)).toEqual([1]);
    engine.fromServer(listAnswer(listId));
    expect(engine.holdingCalls).toBe(false);

    // After the listing nothing is held; a changed list holds calls again, counted from nothing.
    engine.fromServer(frame({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }));
    const results: string[][] = [];
    let listed: string | undefined;
    for (let id = 10; id < 15; id++) {
      const out = engine.fromClient(frame(call(id, quarter)));
      results.push(out.records.flatMap((r) => r.rules));
      listed ??= out.outputs.find((o) => o.to === 'server' && String(o.data).includes('tools/list'))?.data as string | undefined;
    }
    // Three quarters and a bit fit; the fourth quarter's call would pass the bound.
    expect(results).toEqual([['tools.held-for-list'], ['tools.held-for-list'], ['tools.held-for-list'], ['limits.held'], ['limits.held']]);
    expect(listed).toBeDefined();
  });
});
