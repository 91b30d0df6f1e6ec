import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { Engine } from '../../src/engine/engine.js';

let id = 0;
function session(doc: PolicyDocument) {
  const clock = { ms: Date.UTC(2026, 0, 1, 12, 0, 0) };
  const e = new Engine(compilePolicy(doc, ['test'], '/', { realpath: () => undefined, home: '/home/me', nowMs: () => clock.ms }), { nowUs: () => 0 });
  const call = (name: string, args: unknown = {}) => {
    const rid = ++id;
    const out = e.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: rid, method: 'tools/call', params: { name, arguments: args } })));
    // Answer forwarded calls so ids do not pile up.
    if (out.outputs.some((o) => o.to === 'server')) e.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: rid, result: { content: [] } })));
    const answer = out.outputs.find((o) => o.to === 'client');
    return { record: out.records[0], answer: answer ? String(answer.data) : undefined };
  };
  return { call, clock };
}

describe('rate limits', () => {
  it('refuses a call over the session rate with when to retry, and admits again once the bucket refills', () => {
    const s = session({ limits: { rate: { session: '3/min' } } });
    for (let i = 0; i < 3; i++) expect(s.call('echo').record?.verdict).toBe('forward');
    const over = s.call('echo');
    expect(over.record).toMatchObject({ verdict: 'block', rules: ['limits.rate'] });
    expect(over.answer).toContain('retry in 20 s');
    s.clock.ms += 19_000;
    expect(s.call('echo').record?.verdict).toBe('block');
    s.clock.ms += 1_000;
    expect(s.call('echo').record?.verdict).toBe('forward');
  });

  it('a tool rate applies to matching tools only', () => {
    const s = session({ limits: { rate: { tools: { 'send_*': '1/h' } } } });
    expect(s.call('send_mail').record?.verdict).toBe('forward');
    expect(s.call('send_sms').record).toMatchObject({ verdict: 'block', rules: ['limits.rate'] });
    expect(s.call('read').record?.verdict).toBe('forward');
  });

  it('monitor mode forwards and records what it would have refused', () => {
    const s = session({ mode: 'monitor', limits: { rate: { session: '1/min' } } });
    expect(s.call('echo').record?.verdict).toBe('forward');
    expect(s.call('echo').record).toMatchObject({ verdict: 'would-block', rules: ['limits.rate'] });
  });
});

describe('lockout', () => {
  const doc: PolicyDocument = { tools: { deny: ['secret_*'] }, limits: { lockout: { blocks: 3, window: '1m', cooldown: '5m' } } };

  it('after `blocks` refusals within the window, every call is refused until the cooldown ends, saying why and until when', () => {
    const s = session(doc);
    s.call('secret_a');
    s.call('secret_b');
    expect(s.call('echo').record?.verdict).toBe('forward');
    s.call('secret_c');
    const locked = s.call('echo');
    expect(locked.record).toMatchObject({ verdict: 'block', rules: ['limits.lockout'] });
    expect(locked.answer).toContain('until 2026-01-01T12:05:00Z');
    expect(locked.answer).toContain('3 calls were refused within 1 min');
    s.clock.ms += 299_000;
    expect(s.call('echo').record?.rules).toEqual(['limits.lockout']);
    s.clock.ms += 1_000;
    expect(s.call('echo').record?.verdict).toBe('forward');
  });

  it('refusals spread wider than the window do not lock', () => {
    const s = session(doc);
    s.call('secret_a');
    s.clock.ms += 40_000;
    s.call('secret_b');
    s.clock.ms += 40_000;
    s.call('secret_c');
    expect(s.call('echo').record?.verdict).toBe('forward');
  });

  it('monitor mode: would-be refusals count, and the lockout is logged as would-block', () => {
    const s = session({ ...doc, mode: 'monitor' });
    for (const t of ['secret_a', 'secret_b', 'secret_c']) expect(s.call(t).record?.verdict).toBe('would-block');
    expect(s.call('echo').record).toMatchObject({ verdict: 'would-block', rules: ['limits.lockout'] });
  });
});
