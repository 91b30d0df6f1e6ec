/**
 * Below 16 KiB, a scanned answer's id is read in the walk that tells whether its text is
 * unambiguous (readAnswerIds); from 16 KiB on, by readTopLevelIds alone. The two must decide
 * alike: an answer just under and just over the size, differing only in the length of a plain
 * string, is matched or refused the same, for every spelling of its id (numbers and strings
 * that SDK clients coerce alike, escaped keys, repeated keys, "id" in strings and nested).
 */
import { describe, expect, it } from 'vitest';
import { harness, request } from '../adversarial/channels-helpers.js';

const WALK_FIRST_BELOW_CHARS = 16 * 1024;
const C = (text: string) => `{"content":[{"type":"text","text":"${text}"}]}`;

// Members holding the id, as a server may write them (each placed in the answer's object).
const ID_MEMBERS = [
  '"id":3', '"id":"3"', '"id":3.0', '"id":3e0', '"id":-0', '"id":"\\u0033"', '"id":" 3"', '"id" : 3 ',
  '"\\u0069d":3', '"i\\u0064":"3"', '"id":3,"id":"3"', '"id":3,"id":4', '"id":3,"\\u0069d":3', '"x\\"id":3',
  '"id":{"id":3}', '"id":[3]', '"id":null', '"id":12345678901234567', '"r":{"id":3}', '"s":"\\"id\\":3"',
  '"s":"x\\\\","id":3', '"a\\\\":"\\\\\\\\","id":3', '"id":3,"n":1e400', '"id":3,"d":{"a":1,"a":2}',
];

// The answer, its text made exactly `chars` long by a plain string in its result.
function answerOf(member: string, chars: number): string {
  const head = `{"jsonrpc":"2.0",${member},"result":`;
  const bare = head + C('') + '}';
  return head + C('a'.repeat(chars - bare.length)) + '}';
}

function decide(member: string, requestId: number | string, chars: number) {
  const h = harness();
  h.client(request('l', 'tools/list'));
  h.server({ jsonrpc: '2.0', id: 'l', result: { tools: [{ name: 'read', inputSchema: { type: 'object' } }] } });
  h.client(request(requestId, 'tools/call', { name: 'read', arguments: {} }));
  const frame = Buffer.from(answerOf(member, chars));
  expect(frame.length).toBe(chars);
  const out = h.engine.fromServer(frame);
  const record = out.records[0]!;
  return {
    verdict: record.verdict,
    rules: record.rules,
    id: record.id,
    outputs: out.outputs.map((o) => (Buffer.isBuffer(o.data) && o.data.equals(frame) ? 'as written' : `${o.to}: rewritten`)),
  };
}

describe('an answer is matched alike just under and just over the size its id is read in the walk', () => {
  it.each(ID_MEMBERS.flatMap((member) => [3, '3'].map((id) => [member, id] as const)))('%s answering request id %j', (member, id) => {
    const under = decide(member, id, WALK_FIRST_BELOW_CHARS - 1);
    const over = decide(member, id, WALK_FIRST_BELOW_CHARS + 1);
    expect(under).toEqual(over);
  });

  it('forwards the plain answer as written on both sides of the size, and refuses a repeated id on both', () => {
    for (const chars of [WALK_FIRST_BELOW_CHARS - 1, WALK_FIRST_BELOW_CHARS, WALK_FIRST_BELOW_CHARS + 1]) {
      expect(decide('"id":3', 3, chars)).toMatchObject({ verdict: 'forward', outputs: ['as written'] });
      expect(decide('"id":3,"id":4', 3, chars).verdict).not.toBe('forward');
      expect(decide('"\\u0069d":4,"id":3', 3, chars).verdict).not.toBe('forward');
    }
  });
});

describe('a forwarded answer is made one line as its bytes say, whatever its size', () => {
  // Below 64 KiB the engine tells an ASCII frame from its decoded text; from there on, from its
  // bytes. Either way the client gets oneLine(frame): bytes that are not UTF-8 read as decoded,
  // CRs dropped, separators escaped, a BOM removed.
  const ODD: Array<[string, number[]]> = [
    ['plain', []], ['a byte not UTF-8', [0xff]], ['a cut sequence', [0xc3]], ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['U+FFFD', [0xef, 0xbf, 0xbd]], ['U+2028', [0xe2, 0x80, 0xa8]], ['U+0085', [0xc2, 0x85]], ['an emoji', [0xf0, 0x9f, 0x98, 0x80]],
  ];
  const SIZES = [16 * 1024 - 1, 16 * 1024 + 1, 64 * 1024 - 2, 64 * 1024, 64 * 1024 + 2];

  it.each(ODD.flatMap(([name, bytes]) => SIZES.map((size) => [name, size, bytes] as const)))('%s in a text, frame near %i bytes', async (name, size, odd) => {
    const { oneLine } = await import('../../src/protocol/one-line.js');
    for (const shape of ['as is', 'with a CR', 'with a BOM'] as const) {
      const h = harness();
      h.client(request('l', 'tools/list'));
      h.server({ jsonrpc: '2.0', id: 'l', result: { tools: [{ name: 'read', inputSchema: { type: 'object' } }] } });
      h.client(request(3, 'tools/call', { name: 'read', arguments: {} }));
      const head = Buffer.from(`${shape === 'with a BOM' ? '\ufeff' : ''}{"jsonrpc":"2.0",${shape === 'with a CR' ? '\r' : ''}"id":3,"result":{"content":[{"type":"text","text":"`);
      const tail = Buffer.from('"}]}}');
      const fill = Buffer.alloc(Math.max(0, size - head.length - tail.length - odd.length), 0x61);
      const frame = Buffer.concat([head, Buffer.from(odd), fill, tail]);
      const out = h.engine.fromServer(frame);
      if (shape === 'with a BOM') {
        // (JSON.parse refuses a BOM: the frame is noise, not forwarded.)
        expect(out.outputs).toEqual([]);
        continue;
      }
      expect(out.outputs).toHaveLength(1);
      // (U+0085 is a control character: the result scan strips it, and the answer is rewritten.)
      if (name === 'U+0085') expect(out.records[0]!.rules).toContain('result.hidden');
      else expect(Buffer.from(out.outputs[0]!.data).equals(Buffer.from(oneLine(frame)))).toBe(true);
    }
  });
});
