/**
 * What a call in flight leads its result to label travels with the request the engine keeps
 * for it (src/engine/pending-requests.ts): through batches, cancels, answers to ids never
 * asked, and a server that goes away with calls in flight. A real engine, default policy.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { Engine } from '../../src/engine/engine.js';
import { buildInspector, buildResultScan } from '../../src/inspect/build.js';

function session() {
  const policy = compilePolicy(withDefaults({}), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => 5_000_000 });
  const edge = { realpath: (p: string) => p };
  const engine = new Engine(policy, { nowUs: () => 5_000_000_000, inspect: buildInspector(policy, edge), scanResult: buildResultScan(policy, edge) });
  const send = (message: unknown) => engine.fromClient(Buffer.from(JSON.stringify(message)));
  const answer = (message: unknown) => engine.fromServer(Buffer.from(JSON.stringify(message)));
  send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  answer({ jsonrpc: '2.0', id: 'init', result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } });
  send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  answer({ jsonrpc: '2.0', id: 'list', result: { tools: ['fetch', 'echo', 'run_command'].map((name) => ({ name, inputSchema: { type: 'object' } })) } });
  return { engine, send, answer };
}

const FETCH = { name: 'fetch', arguments: { url: 'https://blog.example.com/post' } };
const ECHO = { name: 'echo', arguments: { text: 'hello' } };
const RUN = { name: 'run_command', arguments: { command: 'ls' } };
const call = (id: unknown, params: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params });
const ok = (id: unknown) => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'ok' }] } });
const flowLabels = (record: unknown) => ((record as DecisionRecord).detail?.flow as { labels?: string[] } | undefined)?.labels;

describe('result labels, kept with the call in flight', () => {
  it('a fetch answered out of order among calls alike: its result labels, theirs do not', () => {
    const s = session();
    for (let id = 1; id <= 5; id++) s.send(call(id, id === 3 ? FETCH : ECHO));
    for (const id of [5, 1, 4, 2]) expect(flowLabels(s.answer(ok(id)).records[0])).toBeUndefined();
    expect(flowLabels(s.answer(ok(3)).records[0])).toEqual(['untrusted-source']);
    // The label is on the session: a command now is asked about (refused, with no approval at hand).
    expect(s.send(call(6, RUN)).records[0]!.rules).toContain('flow.untrusted-then-exec');
  });

  it('inside a batch, and matched loosely ("7" for 7)', () => {
    const s = session();
    s.send([call(7, FETCH), call(8, ECHO)]);
    expect(flowLabels(s.answer(ok(8)).records[0])).toBeUndefined();
    expect(flowLabels(s.answer(ok('7')).records[0])).toEqual(['untrusted-source']);
  });

  it('a cancelled call whose result comes all the same still labels', () => {
    const s = session();
    s.send(call(1, FETCH));
    s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
    const records = s.answer(ok(1)).records;
    expect(records.some((r) => flowLabels(r)?.includes('untrusted-source'))).toBe(true);
  });

  it('an answer to an id never asked, or asked and answered, labels nothing', () => {
    const s = session();
    expect(s.answer(ok(42)).records[0]!.rules).toEqual(['protocol.answer-unmatched']);
    s.send(call(1, FETCH));
    expect(flowLabels(s.answer(ok(1)).records[0])).toEqual(['untrusted-source']);
    const again = s.answer(ok(1)).records[0]!;
    expect(again.rules).toEqual(['protocol.answer-unmatched']);
    expect(flowLabels(again)).toBeUndefined();
  });

  it('a server gone with calls in flight: a later call of the same id expects what it itself leads to', () => {
    const s = session();
    s.send(call(1, FETCH));
    s.send(call(2, ECHO));
    s.engine.serverGone('exited');
    expect(s.engine.pendingCount).toBe(0);
    s.send(call(1, ECHO));
    s.send(call(2, FETCH));
    expect(flowLabels(s.answer(ok(1)).records[0])).toBeUndefined();
    expect(flowLabels(s.answer(ok(2)).records[0])).toEqual(['untrusted-source']);
  });
});

describe('calls whose answers the shim withholds', () => {
  // A behaviour change of the fold (h-flow), on purpose: the flow's own table of expectations
  // kept an entry for a call whose answer was dropped for its size (or answered with an error
  // for a repeated id) until its id came back, and counted it against FLOW_LIMITS.pending; a
  // server that did so 10,000 times put the session in flow.state-full (every call a flow
  // rule covers refused). Now the expectation goes with its request.
  it('take their expectations with them: 10,001 answers over the frame limit leave the flow able to remember calls', () => {
    const s = session();
    for (let id = 0; id <= 10_000; id++) {
      s.send(call(id, ECHO));
      s.engine.oversize('server', 100_000_000, Buffer.from(`{"jsonrpc":"2.0","id":${id},"result":{`), Buffer.from('}}'));
    }
    expect(s.engine.pendingCount).toBe(0);
    const fetched = s.send(call('f', FETCH)).records[0]!;
    expect(fetched.rules).not.toContain('flow.state-full');
    expect(fetched.verdict).toBe('forward');
    expect(flowLabels(s.answer(ok('f')).records[0])).toEqual(['untrusted-source']);
  }, 60_000);
});
