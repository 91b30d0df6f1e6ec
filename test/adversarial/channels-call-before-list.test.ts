/**
 * Issue 8, section 1: a call before the list. A tools/call for a tool no listing has shown
 * is held while the shim lists the tools itself (its own ids, never forwarded to the
 * client, every page followed), then decided with the definition known. On the old code
 * the call went straight to the server, around the poisoning scan and the pins.
 */
import { describe, expect, it } from 'vitest';
import { pinDefinitions } from '../../src/pinning/lock.js';
import { harness, POISONED, request, result } from './channels-helpers.js';

const tool = (name: string, description = 'Reads a page.') => ({ name, description, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } });
const call = (id: number | string, name: string) => request(id, 'tools/call', { name, arguments: { q: 'weather' } });

describe('a call to a tool not listed yet', () => {
  it('is held, the shim lists the tools in its own id space, and a poisoned tool is answered as unknown', () => {
    const h = harness();
    const first = h.client(call(1, 'fetch_weather'));
    expect(first.toClient).toEqual([]);
    expect(first.toServer).toEqual([{ jsonrpc: '2.0', id: 'vanguard-list-1', method: 'tools/list' }]);
    const listed = h.server(result('vanguard-list-1', { tools: [tool('fetch_weather', POISONED), tool('search')] }));
    // The listing itself never reaches the client; only the answer to its call does.
    expect(listed.toClient).toEqual([{ result: { content: [{ type: 'text', text: 'MCP error -32602: Tool fetch_weather not found' }], isError: true }, jsonrpc: '2.0', id: 1 }]);
    expect(listed.toServer).toEqual([]);
  });

  it('a clean tool is forwarded once listed; later calls are not held again', () => {
    const h = harness();
    h.client(call(1, 'search'));
    const listed = h.server(result('vanguard-list-1', { tools: [tool('search')] }));
    expect(listed.toServer).toEqual([call(1, 'search')]);
    expect(listed.toClient).toEqual([]);
    expect(h.server(result(1, { content: [{ type: 'text', text: 'Sunny.' }] })).toClient).toEqual([result(1, { content: [{ type: 'text', text: 'Sunny.' }] })]);
    expect(h.client(call(2, 'search')).toServer).toEqual([call(2, 'search')]);
  });

  it('follows every page, and holds calls that come meanwhile behind the same listing', () => {
    const h = harness();
    h.client(call(1, 'late_tool'));
    expect(h.client(call(2, 'search')).toServer).toEqual([]);
    const page1 = h.server(result('vanguard-list-1', { tools: [tool('search')], nextCursor: 'p2' }));
    expect(page1.toServer).toEqual([{ jsonrpc: '2.0', id: 'vanguard-list-2', method: 'tools/list', params: { cursor: 'p2' } }]);
    expect(page1.toClient).toEqual([]);
    const page2 = h.server(result('vanguard-list-2', { tools: [tool('late_tool', POISONED)] }));
    expect(page2.toServer).toEqual([call(2, 'search')]);
    expect(page2.toClient.map((m) => m.id)).toEqual([1]);
  });

  it('a tool the server does not list is answered as unknown, not forwarded', () => {
    const h = harness();
    h.client(call(1, 'secret_admin'));
    const listed = h.server(result('vanguard-list-1', { tools: [tool('search')] }));
    expect(listed.toServer).toEqual([]);
    expect(listed.toClient[0].result.content[0].text).toBe('MCP error -32602: Tool secret_admin not found');
  });

  it('a tool changed since pinned is refused even when called before any list', () => {
    const pins = { version: 1, tools: pinDefinitions('tools', [tool('search')]), prompts: {}, resources: {} } as never;
    const h = harness({ pinning: { onChanged: 'block' } }, { pins });
    h.client(call(1, 'search'));
    const listed = h.server(result('vanguard-list-1', { tools: [tool('search', 'Reads a page. Now with more.')] }));
    expect(listed.toServer).toEqual([]);
    expect(listed.toClient).toHaveLength(1);
    expect(JSON.stringify(listed.toClient[0])).not.toContain('Sunny');
    expect(listed.records.some((r) => r.rules?.some((rule: string) => rule.startsWith('pin.')))).toBe(true);
  });

  it('a listing that fails refuses the held calls with a reason', () => {
    const h = harness();
    h.client(call(1, 'search'));
    const failed = h.server({ jsonrpc: '2.0', id: 'vanguard-list-1', error: { code: -32603, message: 'boom' } });
    expect(failed.toServer).toEqual([]);
    expect(failed.toClient[0].result.content[0].text).toMatch(/list the tools and try again/);
  });

  it('the client cannot take the shim\'s id, and the server cannot answer a held call early', () => {
    const h = harness();
    h.client(call(1, 'search'));
    const clash = h.client(request('vanguard-list-1', 'ping'));
    expect(clash.toServer).toEqual([]);
    expect(clash.toClient[0]).toMatchObject({ id: 'vanguard-list-1', error: { code: -32600 } });
    const early = h.server(result(1, { content: [{ type: 'text', text: 'forged' }] }));
    expect(early.toClient).toEqual([]);
    expect(early.records[0]).toMatchObject({ verdict: 'drop', rules: ['protocol.unasked'] });
  });

  it('is not held when no check needs the definition', () => {
    const h = harness({ metadata: { poisoning: 'off' } }, { definitions: false });
    expect(h.client(call(1, 'search')).toServer).toEqual([call(1, 'search')]);
  });

  it('a held call the client cancelled is not sent', () => {
    const h = harness();
    h.client(call(1, 'search'));
    h.client({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
    const listed = h.server(result('vanguard-list-1', { tools: [tool('search')] }));
    expect(listed.toServer).toEqual([]);
    expect(listed.toClient).toEqual([]);
  });

  it('in a batch, is held too, and its answer is gathered into the batch', () => {
    const h = harness();
    const sent = h.client([call(1, 'fetch_weather'), request(2, 'ping')]);
    expect(sent.toServer).toEqual([{ jsonrpc: '2.0', id: 'vanguard-list-1', method: 'tools/list' }, request(2, 'ping')]);
    expect(h.server(result(2, {})).toClient).toEqual([]);
    const listed = h.server(result('vanguard-list-1', { tools: [tool('fetch_weather', POISONED)] }));
    expect(listed.toServer).toEqual([]);
    expect(listed.toClient).toHaveLength(1);
    expect(listed.toClient[0].map((m: { id: number }) => m.id)).toEqual([2, 1]);
    expect(listed.toClient[0][1].result.content[0].text).toBe('MCP error -32602: Tool fetch_weather not found');
  });

  it('after list_changed, a call from the cached list waits for a new listing (a rug pull is caught)', () => {
    const h = harness();
    h.client(request('c1', 'tools/list'));
    h.server(result('c1', { tools: [tool('report')] }));
    expect(h.client(call(1, 'report')).toServer).toEqual([call(1, 'report')]);
    h.server(result(1, { content: [] }));
    expect(h.server({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }).toClient).toHaveLength(1);
    const again = h.client(call(2, 'report'));
    expect(again.toServer).toEqual([{ jsonrpc: '2.0', id: 'vanguard-list-1', method: 'tools/list' }]);
    const listed = h.server(result('vanguard-list-1', { tools: [tool('report', POISONED)] }));
    expect(listed.toServer).toEqual([]);
    expect(listed.toClient[0].result.content[0].text).toBe('MCP error -32602: Tool report not found');
    // Listed again since the change: the next call is decided at once.
    expect(h.client(call(3, 'report')).toClient[0].result.content[0].text).toBe('MCP error -32602: Tool report not found');
  });
});

describe('a listing that cannot be sent, and tools selected by annotations', () => {
  it('abandoned (the audit failed): every call held for it is answered with the given error, once', () => {
    const h = harness();
    h.client(call(1, 'search'));
    h.client(call(2, 'search'));
    expect(h.engine.isOwnRequest('vanguard-list-1')).toBe(true);
    const out = h.engine.abandonListing(-32012, 'no audit', 'audit.unavailable');
    const answers = out.outputs.map((o) => JSON.parse(String(o.data)) as { id: number; error: { code: number } });
    expect(answers.map((a) => [a.id, a.error.code])).toEqual([
      [1, -32012],
      [2, -32012],
    ]);
    expect(out.records.map((r) => r.rules)).toEqual([['audit.unavailable'], ['audit.unavailable']]);
    expect(h.engine.pendingCount).toBe(0);
    // A late answer to the abandoned listing is nobody's answer.
    expect(h.server(result('vanguard-list-1', { tools: [tool('search')] })).toClient).toEqual([]);
  });

  it('a tool hidden unless it declares itself read-only is held for the listing, then decided by what it declared', () => {
    const h = harness({ tools: { deny: [{ annotations: { readOnlyHint: false } }] } } as never, { definitions: false });
    expect(h.client(call(1, 'search')).toServer).toEqual([{ jsonrpc: '2.0', id: 'vanguard-list-1', method: 'tools/list' }]);
    h.client(call(2, 'erase'));
    const listed = h.server(result('vanguard-list-1', { tools: [{ ...tool('search'), annotations: { readOnlyHint: true } }, tool('erase')] }));
    expect(listed.toServer).toEqual([call(1, 'search')]);
    expect(listed.toClient.map((m) => [m.id, m.result?.content?.[0]?.text])).toEqual([[2, 'MCP error -32602: Tool erase not found']]);
  });
});
