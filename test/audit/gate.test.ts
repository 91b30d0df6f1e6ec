/** refuseUnrecorded: what still passes once the audit file cannot be written. */
import { describe, expect, it } from 'vitest';
import { AUDIT_UNAVAILABLE_CODE, refuseUnrecorded } from '../../src/audit/gate.js';
import type { Outcome } from '../../src/engine/outcome.js';

const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: {} } };

describe('refuseUnrecorded', () => {
  it('answers a client request with an error instead of forwarding it, and records it as refused', () => {
    const outcome: Outcome = {
      outputs: [{ to: 'server', data: Buffer.from(JSON.stringify(call)) }],
      records: [{ direction: 'client', method: 'tools/call', id: 7, tool: 'echo', verdict: 'forward', rules: [], decisionUs: 1 }],
    };
    const gated = refuseUnrecorded(outcome);
    expect(gated.outputs).toHaveLength(1);
    expect(gated.outputs[0]?.to).toBe('client');
    expect(JSON.parse(String(gated.outputs[0]?.data))).toMatchObject({ id: 7, error: { code: AUDIT_UNAVAILABLE_CODE } });
    expect(gated.records[0]).toMatchObject({ verdict: 'block', rules: ['audit.unavailable'] });
  });

  it('lets notifications, answers to the server and everything for the client through', () => {
    const outcome: Outcome = {
      outputs: [
        { to: 'server', data: '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}' },
        { to: 'server', data: '{"jsonrpc":"2.0","id":"srv-1","result":{"roots":[]}}' },
        { to: 'client', data: '{"jsonrpc":"2.0","id":1,"result":{}}' },
      ],
      records: [],
    };
    expect(refuseUnrecorded(outcome).outputs).toEqual(outcome.outputs);
  });

  it('keeps only the notifications of a batch, answering each request in it', () => {
    const batch = [call, { ...call, id: 8 }, { jsonrpc: '2.0', method: 'notifications/initialized' }];
    const gated = refuseUnrecorded({ outputs: [{ to: 'server', data: JSON.stringify(batch) }], records: [] });
    expect(gated.outputs.filter((o) => o.to === 'client').map((o) => JSON.parse(String(o.data)).id)).toEqual([7, 8]);
    expect(gated.outputs.filter((o) => o.to === 'server').map((o) => JSON.parse(String(o.data)))).toEqual([[batch[2]]]);
  });

  it('forwards nothing it cannot read', () => {
    expect(refuseUnrecorded({ outputs: [{ to: 'server', data: 'not json' }], records: [] }).outputs).toEqual([]);
  });

  it("drops the shim's own requests instead of answering the client for them, and names the ids it answered", () => {
    const own = { jsonrpc: '2.0', id: 'vanguard-list-1', method: 'tools/list' };
    const gated = refuseUnrecorded({ outputs: [{ to: 'server', data: JSON.stringify(own) }, { to: 'server', data: JSON.stringify(call) }], records: [] }, (id) => id === 'vanguard-list-1');
    expect(gated.ownDropped).toBe(true);
    expect(gated.refusedIds).toEqual([7]);
    expect(gated.outputs.map((o) => JSON.parse(String(o.data)).id)).toEqual([7]);
  });
});
