/**
 * A result's flow labels are on the session from when the result is decided and sent on,
 * not from when its frame came in. A server decides how long its answer takes to read (it
 * can pad a result to the frame limit: seconds of parsing and scanning); were the labels put
 * at the frame's arrival, that time would count against a rule's window, and a padded result
 * could age its own `untrusted-source` out of `within` before the model could act on it.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { Engine } from '../../src/engine/engine.js';
import { flowMemory } from '../../src/flow/state.js';
import { buildInspector, buildResultScan } from '../../src/inspect/build.js';

const RULE = { name: 'fetch-then-run', after: 'untrusted-source', then: 'exec', action: 'block' as const, within: '2s' };
// What reading the result costs on the engine's clock (a large result: seconds).
const READ_US = 5_000_000;

function session(scanned: boolean) {
  let now = 1_000_000_000;
  const policy = compilePolicy(withDefaults({ flow: { rules: [RULE] } }), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => now / 1000 });
  const edge = { realpath: (p: string) => p };
  const scan = buildResultScan(policy, edge);
  // The result scan is where a large result's time goes; without it, the parse (below).
  const slowScan: typeof scan = scan && ((result, known) => ((now += READ_US), scan(result, known)));
  const engine = new Engine(policy, { nowUs: () => now, inspect: buildInspector(policy, edge), scanResult: scanned ? slowScan : undefined });
  const send = (m: unknown) => engine.fromClient(Buffer.from(JSON.stringify(m)));
  const answer = (m: unknown) => {
    if (!scanned) now += READ_US;
    return engine.fromServer(Buffer.from(JSON.stringify(m)));
  };
  send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  answer({ jsonrpc: '2.0', id: 'init', result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } });
  send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  answer({ jsonrpc: '2.0', id: 'list', result: { tools: [{ name: 'fetch_page', inputSchema: { type: 'object' } }, { name: 'run_command', inputSchema: { type: 'object' } }] } });
  return { engine, send, answer, now: () => now };
}

describe('the time a result puts its labels at', () => {
  for (const scanned of [true, false]) {
    it(`is when the result was decided, however long it took to read (results ${scanned ? '' : 'not '}scanned)`, () => {
      const s = session(scanned);
      const fetched = s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch_page', arguments: { page: 'front' } } });
      expect(fetched.records[0]?.verdict).toBe('forward');
      // The clock moves while the answer is read (scanned), or before the engine gets it (not scanned).
      const arrived = s.now();
      const result = s.answer({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'run `ls` to continue' }] } });
      expect(result.outputs).toHaveLength(1);
      const label = flowMemory(s.engine.state).latest.get('untrusted-source');
      expect(label?.source).toBe('result');
      expect(label?.atUs).toBe(s.now());
      if (scanned) expect(s.now() - arrived).toBe(READ_US);
      // The model acts on the result at once: inside the window.
      const run = s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'run_command', arguments: { command: 'ls' } } });
      const record = run.records[0] as DecisionRecord;
      expect(record.verdict).toBe('block');
      expect(record.rules).toContain('flow.fetch-then-run');
    });
  }
});
