/**
 * A server answer is decided on one reading of the clock taken when the engine gets the frame
 * and one at the end, for the decision's time. A tool result that puts flow labels reads it once
 * more, when it is decided: its labels are on the session from then, not from the frame's
 * arrival (the time a server takes to have its answer read is not taken off a rule's window;
 * test/flow/result-label-time.test.ts). Most results put none, and read the clock twice.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { Engine } from '../../src/engine/engine.js';
import { flowMemory } from '../../src/flow/state.js';

const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function session(scanResults: boolean) {
  const reads: number[] = [];
  let t = 1_000_000;
  const policy = compilePolicy({}, ['test']);
  const scanResult = scanResults ? (result: unknown) => ({ value: result, changed: false, injection: [], redacted: {}, hidden: {} }) : undefined;
  const engine = new Engine(policy, { nowUs: () => (reads.push((t += 7)), t), scanResult });
  return { engine, reads };
}

const result = (id: number) => frame({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'news' }] } });

describe('the clock of a server answer', () => {
  for (const scanResults of [true, false]) {
    it(`puts a result's flow labels at a reading taken when it is decided (results ${scanResults ? '' : 'not '}scanned)`, () => {
      const { engine, reads } = session(scanResults);
      // A fetching tool: its result puts untrusted-source on the session.
      engine.fromClient(frame({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch_page', arguments: { page: 'front' } } }));
      expect(engine.state.pendingClient.size).toBe(1);
      const before = reads.length;
      const out = engine.fromServer(result(1));
      expect(out.outputs).toHaveLength(1);
      expect(reads.length - before).toBe(3);
      const label = flowMemory(engine.state).latest.get('untrusted-source');
      expect(label?.source).toBe('result');
      expect(label?.atUs).toBe(reads[before + 1]);
      expect(out.records[0]?.decisionUs).toBe(reads[before + 2]! - reads[before]!);
    });

    it(`reads the clock twice for a result that puts no label (results ${scanResults ? '' : 'not '}scanned)`, () => {
      const { engine, reads } = session(scanResults);
      engine.fromClient(frame({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }));
      const before = reads.length;
      const out = engine.fromServer(result(1));
      expect(out.outputs).toHaveLength(1);
      expect(reads.length - before).toBe(2);
      expect(flowMemory(engine.state).latest.size).toBe(0);
      expect(out.records[0]?.decisionUs).toBe(reads[before + 1]! - reads[before]!);
    });
  }
});
