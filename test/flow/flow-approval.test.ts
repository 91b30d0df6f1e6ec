/**
 * A flow rule that says `ask` puts the call to a person (src/approval), like a tool action or
 * a constraint that asks: held while an elicitation is open (legacy clients), answered with
 * input_required (2026-07-28 clients). An approved call's labels go on the session when it
 * is sent; a declined one leaves none. Real engine, default policy, injected clocks.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outcome } from '../../src/engine/outcome.js';
import { buildInspector, buildResultScan } from '../../src/inspect/build.js';

const KEY = new Uint8Array(32).fill(3);
const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const toServer = (o: Outcome): Array<Record<string, any>> => o.outputs.filter((x) => x.to === 'server').map((x) => JSON.parse(x.data.toString()));
const toClient = (o: Outcome): Array<Record<string, any>> => o.outputs.filter((x) => x.to === 'client').map((x) => JSON.parse(x.data.toString()));
const call = (id: number, name: string, args: unknown, extra: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...extra } });
const TOOLS = ['get_env', 'fetch', 'run_command'].map((name) => ({ name, inputSchema: { type: 'object' } }));

function session(capabilities: Record<string, unknown>) {
  let nowUs = 5_000_000_000;
  const policy = compilePolicy(withDefaults({}), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => nowUs / 1000 });
  const edge = { realpath: (p: string) => p };
  const engine = new Engine(policy, {
    nowUs: () => (nowUs += 1_000_000),
    inspect: buildInspector(policy, edge),
    scanResult: buildResultScan(policy, edge),
    approval: { serverName: 'srv', nowMs: () => nowUs / 1000, key: KEY },
  });
  engine.fromClient(frame({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 't', version: '1' } } }));
  engine.fromServer(frame({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } }));
  engine.fromClient(frame({ jsonrpc: '2.0', id: 'list', method: 'tools/list' }));
  engine.fromServer(frame({ jsonrpc: '2.0', id: 'list', result: { tools: TOOLS } }));
  // get_env goes through and puts sensitive-read on the session.
  const read = engine.fromClient(frame(call(1, 'get_env', {})));
  expect(toServer(read)).toHaveLength(1);
  engine.fromServer(frame({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'PATH=/usr/bin' }] } }));
  return engine;
}

const FETCH = { url: 'https://blog.example.com/post' };

describe('a flow rule that asks, in a legacy session whose client has elicitation', () => {
  it('holds the call and asks the client, naming the rule and the earlier call', () => {
    const engine = session({ elicitation: {} });
    const out = engine.fromClient(frame(call(2, 'fetch', FETCH)));
    expect(toServer(out)).toEqual([]);
    const [question] = toClient(out);
    expect(question).toMatchObject({ method: 'elicitation/create', params: { mode: 'form' } });
    expect(question?.params.message).toContain('"get_env"');
    expect(out.records[0]).toMatchObject({ verdict: 'drop', rules: ['approval.asked', 'flow.sensitive-read-then-egress'], detail: { via: 'elicitation', flow: { labels: ['egress'] } } });
  });

  it('approved: the call is sent, and what it brings back is on the session (a command after it is asked about)', () => {
    const engine = session({ elicitation: {} });
    const [question] = toClient(engine.fromClient(frame(call(2, 'fetch', FETCH))));
    const approved = engine.fromClient(frame({ jsonrpc: '2.0', id: question?.id, result: { action: 'accept', content: { approve: true } } }));
    expect(toServer(approved)).toEqual([call(2, 'fetch', FETCH)]);
    expect(approved.records[0]).toMatchObject({ verdict: 'forward', rules: ['approval.approved', 'flow.sensitive-read-then-egress'] });
    const result = engine.fromServer(frame({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'A post about build tools.' }] } }));
    expect(result.records[0]?.detail?.flow).toEqual({ labels: ['untrusted-source'] });
    const run = engine.fromClient(frame(call(3, 'run_command', { command: 'ls' })));
    expect(toServer(run)).toEqual([]);
    expect(run.records[0]).toMatchObject({ verdict: 'drop', rules: ['approval.asked', 'flow.untrusted-then-exec'] });
  });

  it('declined: the call is refused and leaves no label (a command after it goes through)', () => {
    const engine = session({ elicitation: {} });
    const [question] = toClient(engine.fromClient(frame(call(2, 'fetch', FETCH))));
    const declined = engine.fromClient(frame({ jsonrpc: '2.0', id: question?.id, result: { action: 'decline' } }));
    expect(toServer(declined)).toEqual([]);
    expect(toClient(declined)[0]).toMatchObject({ id: 2, result: { isError: true } });
    expect(declined.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.declined', 'flow.sensitive-read-then-egress'] });
    const run = engine.fromClient(frame(call(3, 'run_command', { command: 'ls' })));
    expect(toServer(run)).toEqual([call(3, 'run_command', { command: 'ls' })]);
  });

  it('an asked call is counted towards nothing while it waits: the same question twice is two questions, one call each', () => {
    const engine = session({ elicitation: {} });
    const first = toClient(engine.fromClient(frame(call(2, 'fetch', FETCH))))[0];
    const second = toClient(engine.fromClient(frame(call(3, 'fetch', FETCH))))[0];
    expect(first?.id).not.toEqual(second?.id);
    const sent = engine.fromClient(frame({ jsonrpc: '2.0', id: second?.id, result: { action: 'accept', content: { approve: true } } }));
    expect(toServer(sent).map((m) => m.id)).toEqual([3]);
  });
});

describe('a flow rule that asks, in a 2026-07-28 session', () => {
  const caps = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } };

  it('answers input_required; the approved retry is sent and its result labels the session', () => {
    const engine = session({});
    const asked = engine.fromClient(frame(call(2, 'fetch', FETCH, { _meta: caps })));
    expect(toServer(asked)).toEqual([]);
    const result = toClient(asked)[0]?.result;
    expect(result).toMatchObject({ resultType: 'input_required' });
    expect(asked.records[0]).toMatchObject({ rules: ['approval.asked', 'flow.sensitive-read-then-egress'] });
    const retry = engine.fromClient(frame(call(4, 'fetch', FETCH, { _meta: caps, requestState: result.requestState, inputResponses: { 'vanguard-approval': { action: 'accept', content: { approve: true } } } })));
    expect(toServer(retry)).toEqual([call(4, 'fetch', FETCH, { _meta: caps })]);
    engine.fromServer(frame({ jsonrpc: '2.0', id: 4, result: { content: [{ type: 'text', text: 'A post.' }], resultType: 'complete' } }));
    const run = engine.fromClient(frame(call(5, 'run_command', { command: 'ls' }, { _meta: caps })));
    expect(toServer(run)).toEqual([]);
    expect(run.records[0]).toMatchObject({ rules: ['approval.asked', 'flow.untrusted-then-exec'] });
  });
});

describe('a flow rule that asks, with no way to ask a person', () => {
  it('refuses with the rule, the earlier call and how to go on', () => {
    const engine = session({});
    const out = engine.fromClient(frame(call(2, 'fetch', FETCH)));
    expect(toServer(out)).toEqual([]);
    const text = toClient(out)[0]?.result.content[0].text as string;
    expect(text).toContain('flow.sensitive-read-then-egress');
    expect(text).toContain('"get_env"');
    expect(out.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.unavailable', 'flow.sensitive-read-then-egress'] });
  });
});
