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
