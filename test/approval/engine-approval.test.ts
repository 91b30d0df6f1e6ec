import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outcome } from '../../src/engine/outcome.js';
import type { ApprovalStore, Binding, GrantedApproval, PendingCode } from '../../src/approval/index.js';
import { STATE_PREFIX } from '../../src/approval/request-state.js';

const POLICY: PolicyDocument = {
  tools: { actions: { deploy: { action: 'ask', reason: 'deploys reach production.' } } },
  arguments: { 'write_*': { onBreach: 'ask', constrain: { path: { paths: ['/tmp/**'] } } } },
  approval: { timeout: '2m', ttl: '10m' },
};
const KEY = new Uint8Array(32).fill(7);

/** An in-memory out-of-band store: `approve` plays the part of `vanguard approve`. */
class MemoryStore implements ApprovalStore {
  pending = new Map<string, PendingCode>();
  granted = new Map<string, GrantedApproval>();
  offer(entry: PendingCode): void {
    this.pending.set(entry.code, entry);
  }
  approve(code: string, nowMs: number): void {
    const p = this.pending.get(code);
    if (!p) throw new Error(`no pending ${code}`);
    this.granted.set(code, { code, server: p.server, tool: p.tool, argsHash: p.argsHash, approvedAtMs: nowMs, expiresAtMs: nowMs + p.ttlMs });
  }
  consume(code: string, binding: Binding, nowMs: number): GrantedApproval | undefined {
    const g = this.granted.get(code);
    if (!g || g.server !== binding.server || g.tool !== binding.tool || g.argsHash !== binding.argsHash || g.expiresAtMs <= nowMs) return undefined;
    this.granted.delete(code);
    return g;
  }
}

function setup(doc: PolicyDocument = POLICY) {
  const clock = { now: 1_000_000 };
  const store = new MemoryStore();
  let t = 0;
  const engine = new Engine(compilePolicy(doc, ['test']), { nowUs: () => (t += 3), approval: { serverName: 'srv', nowMs: () => clock.now, key: KEY, store } });
  return { engine, clock, store };
}

const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const text = (data: Buffer | string): string => (typeof data === 'string' ? data : data.toString('utf8'));
const toServer = (o: Outcome): unknown[] => o.outputs.filter((x) => x.to === 'server').map((x) => JSON.parse(text(x.data)));
const toClient = (o: Outcome): Array<Record<string, any>> => o.outputs.filter((x) => x.to === 'client').map((x) => JSON.parse(text(x.data)));
const MODERN = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
const call = (id: number | string, name: string, args: unknown = {}, extra: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...extra } });
const init = (capabilities: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 't', version: '1' } } });

function legacy(capabilities: Record<string, unknown> = { elicitation: {} }) {
  const s = setup();
  s.engine.fromClient(frame(init(capabilities)));
  s.engine.fromServer(frame({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } } }));
  return s;
}

