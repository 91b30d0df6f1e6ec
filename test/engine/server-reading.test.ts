/**
 * readServerFrame (src/engine/server-reading.ts): the engine's reading of a server frame after
 * the frames that mislead Node 24.21.0's JSON.parse (src/protocol/escaped-keys.ts). Each text
 * is given, as the engine gives it, JSON.parse's value; the message must have every key as
 * written, whichever way the frame is read (walked first as a scanned answer, or not), and an
 * answer its id readings. On Node 24.21.0 these fail without the look for escaped keys.
 */
import { describe, expect, it } from 'vitest';
import { readServerFrame } from '../../src/engine/server-reading.js';

// A first key no other object in the process has, so the maps V8 builds for it have one
// transition each: the key "a\\" (a, backslash), then the rest's keys. The same keys after
// "a\"" then follow those transitions, and the key is misread as "a\\".
let probes = 0;
function misleading(rest: string): string {
  const first = `vanguardReading${++probes}`;
  JSON.parse(`{"${first}":0,"a\\\\":1,${rest}}`);
  return `{"${first}":0,"a\\"":1,${rest}}`;
}

function read(text: string, scansResults: boolean) {
  return readServerFrame(Buffer.from(text), text, JSON.parse(text), scansResults);
}

describe('readServerFrame, after frames that mislead Node 24.21.0\'s JSON.parse', () => {
  it('reads a notification\'s keys as written', () => {
    const text = misleading('"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}');
    const known = read(text, true);
    expect(known.message.kind).toBe('notification');
    expect(Object.keys(known.message.kind === 'notification' ? known.message.message : {})).toContain('a"');
    expect(known.strict()).toMatchObject({ ok: true, value: { 'a"': 1 } });
  });

  for (const scansResults of [true, false]) {
    it(`reads an answer's keys as written, and its id, ${scansResults ? 'walked first (results scanned)' : 'not walked'}`, () => {
      const text = misleading('"jsonrpc":"2.0","id":7,"result":{"content":[]}');
      const known = read(text, scansResults);
      expect(known.message.kind).toBe('response');
      expect(Object.keys(known.message.kind === 'response' ? known.message.message : {})).toEqual([expect.stringMatching(/^vanguardReading/), 'a"', 'jsonrpc', 'id', 'result']);
      expect(known.readings).toEqual([{ value: 7, raw: '7' }]);
    });
  }

  it('keeps JSON.parse\'s value for a text with plain keys (escapes in values only)', () => {
    const text = '{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"caf\\u00e9 \\"x\\" \\\\ \\n"}]}}';
    const parsed = JSON.parse(text) as unknown;
    for (const scansResults of [true, false]) {
      const known = readServerFrame(Buffer.from(text), text, parsed, scansResults);
      expect(known.message.kind === 'response' && known.message.message).toBe(parsed);
      expect(known.readings).toEqual([{ value: 3, raw: '3' }]);
    }
  });
});
