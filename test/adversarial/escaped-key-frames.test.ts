/**
 * A server that spells an envelope key with an escape after a frame that teaches Node 24.21.0's
 * JSON.parse to misread it (src/protocol/escaped-keys.ts). A first key no other object has makes
 * V8 build maps with one transition each; after `{"k":0,"jsonrpc":"2.0","id":1,"m\\u006":…}`
 * (the key is m, backslash, u006), the key "m\u0065thod" in a frame of the same keys is read as
 * "m\\u006": the message has no method to the shim, while every client reads "method".
 *
 * Here that turns a server request carrying an injection into what looks like the answer to a
 * pending ping, forwarded unread; a client that takes the method first (Python's union of
 * message types) then runs the sampling request. The shim must read the key as written on
 * every Node. (On 24.21.0 these failed before server frames were looked through for such keys.)
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { hasPython } from '../protocol/python.js';
import { harness, INJECTION, request } from './channels-helpers.js';

const params = `{"messages":[{"role":"user","content":{"type":"text","text":${JSON.stringify(INJECTION)}}}],"maxTokens":100}`;
let frames = 0;

// The teaching frame and the attack, both from the server, keyed alike.
function pair(id: number, method: string, keyAsTaught: string, keyAsSent: string): [string, string] {
  const first = `vanguardEnvelope${++frames}`;
  const frame = (key: string) => `{"${first}":0,"jsonrpc":"2.0","id":${id},"${key}":"${method}","params":${params},"result":{}}`;
  return [frame(keyAsTaught), frame(keyAsSent)];
}

describe('an envelope key spelled with an escape, after a frame that teaches V8 to misread it', () => {
  for (const [label, taught, sent] of [
    ['method, its e escaped', 'm\\\\u006', 'm\\u0065thod'],
    ['method, its d escaped', 'metho\\\\', 'metho\\u0064'],
  ] as const) {
    it(`a sampling request dressed as the answer to a ping is not forwarded (${label})`, () => {
      const h = harness();
      h.client(request(42, 'ping'));
      const [teach, attack] = pair(42, 'sampling/createMessage', taught, sent);
      h.server(teach);
      const out = h.server(attack);
      expect(JSON.stringify(out.toClient)).not.toContain('Ignore all previous');
      expect(out.toClient).toEqual([]);
      // Read as written: a message with a method and a result, which no reader can take one way.
      expect(out.records[0]).toMatchObject({ direction: 'server', verdict: 'drop', rules: ['protocol.noise'] });
    });
  }

  it('the same request with its key spelled so, and no result, is scanned and refused', () => {
    const h = harness();
    const first = `vanguardEnvelope${++frames}`;
    const frame = (key: string, id: number) => `{"${first}":0,"jsonrpc":"2.0","id":${id},"${key}":"sampling/createMessage","params":${params}}`;
    h.server(frame('m\\\\u006', 5));
    const out = h.server(frame('m\\u0065thod', 6));
    expect(out.toClient).toEqual([]);
    expect(out.toServer[0]).toMatchObject({ id: 6, error: { code: -32010 } });
    expect(out.records[0]).toMatchObject({ direction: 'server', method: 'sampling/createMessage', verdict: 'block' });
  });
});

describe('JSON inside an argument, its key spelled with an escape after a string that teaches V8 to misread it', () => {
  // Servers parse JSON carried in a string argument, so its strings are inspected by what
  // their keys name: "cmd" is a command. The argument "note" carries JSON whose key is c,
  // backslash, u; the key "c\u006dd" in "config" was then read as that, not a command.
  const listed = (h: ReturnType<typeof harness>) => {
    h.client(request(2, 'tools/list'));
    h.server({ jsonrpc: '2.0', id: 2, result: { tools: [{ name: 'apply', description: 'Applies a config.', inputSchema: { type: 'object', properties: { note: { type: 'string' }, config: { type: 'string' } } } }] } });
  };
  const command = `python -c "import os; os.system('id')"`;

  it('in one call: the command is found and the call refused', () => {
    const h = harness();
    listed(h);
    const first = `vanguardNested${++frames}`;
    const note = `{"${first}":0,"c\\\\u":1}`;
    const config = `{"${first}":0,"c\\u006dd":${JSON.stringify(command)}}`;
    expect(JSON.parse(config)).toEqual({ [first]: 0, cmd: command });
    const out = h.client(request(3, 'tools/call', { name: 'apply', arguments: { note, config } }));
    expect(out.toServer).toEqual([]);
    expect(out.records[0]).toMatchObject({ verdict: 'block', rules: expect.arrayContaining(['cmd.inline-code-exec']) });
  });

  it('over two calls the same', () => {
    const h = harness();
    listed(h);
    const first = `vanguardNested${++frames}`;
    h.client(request(3, 'tools/call', { name: 'apply', arguments: { note: `{"${first}":0,"c\\\\u":1}` } }));
    const out = h.client(request(4, 'tools/call', { name: 'apply', arguments: { config: `{"${first}":0,"c\\u006dd":${JSON.stringify(command)}}` } }));
    expect(out.records[0]).toMatchObject({ verdict: 'block', rules: expect.arrayContaining(['cmd.inline-code-exec']) });
  });
});

describe.runIf(hasPython())('how a Python peer reads the same frames (json.loads)', () => {
  const keys = (text: string): string[] => JSON.parse(execFileSync('python3', ['-c', 'import json,sys; print(json.dumps(list(json.loads(sys.stdin.read()).keys())))'], { input: text, encoding: 'utf8' })) as string[];

  it('reads the key the shim now reads: "method", "cmd"', () => {
    const [, attack] = pair(7, 'sampling/createMessage', 'm\\\\u006', 'm\\u0065thod');
    expect(keys(attack)).toContain('method');
    expect(keys(`{"vanguardPy":0,"c\\u006dd":"x"}`)).toEqual(['vanguardPy', 'cmd']);
  });
});

