/**
 * Calls held for the shim's own listing (src/engine/list-fetch.ts): at MAX_HELD_CALLS the
 * engine says its client input is full (the proxy reads no more), and it still holds what
 * one more frame brings rather than refusing it; only a reader that ignores the signal for
 * a whole batch more meets a refusal.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { Engine } from '../../src/engine/engine.js';
import { HELD_CALLS_REFUSED_AT, MAX_HELD_CALLS } from '../../src/engine/list-fetch.js';
import { SESSION_LIMITS } from '../../src/engine/session.js';

// Tools selected by their annotations: a call before any listing waits for the shim's own.
const policy = compilePolicy({ tools: { allow: [{ annotations: { readOnlyHint: true } }] } }, ['test']);
const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read', arguments: { id } } });
const frame = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('calls held for the shim’s listing', () => {
  it('says its input is full at MAX_HELD_CALLS, holds one more batch, and releases them all with the listing', () => {
    const engine = new Engine(policy, { nowUs: () => 0 });
    const sent: string[] = [];
    for (let id = 0; id < MAX_HELD_CALLS; id++) {
      expect(engine.clientInputFull).toBe(false);
      const out = engine.fromClient(frame(call(id)));
      expect(out.records.map((r) => r.rules)).toEqual([['tools.held-for-list']]);
      sent.push(...out.outputs.map((o) => String(o.data)));
    }
    expect(engine.clientInputFull).toBe(true);
    // One listing request went out, for the first call.
    expect(sent.map((text) => (JSON.parse(text) as { method: string }).method)).toEqual(['tools/list']);
    // A batch read after the signal (a reader at the edge of a chunk) is held, not refused.
    const batch = Array.from({ length: SESSION_LIMITS.maxBatchLength }, (_, k) => call(MAX_HELD_CALLS + k));
    const held = engine.fromClient(frame(batch));
    expect(new Set(held.records.map((r) => r.rules.join()))).toEqual(new Set(['tools.held-for-list']));
    expect(MAX_HELD_CALLS + SESSION_LIMITS.maxBatchLength).toBe(HELD_CALLS_REFUSED_AT);
    // Past that, a reader that never stopped is refused: memory stays bounded.
    const refused = engine.fromClient(frame(call(HELD_CALLS_REFUSED_AT)));
    expect(refused.records.map((r) => r.rules)).toEqual([['limits.held']]);
    const listId = (JSON.parse(sent[0] as string) as { id: string }).id;
    const released = engine.fromServer(frame({ jsonrpc: '2.0', id: listId, result: { tools: [{ name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }] } }));
    expect(engine.clientInputFull).toBe(false);
    expect(engine.holdingCalls).toBe(false);
    const toServer = released.outputs.filter((o) => o.to === 'server').map((o) => JSON.parse(String(o.data)) as { id: number });
    // Every held call goes on, the batch's as well (its answer waits for the server's).
    expect(toServer.map((m) => m.id)).toEqual(Array.from({ length: HELD_CALLS_REFUSED_AT }, (_, i) => i));
    expect(released.outputs.filter((o) => o.to === 'client')).toEqual([]);
  });
});