describe('ask in a legacy session whose client has elicitation', () => {
  it('holds the call and asks the client with its own id, naming server, tool, redacted arguments and reason', () => {
    const { engine } = legacy();
    const out = engine.fromClient(frame(call(5, 'deploy', { env: 'prod', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' })));
    expect(toServer(out)).toEqual([]);
    const [question] = toClient(out);
    expect(question).toMatchObject({ method: 'elicitation/create', id: 'vanguard-approval-1', params: { mode: 'form' } });
    const message = question?.params.message as string;
    expect(message).toContain('"srv"');
    expect(message).toContain('"deploy"');
    expect(message).toContain('deploys reach production.');
    expect(message).toContain('prod');
    expect(message).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(Object.keys(question?.params.requestedSchema.properties)).toEqual(['approve', 'remember']);
    expect(out.records[0]).toMatchObject({ verdict: 'drop', rules: ['approval.asked', 'tools.actions:deploy'], detail: { via: 'elicitation' } });
  });

  it('forwards the held call, as checked, when the person approves; the answer is not forwarded', () => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy', { env: 'prod' })));
    const out = engine.fromClient(frame({ jsonrpc: '2.0', id: 'vanguard-approval-1', result: { action: 'accept', content: { approve: true } } }));
    expect(toServer(out)).toEqual([call(5, 'deploy', { env: 'prod' })]);
    expect(toClient(out)).toEqual([]);
    expect(out.records[0]).toMatchObject({ verdict: 'forward', rules: ['approval.approved', 'tools.actions:deploy'] });
    // The server's answer reaches the client as the answer to call 5.
    const answer = engine.fromServer(frame({ jsonrpc: '2.0', id: 5, result: { content: [] } }));
    expect(toClient(answer)).toEqual([{ jsonrpc: '2.0', id: 5, result: { content: [] } }]);
  });

  it.each([
    ['decline', { action: 'decline' }, 'the user declined'],
    ['cancel', { action: 'cancel' }, 'the user dismissed the question'],
    ['approve false', { action: 'accept', content: { approve: false } }, 'the user did not approve'],
  ])('refuses the call on %s with a reason the model can relay', (_name, result, why) => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy')));
    const out = engine.fromClient(frame({ jsonrpc: '2.0', id: 'vanguard-approval-1', result }));
    expect(toServer(out)).toEqual([]);
    const [answer] = toClient(out);
    expect(answer).toMatchObject({ id: 5, result: { isError: true } });
    expect(answer?.result.content[0].text).toContain(why);
    expect(out.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.declined', 'tools.actions:deploy'] });
  });

  it('refuses when no answer comes before approval.timeout, by the injected clock only', () => {
    const { engine, clock } = legacy();
    engine.fromClient(frame(call(5, 'deploy')));
    expect(engine.nextApprovalDeadline).toBe(1_000_000 + 120_000);
    expect(engine.expire(clock.now + 119_999).outputs).toEqual([]);
    const out = engine.expire(clock.now + 120_000);
    const [withdrawn, refusal] = toClient(out);
    expect(withdrawn).toMatchObject({ method: 'notifications/cancelled', params: { requestId: 'vanguard-approval-1' } });
    expect(refusal).toMatchObject({ id: 5, result: { isError: true } });
    expect(refusal?.result.content[0].text).toContain('nobody answered the approval question within 2 min');
    expect(out.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.timeout', 'tools.actions:deploy'] });
    expect(engine.nextApprovalDeadline).toBeUndefined();
    // A late answer is nobody's: not forwarded to the server, the call is not sent.
    const late = engine.fromClient(frame({ jsonrpc: '2.0', id: 'vanguard-approval-1', result: { action: 'accept', content: { approve: true } } }));
    expect(toServer(late).filter((m: any) => m.method === 'tools/call')).toEqual([]);
  });

  it('withdraws the question when the client cancels the held call; the cancel does not reach the server', () => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy')));
    const out = engine.fromClient(frame({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } }));
    expect(toServer(out)).toEqual([]);
    expect(toClient(out)).toEqual([{ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'vanguard-approval-1', reason: 'the client cancelled the call' } }]);
    expect(out.records[0]).toMatchObject({ rules: ['approval.cancelled', 'tools.actions:deploy'] });
    expect(engine.nextApprovalDeadline).toBeUndefined();
  });

  it('remembers the tool for the session when the person ticks "for the rest of this session"', () => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy', { env: 'a' })));
    engine.fromClient(frame({ jsonrpc: '2.0', id: 'vanguard-approval-1', result: { action: 'accept', content: { approve: true, remember: true } } }));
    const again = engine.fromClient(frame(call(6, 'deploy', { env: 'b' })));
    expect(toServer(again)).toEqual([call(6, 'deploy', { env: 'b' })]);
    expect(again.records[0]).toMatchObject({ verdict: 'forward', rules: ['approval.remembered', 'tools.actions:deploy'] });
  });

  it("never lets the server's request reuse an open question's id, nor a client request reuse a held call's id", () => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy')));
    const server = engine.fromServer(frame({ jsonrpc: '2.0', id: 'vanguard-approval-1', method: 'elicitation/create', params: { message: 'x', requestedSchema: { type: 'object', properties: {} } } }));
    expect(toClient(server)).toEqual([]);
    expect(server.outputs[0]?.to).toBe('server');
    expect(server.records[0]).toMatchObject({ verdict: 'block', rules: ['protocol.duplicate-id'] });
    const dup = engine.fromClient(frame(call(5, 'echo')));
    expect(toServer(dup)).toEqual([]);
    expect(dup.records[0]).toMatchObject({ rules: ['protocol.duplicate-id'] });
  });

  it("drops a server answer to a held call the server was never sent", () => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy')));
    const forged = engine.fromServer(frame({ jsonrpc: '2.0', id: 5, result: { content: [{ type: 'text', text: 'done' }] } }));
    expect(toClient(forged)).toEqual([]);
    // The question is still open, and the approval still sends the call.
    const out = engine.fromClient(frame({ jsonrpc: '2.0', id: 'vanguard-approval-1', result: { action: 'accept', content: { approve: true } } }));
    expect(toServer(out)).toEqual([call(5, 'deploy')]);
  });

  it('asks for a constraint breach of a tool whose section says onBreach: ask', () => {
    const { engine } = legacy();
    const inside = engine.fromClient(frame(call(1, 'write_file', { path: '/tmp/a' })));
    expect(toServer(inside)).toHaveLength(1);
    const outside = engine.fromClient(frame(call(2, 'write_file', { path: '/etc/passwd' })));
    expect(toServer(outside)).toEqual([]);
    expect(toClient(outside)[0]).toMatchObject({ method: 'elicitation/create' });
    expect(outside.records[0]?.rules[0]).toBe('approval.asked');
    expect(outside.records[0]?.rules[1]).toMatch(/^constraint\.path\./);
  });

  it('answers held calls when the server goes away', () => {
    const { engine } = legacy();
    engine.fromClient(frame(call(5, 'deploy')));
    const out = engine.serverGone('process exited with code 1');
    expect(toClient(out).find((m) => m.id === 5)).toMatchObject({ error: { code: -32000 } });
  });
});

