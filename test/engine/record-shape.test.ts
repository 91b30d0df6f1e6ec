import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { Engine } from '../../src/engine/engine.js';
import { buildInspector, buildResultScan } from '../../src/inspect/build.js';

// The records of the most common decisions (a call let through, its clean result) are
// written out as literals rather than spread from a base record, for speed. These pin them
// to what the spreads made: the same keys, in the same order, with the same values, so the
// audit, `policy learn` and anything else reading a record sees no difference.

function engine(): Engine {
  let t = 0;
  const policy = compilePolicy({}, ['test']);
  const edge = { realpath: () => undefined };
  return new Engine(policy, { nowUs: () => (t += 5), inspect: buildInspector(policy, edge), scanResult: buildResultScan(policy, edge) });
}

const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('records of the common decisions', () => {
  it.each([1, 'abc', 2 ** 40, 'x-1'])('a call let through, id %s: keys and values as { ...base, tool, args } then { verdict, rules }', (id) => {
    const e = engine();
    const args = { text: 'hello vanguard', n: 3 };
    const out = e.fromClient(frame({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: args } }));
    const record = out.records[0] as unknown as Record<string, unknown>;
    const base = { direction: 'client', method: 'tools/call', id };
    const withTool = { ...base, tool: 'echo', args };
    const expected = { ...{ ...withTool, verdict: 'forward', rules: ['default'] }, decisionUs: record.decisionUs };
    expect(Object.keys(record)).toEqual(Object.keys(expected));
    expect(record).toStrictEqual(expected);
  });

  it.each([
    ['tools/call', { name: 'echo', arguments: {} }, { content: [{ type: 'text', text: 'Echo: hello vanguard' }] }],
    ['resources/read', { uri: 'file:///a.txt' }, { contents: [{ uri: 'file:///a.txt', text: 'plain words, nothing else' }] }],
    ['prompts/get', { name: 'p' }, { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise the report.' } }] }],
  ])('a clean %s result: keys and values as { ...base, verdict, rules, detail }', (method, params, result) => {
    for (const id of [7, 'r-7']) {
      const e = engine();
      e.fromClient(frame({ jsonrpc: '2.0', id, method, params }));
      const out = e.fromServer(frame({ jsonrpc: '2.0', id, result }));
      const record = out.records[0] as unknown as Record<string, unknown>;
      const tool = method === 'tools/call' ? 'echo' : undefined;
      const base = { direction: 'server', method, id, ...(tool !== undefined && { tool }) };
      const expected = { ...{ ...base, verdict: 'forward', rules: [], detail: undefined }, decisionUs: record.decisionUs };
      expect(Object.keys(record)).toEqual(Object.keys(expected));
      expect(record).toStrictEqual(expected);
      expect(out.outputs).toHaveLength(1);
    }
  });

  it.each([
    ['notifications/progress', undefined, { progressToken: 1, progress: 5, total: 10, message: 'halfway there, nothing odd' }],
    ['notifications/message', undefined, { level: 'info', data: 'a log line' }],
    ['ping', 41, {}],
    ['roots/list', 'srv-1', {}],
  ])('a server %s passed on: keys and values as { ...base, verdict, rules }', (method, id, params) => {
    const e = engine();
    const message = id === undefined ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', id, method, params };
    const out = e.fromServer(frame(message));
    const record = out.records[0] as unknown as Record<string, unknown>;
    const base = { direction: 'server', method, ...(id !== undefined && { id }) };
    const expected = { ...{ ...base, verdict: 'forward', rules: [] }, decisionUs: record.decisionUs };
    expect(Object.keys(record)).toEqual(Object.keys(expected));
    expect(record).toStrictEqual(expected);
  });

  it.each([
    ['tools/list', {}],
    ['tools/list', { cursor: 'c2' }],
    ['resources/read', { uri: 'file:///a' }],
  ])('a %s request waits with the same pending entry (first page only for lists)', (method, params) => {
    const e = engine();
    e.fromClient(frame({ jsonrpc: '2.0', id: 9, method, params }));
    const pending = e.state.pendingClient.values().next().value as unknown as Record<string, unknown>;
    const firstPage = method.endsWith('/list') ? !('cursor' in params) : undefined;
    const expected = { id: 9, method, tool: undefined, modern: false, cancelled: false, batch: undefined, ...(firstPage !== undefined && { firstPage }) };
    expect(Object.keys(pending)).toEqual(Object.keys(expected));
    expect(pending).toStrictEqual(expected);
  });
});
