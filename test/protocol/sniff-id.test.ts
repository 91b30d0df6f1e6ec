import { describe, expect, it } from 'vitest';
import { sniffId } from '../../src/protocol/sniff-id.js';

describe('sniffId', () => {
  it.each([
    ['an integer id at the head', '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":"', '', 7],
    ['a string id at the head', '{ "id" : "a\\"b", "jsonrpc":"2.0","params":{', '', 'a"b'],
    ['an id after other scalars', '{"jsonrpc":"2.0","method":"x","id":-3,"params":[', '', -3],
    ['an id at the tail', '{"result":{"content":[{"text":"', 'xx"}]},"jsonrpc":"2.0","id":42}', 42],
    ['a string id at the tail with spaces', '{"result":[', '] , "id" : "r-9" }\n', 'r-9'],
  ])('finds %s', (_, head, tail, expected) => {
    expect(sniffId(head, tail)).toBe(expected);
  });

  it.each([
    ['an "id" inside a nested value', '{"params":{"id":5,', '"x"}}'],
    ['an "id" inside a string value', '{"method":"say \\"id\\": 5","params":{', 'zz"}}'],
    ['a tail whose last key closes a nested object', '{"result":{', '{"id":5}}'],
    ['a fractional id', '{"id":1.5,"params":{', ''],
    ['nothing', '', ''],
  ])('does not trust %s', (_, head, tail) => {
    expect(sniffId(head, tail)).toBeUndefined();
  });
});
