/** An allowed tools/call goes to the server as it came only when every reader reads its bytes one way; otherwise re-serialised. */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outcome } from '../../src/engine/outcome.js';

function engine(): Engine {
  let t = 0;
  return new Engine(compilePolicy({}, ['test']), { nowUs: () => (t += 3) });
}
const toServer = (o: Outcome): string[] => o.outputs.filter((x) => x.to === 'server').map((x) => (typeof x.data === 'string' ? x.data : x.data.toString('utf8')));

describe('tools/call forwarded as written', () => {
  it('sends plain ASCII with plain integers as it came, spacing and all', () => {
    const e = engine();
    const raw = '{"jsonrpc":"2.0", "id":3, "method":"tools/call", "params":{"name":"echo", "arguments":{"text":"hello vanguard", "n":[1,-2,30]}}}';
    const out = e.fromClient(Buffer.from(raw));
    expect(toServer(out)).toEqual([raw]);
    expect(out.records[0]).toMatchObject({ verdict: 'forward', tool: 'echo', args: { text: 'hello vanguard', n: [1, -2, 30] } });
    expect(e.state.asWritten).toBeUndefined();
  });

  it('re-serialises text with non-ASCII, escapes or fractions, as before', () => {
    const cases: Array<[string, string]> = [
      ['{"jsonrpc":"2.0", "id":4,"method":"tools/call","params":{"name":"echo","arguments":{"t":"é"}}}', '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"t":"é"}}}'],
      ['{"jsonrpc":"2.0", "id":5,"method":"tools/call","params":{"name":"\\u0065cho","arguments":{}}}', '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{}}}'],
      ['{"jsonrpc":"2.0", "id":6,"method":"tools/call","params":{"name":"echo","arguments":{"x":1.5}}}', '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":{"x":1.5}}}'],
    ];
    for (const [raw, sent] of cases) expect(toServer(engine().fromClient(Buffer.from(raw)))).toEqual([sent]);
  });

  it('never sends a refused call, written plainly or not', () => {
    const e = new Engine(compilePolicy({ tools: { deny: ['write_*'] } }, ['test']), { nowUs: () => 1 });
    const out = e.fromClient(Buffer.from('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"write_file","arguments":{}}}'));
    expect(toServer(out)).toEqual([]);
    expect(e.state.asWritten).toBeUndefined();
  });
});
