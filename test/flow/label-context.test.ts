/**
 * A tool's label context is kept per session (src/engine/tool-flow.ts) only while what it is
 * made of stays the same: a new listing that changes what the tool's schema says of an
 * argument changes the labels of the very next call, and a call after it reads the same.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { Engine } from '../../src/engine/engine.js';

const COMMAND = { type: 'string', description: 'The shell command to run' };
const PLAIN = { type: 'string' };

function session() {
  const policy = compilePolicy(withDefaults({}), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => 0 });
  const engine = new Engine(policy, { nowUs: () => 5_000_000 });
  let id = 0;
  const send = (m: unknown) => engine.fromClient(Buffer.from(JSON.stringify(m)));
  const answer = (m: unknown) => engine.fromServer(Buffer.from(JSON.stringify(m)));
  const list = (x: unknown) => {
    const listId = `list-${id++}`;
    send({ jsonrpc: '2.0', id: listId, method: 'tools/list' });
    answer({ jsonrpc: '2.0', id: listId, result: { tools: [{ name: 'runner', inputSchema: { type: 'object', properties: { x: x } } }] } });
  };
  const labels = (): string[] => {
    const callId = id++;
    const out = send({ jsonrpc: '2.0', id: callId, method: 'tools/call', params: { name: 'runner', arguments: { x: 'ls -la' } } });
    answer({ jsonrpc: '2.0', id: callId, result: { content: [{ type: 'text', text: 'ok' }] } });
    const record = out.records[0] as DecisionRecord;
    expect(record.verdict).toBe('forward');
    return ((record.detail?.flow as { labels?: string[] } | undefined)?.labels ?? []).slice().sort();
  };
  send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  answer({ jsonrpc: '2.0', id: 'init', result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } });
  return { list, labels };
}

describe('the label context of a tool', () => {
  it('follows the tool schema of the latest listing, call after call', () => {
    const s = session();
    s.list(PLAIN);
    expect(s.labels()).toEqual([]);
    expect(s.labels()).toEqual([]);
    s.list(COMMAND);
    expect(s.labels()).toEqual(['exec']);
    expect(s.labels()).toEqual(['exec']);
    s.list(PLAIN);
    expect(s.labels()).toEqual([]);
  });
});
