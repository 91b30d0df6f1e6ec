/** Shared pieces of the adversarial engine tests: an engine with a policy that hides a tool, and outcome views. */
import { compilePolicy } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { Engine, type EngineDeps } from '../../src/engine/engine.js';
import type { Outcome } from '../../src/engine/outcome.js';

/** write_* is hidden; delete_everything is refused. */
export const POLICY: PolicyDocument = {
  tools: {
    deny: ['write_*'],
    actions: { delete_everything: { action: 'block', reason: 'deleting is done by hand.' } },
  },
};

export function engine(doc: PolicyDocument = POLICY, deps: Partial<EngineDeps> = {}): Engine {
  let t = 0;
  return new Engine(compilePolicy(doc, ['test']), { nowUs: () => (t += 3), ...deps });
}

export const frame = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
export const text = (data: Buffer | string): string => (typeof data === 'string' ? data : data.toString('utf8'));
export const toServerText = (o: Outcome): string[] => o.outputs.filter((x) => x.to === 'server').map((x) => text(x.data));
export const toClientText = (o: Outcome): string[] => o.outputs.filter((x) => x.to === 'client').map((x) => text(x.data));
export const toClient = (o: Outcome): unknown[] => toClientText(o).map((t) => JSON.parse(t));

/** How common readers split lines. Each returns the non-empty lines of `s`. */
export const READERS: Record<string, (s: string) => string[]> = {
  // Python's universal newlines (TextIOWrapper, newline=None), Node readline, Java/.NET ReadLine.
  universal: (s) => s.split(/\r\n|\r|\n/),
  // Python's str.splitlines.
  splitlines: (s) => s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/),
  // Go's bufio.Scanner, Rust's lines(), the TypeScript SDK's ReadBuffer.
  lf: (s) => s.split('\n'),
};

/** What every reader reads from one written frame (its newline added), blank lines dropped. */
export function linesPerReader(written: string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(READERS).map(([name, split]) => [name, split(`${written}\n`).filter((line) => line.trim() !== '')]));
}

/** A tools/list answer to `id` listing `names`. */
export const toolList = (id: unknown, names: string[]) => ({ jsonrpc: '2.0', id, result: { tools: names.map((name) => ({ name, inputSchema: { type: 'object' } })) } });
