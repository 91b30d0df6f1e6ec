/** A real engine (inspection and result scan on) with a clock the test moves, driven call by call. */
import { compilePolicy } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { withDefaults } from '../../src/config/merge.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { Engine } from '../../src/engine/engine.js';
import { buildInspector, buildResultScan } from '../../src/inspect/build.js';

export interface Step {
  refused: boolean;
  /** The refusal text the model reads, when refused. */
  text: string;
  record: DecisionRecord;
  /** The record of the result, when one was sent. */
  resultRecord?: DecisionRecord;
}

export interface ToolDef {
  name: string;
  annotations?: Record<string, boolean>;
  inputSchema?: Record<string, unknown>;
}

/** A session under `doc` merged over the defaults, in /work/project, home /home/dev. */
export function flowSession(doc: PolicyDocument = {}, tools: ToolDef[] = []) {
  let now = 5_000_000_000;
  const policy = compilePolicy(withDefaults(doc), ['test'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => now / 1000 });
  const edge = { realpath: (p: string) => p };
  const engine = new Engine(policy, { nowUs: () => now, inspect: buildInspector(policy, edge), scanResult: buildResultScan(policy, edge) });
  let next = 0;
  const send = (message: unknown) => engine.fromClient(Buffer.from(JSON.stringify(message)));
  const answer = (message: unknown) => engine.fromServer(Buffer.from(JSON.stringify(message)));
  send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  answer({ jsonrpc: '2.0', id: 'init', result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } });
  send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  answer({ jsonrpc: '2.0', id: 'list', result: { tools: tools.map((t) => ({ inputSchema: { type: 'object' }, ...t })) } });
  return {
    /** Move the clock on. */
    advance(seconds: number) {
      now += seconds * 1_000_000;
    },
    /** Call a tool; when forwarded, the server answers with `result` text. */
    call(name: string, args: Record<string, unknown> = {}, result = 'ok'): Step {
      const id = next++;
      const out = send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
      const record = out.records[0] as DecisionRecord;
      const toClient = out.outputs.find((o) => o.to === 'client');
      if (toClient) {
        const message = JSON.parse(toClient.data.toString()) as { result?: { content?: Array<{ text: string }> }; error?: { message: string } };
        return { refused: true, text: message.result?.content?.[0]?.text ?? message.error?.message ?? '', record };
      }
      const back = answer({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: result }] } });
      return { refused: false, text: '', record, resultRecord: back.records[0] as DecisionRecord };
    },
  };
}