describe('monitor mode', () => {
  it('logs what it would have asked and forwards', () => {
    const { engine } = setup({ ...POLICY, mode: 'monitor' });
    const out = engine.fromClient(frame(call(1, 'deploy')));
    expect(toServer(out)).toEqual([call(1, 'deploy')]);
    expect(out.records[0]).toMatchObject({ verdict: 'would-block', rules: ['approval.ask', 'tools.actions:deploy'] });
  });
});

describe('ask without elicitation: out of band', () => {
  it('refuses with a code; after `vanguard approve` the same call passes once, other arguments do not', () => {
    const { engine, store, clock } = legacy({});
    const first = engine.fromClient(frame(call(1, 'deploy', { env: 'prod' })));
    expect(toServer(first)).toEqual([]);
    const textOf = (o: Outcome) => toClient(o)[0]?.result.content[0].text as string;
    const code = /vanguard approve ([0-9A-Z]{8})/.exec(textOf(first))?.[1];
    expect(code).toBeDefined();
    expect(store.pending.get(code as string)).toMatchObject({ server: 'srv', tool: 'deploy', rule: 'tools.actions:deploy' });
    // Before approval the retry is refused with the same code.
    expect(textOf(engine.fromClient(frame(call(2, 'deploy', { env: 'prod' }))))).toContain(`vanguard approve ${code}`);
    store.approve(code as string, clock.now);
    const other = engine.fromClient(frame(call(3, 'deploy', { env: 'staging' })));
    expect(toServer(other)).toEqual([]);
    const retry = engine.fromClient(frame(call(4, 'deploy', { env: 'prod' })));
    expect(toServer(retry)).toEqual([call(4, 'deploy', { env: 'prod' })]);
    expect(retry.records[0]).toMatchObject({ verdict: 'forward', rules: ['approval.out-of-band', 'tools.actions:deploy'], detail: { code } });
    // Single use.
    expect(toServer(engine.fromClient(frame(call(5, 'deploy', { env: 'prod' }))))).toEqual([]);
  });

  it('refuses a call whose arguments carry a pending code or the approve command', () => {
    const { engine } = legacy({});
    const first = engine.fromClient(frame(call(1, 'deploy', { env: 'prod' })));
    const code = /vanguard approve ([0-9A-Z]{8})/.exec(toClient(first)[0]?.result.content[0].text)?.[1] as string;
    for (const args of [{ command: `vanguard approve ${code}` }, { content: code.toLowerCase() }, { command: 'npx  vanguard  approve --list' }]) {
      const out = engine.fromClient(frame(call(2, 'run_shell', args)));
      expect(toServer(out)).toEqual([]);
      expect(out.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.self-approve'] });
    }
  });

  it('is refused with no way to approve when the edge gives no store', () => {
    const engine = new Engine(compilePolicy(POLICY, ['t']), { nowUs: () => 0 });
    const out = engine.fromClient(frame(call(1, 'deploy')));
    expect(toServer(out)).toEqual([]);
    expect(out.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.unavailable', 'tools.actions:deploy'] });
  });
});

describe('ask in a 2026-07-28 session', () => {
  const caps = { ...MODERN, 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } };
  const ask = (engine: Engine, args: unknown = { env: 'prod' }) => toClient(engine.fromClient(frame(call(1, 'deploy', args, { _meta: caps }))))[0]?.result;
  let nextId = 100;
  const retry = (engine: Engine, state: string, answer: unknown, args: unknown = { env: 'prod' }) =>
    engine.fromClient(frame(call(++nextId, 'deploy', args, { _meta: caps, requestState: state, inputResponses: { 'vanguard-approval': answer } })));

  it('answers with input_required holding the elicitation and a state of its own', () => {
    const { engine } = setup();
    const result = ask(engine);
    expect(result).toMatchObject({ resultType: 'input_required', inputRequests: { 'vanguard-approval': { method: 'elicitation/create', params: { mode: 'form' } } } });
    expect(result.requestState.startsWith(STATE_PREFIX)).toBe(true);
  });

  it('forwards the approved retry without the shim entries, once', () => {
    const { engine } = setup();
    const state = ask(engine).requestState as string;
    const out = retry(engine, state, { action: 'accept', content: { approve: true } });
    expect(toServer(out)).toEqual([call(nextId, 'deploy', { env: 'prod' }, { _meta: caps })]);
    expect(out.records[0]).toMatchObject({ verdict: 'forward', rules: ['approval.approved', 'tools.actions:deploy'] });
    const again = retry(engine, state, { action: 'accept', content: { approve: true } });
    expect(toServer(again)).toEqual([]);
    expect(again.records[0]).toMatchObject({ rules: ['approval.state'], reason: 'the requestState was already used' });
  });

  it('refuses a declined retry, a forged state, changed arguments and an expired state', () => {
    const { engine, clock } = setup();
    const state = ask(engine).requestState as string;
    expect(retry(engine, state, { action: 'decline' }).records[0]).toMatchObject({ verdict: 'block', rules: ['approval.declined', 'tools.actions:deploy'] });

    const fresh = ask(engine).requestState as string;
    const [payload] = fresh.slice(STATE_PREFIX.length).split('.');
    const forged = `${STATE_PREFIX}${payload}.${Buffer.alloc(32).toString('base64url')}`;
    const f = retry(engine, forged, { action: 'accept', content: { approve: true } });
    expect(toServer(f)).toEqual([]);
    expect(f.records[0]).toMatchObject({ verdict: 'block', rules: ['approval.state'], reason: 'the requestState was not issued by this shim' });

    const changed = retry(engine, fresh, { action: 'accept', content: { approve: true } }, { env: 'other' });
    expect(toServer(changed)).toEqual([]);
    expect(changed.records[0]).toMatchObject({ rules: ['approval.state'], reason: 'the arguments changed since approval was asked' });

    const late = ask(engine).requestState as string;
    clock.now += 120_000;
    expect(retry(engine, late, { action: 'accept', content: { approve: true } }).records[0]).toMatchObject({ rules: ['approval.state'], reason: 'the approval question expired' });
  });

  it('without elicitation in the request capabilities, refuses with an approve code', () => {
    const { engine } = setup();
    const out = engine.fromClient(frame(call(1, 'deploy', {}, { _meta: { ...MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } })));
    expect(toClient(out)[0]?.result).toMatchObject({ resultType: 'complete', isError: true });
    expect(toClient(out)[0]?.result.content[0].text).toMatch(/vanguard approve [0-9A-Z]{8}/);
  });
});

describe('the self-approval guard', () => {
  it('stops counting a code once it can no longer be approved', () => {
    const { engine, clock } = legacy({});
    const first = engine.fromClient(frame(call(1, 'deploy', { env: 'prod' })));
    const code = /vanguard approve ([0-9A-Z]{8})/.exec(toClient(first)[0]?.result.content[0].text)?.[1] as string;
    expect(engine.fromClient(frame(call(2, 'note', { text: code }))).records[0]).toMatchObject({ rules: ['approval.self-approve'] });
    clock.now += 600_000;
    expect(engine.fromClient(frame(call(3, 'note', { text: code }))).records[0]).toMatchObject({ verdict: 'forward' });
  });
});
