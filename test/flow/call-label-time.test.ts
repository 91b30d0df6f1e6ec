/**
 * A call's flow labels are on the session from when the call is decided and sent on, not
 * from when its frame came in. A client decides how long its call takes to inspect (it can
 * pad its arguments: seconds of reading at the frame limit); were the labels put at the
 * frame's arrival, that time would count against a rule's window, and a padded call could
 * age its own label out of `within` before the next call is even sent. The rules are still
 * checked at the arrival's reading, the earliest, so no window is found shorter than it is.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { Engine } from '../../src/engine/engine.js';
import { flowMemory } from '../../src/flow/state.js';
import { buildInspector } from '../../src/inspect/build.js';

const FLOW = {
  labels: { read_vault: ['secret-read'], send_mail: ['egress'] },
  rules: [{ name: 'read-then-send', after: 'secret-read', then: 'egress', action: 'block' as const, within: '2s' }],
};
// What inspecting a padded call costs on the engine's clock.
const INSPECT_US = 5_000_000;

function session(listFirst: boolean) {
  let now = 1_000_000_000;
  // Tools selected by their annotations: a call before any listing waits for the shim's own.
  const policy = compilePolicy(withDefaults({ flow: FLOW, tools: { allow: [{ annotations: { readOnlyHint: true } }] } }), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => now / 1000 });
  const inspect = buildInspector(policy, { realpath: (p: string) => p });
  const slowInspect: typeof inspect = inspect && ((input) => ((now += INSPECT_US), inspect(input)));
  const engine = new Engine(policy, { nowUs: () => now, inspect: slowInspect });
  const send = (m: unknown) => engine.fromClient(Buffer.from(JSON.stringify(m)));
  const answer = (m: unknown) => engine.fromServer(Buffer.from(JSON.stringify(m)));
  send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  answer({ jsonrpc: '2.0', id: 'init', result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } });
  const tool = (name: string) => ({ name, inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } });
  const tools = { tools: [tool('read_vault'), tool('send_mail')] };
  if (listFirst) {
    send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
    answer({ jsonrpc: '2.0', id: 'list', result: tools });
  }
  return { engine, send, answer, tools, now: () => now };
}

describe('the time a call puts its labels at', () => {
  it('is when the call was decided, however long its inspection took', () => {
    const s = session(true);
    const arrived = s.now();
    const read = s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_vault', arguments: { item: 'x'.repeat(64) } } });
    expect(read.records[0]?.verdict).toBe('forward');
    expect(s.now() - arrived).toBe(INSPECT_US);
    const label = flowMemory(s.engine.state).latest.get('secret-read');
    expect(label?.source).toBe('call');
    expect(label?.atUs).toBe(s.now());
    // The next call comes at once (its own inspection moves the clock again, after its arrival).
    const sent = s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'send_mail', arguments: { to: 'a@example.com' } } });
    const record = sent.records[0] as DecisionRecord;
    expect(record.verdict).toBe('block');
    expect(record.rules).toContain('flow.read-then-send');
  });

  it('puts a held call\'s labels, when the listing releases it, before the next released call is checked', () => {
    const s = session(false);
    // Held until the shim has listed the tools; the listing's answer releases both, each inspected then.
    const first = s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_vault', arguments: { item: 'y' } } });
    const second = s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'send_mail', arguments: { to: 'a@example.com' } } });
    expect([...first.records, ...second.records].map((r) => r.rules)).toEqual([['tools.held-for-list'], ['tools.held-for-list']]);
    expect(flowMemory(s.engine.state).latest.size).toBe(0);
    // The shim's own listing went out with the first call; its answer releases both, each inspected then.
    const listId = (JSON.parse(String(first.outputs[0]!.data)) as { id: string }).id;
    const released = s.answer({ jsonrpc: '2.0', id: listId, result: s.tools });
    const verdicts = released.records.filter((r) => r.method === 'tools/call').map((r) => [r.tool, r.verdict]);
    expect(verdicts).toEqual([
      ['read_vault', 'forward'],
      ['send_mail', 'block'],
    ]);
  });
});
