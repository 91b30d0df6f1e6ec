/**
 * A server answer is decided on one reading of the clock taken when the engine gets the frame
 * (and one more at the end, for the decision's time): a tool result's flow labels are put at
 * that first reading, as a call's are put at the time the engine took the call.
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

describe('the clock of a server answer', () => {
  for (const scanResults of [true, false]) {
    it(`puts a result's flow labels at the time the frame was taken, read once before the end (results ${scanResults ? '' : 'not '}scanned)`, () => {
      const { engine, reads } = session(scanResults);
      // A fetching tool: its result puts untrusted-source on the session.
      engine.fromClient(frame({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch_page', arguments: { page: 'front' } } }));
      expect(engine.state.pendingClient.size).toBe(1);
      const before = reads.length;
      const out = engine.fromServer(frame({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'news' }] } }));
      expect(out.outputs).toHaveLength(1);
      expect(reads.length - before).toBe(2);
      const label = flowMemory(engine.state).latest.get('untrusted-source');
      expect(label?.source).toBe('result');
      expect(label?.atUs).toBe(reads[before]);
      expect(out.records[0]?.decisionUs).toBe(reads[before + 1]! - reads[before]!);
    });
  }
});
