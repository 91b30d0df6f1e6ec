/**
 * Issue 8, "answers matched as clients match them": a server answer reaches the client only
 * as the decided answer to exactly one pending request, matched the way any client could
 * (the TypeScript client reads Number(id), the Python client int(id)).
 */
import { describe, expect, it } from 'vitest';
import { LARGE_FRAME_BYTES } from '../../src/engine/engine.js';
import { engine, frame, toClient, toClientText, toolList, toServerText } from './helpers.js';

const listRequest = (id: unknown) => frame({ jsonrpc: '2.0', id, method: 'tools/list' });

// Spellings of the id of request 3 that some client reads as 3, written raw into the frame.
const SPELLINGS_OF_3 = ['"3"', '" 3"', '"3 "', '"3.0"', '"3e0"', '"0x3"', '"0o3"', '"0b11"', '"+3"', '"03"', '"\\u00a03"', '"\\u00853"', '"\\u0663"', '"0_3"', '"\\uff13"', '3.0', '3e0', '30e-1', '3.000'];

describe('answers matched as clients match them', () => {
  it.each(SPELLINGS_OF_3)('filters a tools/list answer whose id is written %s, and sends it with the id the client wrote', (spelling) => {
    const e = engine();
    e.fromClient(listRequest(3));
    const out = e.fromServer(frame(`{"jsonrpc":"2.0","id":${spelling},"result":{"tools":[{"name":"echo"},{"name":"write_file"}]}}`));
    expect(toClient(out)).toEqual([{ jsonrpc: '2.0', id: 3, result: { tools: [{ name: 'echo' }] } }]);
    expect(e.pendingCount).toBe(0);
  });

  it('matches an empty string id to request 0, as Number("") is 0', () => {
    const e = engine();
    e.fromClient(listRequest(0));
    const out = e.fromServer(frame(toolList('', ['write_file'])));
    expect(toClient(out)).toMatchObject([{ id: 0, result: { tools: [] } }]);
  });

  it('matches a numeric answer to a string id the client chose ("7" asked, 7 answered)', () => {
    const e = engine();
    e.fromClient(listRequest('7'));
    expect(toClient(e.fromServer(frame(toolList(7, ['write_file', 'echo']))))).toMatchObject([{ id: '7', result: { tools: [{ name: 'echo' }] } }]);
  });

  it('refuses a client request whose id collides loosely with one in flight', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    for (const id of ['3', ' 3', '3.0', '0x3']) {
      const out = e.fromClient(frame({ jsonrpc: '2.0', id, method: 'prompts/list' }));
      expect(toServerText(out)).toEqual([]);
      expect(toClient(out)).toMatchObject([{ id, error: { code: -32600 } }]);
    }
    expect(e.pendingCount).toBe(1);
  });

  it('drops an answer for an id never asked', () => {
    const e = engine();
    const out = e.fromServer(frame(toolList(99, ['write_file'])));
    expect(out.outputs).toEqual([]);
    expect(out.records[0]).toMatchObject({ verdict: 'drop', rules: ['protocol.answer-unmatched'] });
  });

  it('drops a second answer for an answered id, in any spelling', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    expect(toClient(e.fromServer(frame(toolList(3, ['echo']))))).toHaveLength(1);
    for (const id of [3, '3', ' 3']) {
      const out = e.fromServer(frame(toolList(id, ['write_file'])));
      expect(out.outputs).toEqual([]);
      expect(out.records[0]).toMatchObject({ verdict: 'drop', rules: ['protocol.answer-unmatched'] });
    }
  });

  it('drops an answer sent before its request, and filters the answer sent after it', () => {
    const e = engine();
    expect(e.fromServer(frame(toolList(5, ['write_file']))).outputs).toEqual([]);
    e.fromClient(listRequest(5));
    expect(toClient(e.fromServer(frame(toolList(5, ['write_file', 'echo']))))).toMatchObject([{ id: 5, result: { tools: [{ name: 'echo' }] } }]);
  });

  it('drops an answer whose id is null or missing rather than forwarding it', () => {
    const e = engine();
    e.fromClient(listRequest(0));
    expect(e.fromServer(frame({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'x' } })).outputs).toEqual([]);
    expect(e.fromServer(frame({ jsonrpc: '2.0', result: { tools: [{ name: 'write_file' }] } })).outputs).toEqual([]);
    expect(e.pendingCount).toBe(1);
  });

  it('never matches an answer with two "id" keys naming different requests', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    e.fromClient(frame({ jsonrpc: '2.0', id: 4, method: 'prompts/list' }));
    for (const raw of [
      '{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"write_file"}]},"id":4}',
      '{"jsonrpc":"2.0","id":4,"result":{"tools":[{"name":"write_file"}]},"id":3}',
      '{"jsonrpc":"2.0","id":4,"result":{"tools":[{"name":"write_file"}]},"i\\u0064":3}',
      '{"jsonrpc":"2.0","\\u0069d":3,"result":{"tools":[{"name":"write_file"}]},"id":4}',
    ]) {
      const out = e.fromServer(frame(raw));
      expect(out.outputs).toEqual([]);
      expect(out.records[0]).toMatchObject({ verdict: 'drop', rules: ['protocol.answer-repeated-id'] });
    }
    expect(e.pendingCount).toBe(2);
  });

  it('reads only top-level "id" keys: nested ones and "id" inside strings do not count', () => {
    const e = engine();
    e.fromClient(frame({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: {} } }));
    const result = { content: [{ type: 'text', text: '"id":4, \\' }], rows: [{ id: 4 }, { id: 5, x: { id: '3' } }], k: '\\"id":5' };
    const raw = JSON.stringify({ jsonrpc: '2.0', id: 3, result });
    const out = e.fromServer(frame(raw));
    expect(out.outputs).toEqual([{ to: 'client', data: frame(raw) }]);
  });

  it('answers the one request every reading of a repeated id names with an error, at once', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    const out = e.fromServer(frame('{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"write_file"}]},"id":"3"}'));
    expect(toClient(out)).toMatchObject([{ jsonrpc: '2.0', id: 3, error: { code: -32603, message: expect.stringContaining('"id" keys') } }]);
    expect(toClientText(out)[0]).not.toContain('write_file');
    expect(e.pendingCount).toBe(0);
  });

  it('matches a large answer (envelope path) loosely too, and filters it', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    const pad = 'x'.repeat(LARGE_FRAME_BYTES);
    const out = e.fromServer(frame(`{"jsonrpc":"2.0","id":"3","result":{"tools":[{"name":"write_file","description":"${pad}"},{"name":"echo"}]}}`));
    expect(toClient(out)).toEqual([{ jsonrpc: '2.0', id: 3, result: { tools: [{ name: 'echo' }] } }]);
  });

  it('rewrites the id of a large, unscanned tools/call answer matched loosely, and drops an unmatched one unread', () => {
    const e = engine();
    e.fromClient(frame({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'echo', arguments: {} } }));
    const pad = 'y'.repeat(LARGE_FRAME_BYTES);
    const out = e.fromServer(frame(`{"jsonrpc":"2.0","id":"8","result":{"content":[{"type":"text","text":"${pad}"}]}}`));
    expect(toClient(out)).toMatchObject([{ id: 8, result: { content: [{ text: pad }] } }]);
    expect(e.fromServer(frame(`{"jsonrpc":"2.0","id":"8","result":{"content":[{"type":"text","text":"${pad}"}]}}`)).outputs).toEqual([]);
  });

  it('matches the elements of a server batch loosely and drops the unmatched ones', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    const out = e.fromServer(frame([toolList('3', ['write_file', 'echo']), toolList(42, ['write_file'])]));
    expect(toClient(out)).toEqual([[{ jsonrpc: '2.0', id: 3, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } }]]);
  });

  it('answers an oversize server frame to the pending request it names loosely, with the client id', () => {
    const e = engine();
    e.fromClient(listRequest(3));
    const out = e.oversize('server', 100_000_000, Buffer.from('{"jsonrpc":"2.0","id":"3","result":{"tools":[{"name":"a'), Buffer.from('"}]}}'));
    expect(toClient(out)).toMatchObject([{ id: 3, error: { code: -32011 } }]);
  });
  // Ids Python's int() reads as 3 though they are longer than 4096 characters (white space
  // Number() does not strip, underscores): the shim keyed them as strings of their own.
  const LONG_SPELLINGS_OF_3 = ['\u0085'.repeat(5000) + '3', '0_'.repeat(2100) + '3'];

  it.each(LONG_SPELLINGS_OF_3.map((id) => [id.length, id]))('filters a tools/list answer whose id is a %i-character spelling of 3, and sends it with the id the client wrote', (_length, id) => {
    const e = engine();
    e.fromClient(listRequest(3));
    const out = e.fromServer(frame(toolList(id, ['echo', 'write_file'])));
    const answers = toClient(out) as Array<{ id: unknown; result: { tools: Array<{ name: string }> } }>;
    expect(answers.map((a) => [a.id, a.result.tools.map((t) => t.name)])).toEqual([[3, ['echo']]]);
    expect(e.pendingCount).toBe(0);
  });

  it.each(LONG_SPELLINGS_OF_3.map((id) => [id.length, id]))('refuses a client request whose %i-character id Python reads as the 3 in flight', (_length, id) => {
    // Else an unfiltered list answered to it would reach a Python client as the answer to 3.
    const e = engine();
    e.fromClient(listRequest(3));
    const out = e.fromClient(frame({ jsonrpc: '2.0', id, method: 'prompts/list' }));
    expect(toServerText(out)).toEqual([]);
    expect(toClient(out)).toMatchObject([{ error: { code: -32600 } }]);
    expect(e.pendingCount).toBe(1);
  });
});
