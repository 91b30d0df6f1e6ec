/**
 * The 2026-07-28 (modern) era through the real CLI: no initialize handshake, a protocol
 * version in every request's _meta, server/discover, resultType, and input_required
 * retries that come back with a new id. Frames are modelled on the specification's
 * examples, written out here so the suite does not depend on ../shared.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { byId, FIXTURE_POLICIES, startCli, TINY_SERVER, type RawSession } from './harness.js';

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'ExampleClient', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

const sessions: RawSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

function shim(): RawSession {
  const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--grace-ms', '300', '--', process.execPath, TINY_SERVER]);
  sessions.push(s);
  return s;
}

describe('modern era', () => {
  it('passes server/discover through untouched', async () => {
    const s = shim();
    const request = { jsonrpc: '2.0', id: 'discover-1', method: 'server/discover', params: { _meta: META } };
    s.send(request);
    expect(await s.next(byId('discover-1'))).toEqual({
      jsonrpc: '2.0',
      id: 'discover-1',
      result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'tiny', version: '1.0.0' } } },
    });
    await s.close();
  });

  it('filters tools/list and refuses a hidden tool with resultType set, without any initialize', async () => {
    const s = shim();
    s.send({ jsonrpc: '2.0', id: 'list-tools-example', method: 'tools/list', params: { _meta: META } });
    const list = (await s.next(byId('list-tools-example'))) as { result: { resultType: string; tools: Array<{ name: string }> } };
    expect(list.result.resultType).toBe('complete');
    expect(list.result.tools.map((t) => t.name)).not.toContain('secret_tool');

    s.send({ jsonrpc: '2.0', id: 'call-hidden', method: 'tools/call', params: { _meta: META, name: 'secret_tool', arguments: {} } });
    expect(await s.next(byId('call-hidden'))).toEqual({
      result: { content: [{ type: 'text', text: 'MCP error -32602: Tool secret_tool not found' }], isError: true, resultType: 'complete' },
      jsonrpc: '2.0',
      id: 'call-hidden',
    });

    s.send({ jsonrpc: '2.0', id: 'call-blocked', method: 'tools/call', params: { _meta: META, name: 'delete_everything', arguments: {} } });
    expect(await s.next(byId('call-blocked'))).toMatchObject({ result: { resultType: 'complete', isError: true } });
    await s.close();
  });

  it('carries an input_required result to the client and checks the retry, which has a new id', async () => {
    const s = shim();
    s.send({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { _meta: META, name: 'needs_input', arguments: { location: 'New York' } } });
    const first = (await s.next(byId('call-1'))) as { result: { resultType: string; requestState: string; inputRequests: Record<string, unknown> } };
    expect(first.result.resultType).toBe('input_required');
    expect(Object.keys(first.result.inputRequests)).toEqual(['confirm']);

    const inputResponses = { confirm: { action: 'accept', content: {} } };
    s.send({ jsonrpc: '2.0', id: 'call-2', method: 'tools/call', params: { _meta: META, name: 'needs_input', arguments: { location: 'New York' }, inputResponses, requestState: first.result.requestState } });
    expect(await s.next(byId('call-2'))).toEqual({
      jsonrpc: '2.0',
      id: 'call-2',
      result: { content: [{ type: 'text', text: `resumed with ${JSON.stringify(inputResponses)}` }], resultType: 'complete' },
    });

    // A retry is a new tools/call and is decided again: the policy holds on retries too.
    s.send({ jsonrpc: '2.0', id: 'call-3', method: 'tools/call', params: { _meta: META, name: 'secret_tool', arguments: {}, inputResponses, requestState: 'forged' } });
    expect(await s.next(byId('call-3'))).toMatchObject({ result: { isError: true, resultType: 'complete' } });
    await s.close();
  });

  it('passes a method it does not know, and the server\'s answer, untouched', async () => {
    const s = shim();
    const listen = { jsonrpc: '2.0', id: 'listen-1', method: 'subscriptions/listen', params: { _meta: META, notifications: { toolsListChanged: true } } };
    s.send(listen);
    expect(await s.next(byId('listen-1'))).toEqual({ jsonrpc: '2.0', id: 'listen-1', error: { code: -32601, message: 'Method not found: subscriptions/listen' } });
    await s.close();
  });
});
