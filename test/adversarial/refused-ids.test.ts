/**
 * Issue 8, "refused frames whose id can be read are answered with that id": invalid UTF-8,
 * trailing garbage, nesting too deep, duplicate keys, syntax errors. Never a guess: when
 * the id could be read two ways, the refusal goes to null.
 */
import { describe, expect, it } from 'vitest';
import { engine, toClient, toServerText } from './helpers.js';

const bytes = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

const READABLE: Array<[string, Buffer, string | number]> = [
  ['invalid UTF-8 in a value', bytes('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"a":"', [0xc0, 0xaf], '"}}}'), 7],
  ['invalid UTF-8, id last', bytes('{"jsonrpc":"2.0","method":"ping","params":{"a":"', [0xff], '"},"id":"k"}'), 'k'],
  ['trailing garbage', bytes('{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo"},"id":11} trailing'), 11],
  ['a second object on the line', bytes('{"jsonrpc":"2.0","method":"ping","params":{},"id":12}{"jsonrpc":"2.0"}'), 12],
  ['nesting too deep', bytes(`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","arguments":{"a":${deep(600)}}},"id":"deep"}`), 'deep'],
  ['a duplicate key that is not the id', bytes('{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","name":"write_file"},"id":13}'), 13],
  ['the same id twice', bytes('{"jsonrpc":"2.0","id":14,"method":"ping","id":14}'), 14],
  ['a syntax error, id at the head', bytes('{"jsonrpc":"2.0","id":15,"method":"tools/call","params":{"name":"echo",,}}'), 15],
  ['a syntax error, id at the tail', bytes('{"jsonrpc":"2.0","method":"tools/call","params":{"name":01},"id":16}'), 16],
  ['a byte order mark and invalid UTF-8', bytes([0xef, 0xbb, 0xbf], '{"id":17,"jsonrpc":"2.0","method":"ping","x":"', [0xfe], '"}'), 17],
  ['an escaped id key', bytes('{"jsonrpc":"2.0","\\u0069d":18,"method":"ping","params":{"a":tru}}'), 18],
];

const AMBIGUOUS: Array<[string, Buffer]> = [
  ['two different ids', bytes('{"jsonrpc":"2.0","id":1,"method":"ping","id":2}')],
  ['two ids, one escaped', bytes('{"jsonrpc":"2.0","id":1,"method":"ping","i\\u0064":"1"}')],
  ['head and tail disagree', bytes('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":x},"id":2}')],
  ['an id that is not UTF-8', bytes('{"jsonrpc":"2.0","id":"a', [0xff], '","method":"ping"}')],
  ['a fractional id', bytes('{"jsonrpc":"2.0","id":1.5,"method":"ping",}')],
];

describe('refused frames whose id can be read are answered with that id', () => {
  it.each(READABLE)('answers %s with the id it names', (_name, raw, id) => {
    const out = engine().fromClient(raw);
    expect(toServerText(out)).toEqual([]);
    expect(toClient(out)).toMatchObject([{ jsonrpc: '2.0', id, error: { code: expect.any(Number) } }]);
  });

  it.each(AMBIGUOUS)('answers %s with a null id, never a guess', (_name, raw) => {
    const out = engine().fromClient(raw);
    expect(toServerText(out)).toEqual([]);
    expect(toClient(out)).toMatchObject([{ id: null }]);
  });

  it('answers an oversize client frame by its id only when head and tail agree', () => {
    const head = Buffer.from('{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"a":"xx');
    expect(toClient(engine().oversize('client', 1e8, head, Buffer.from('xx"},"id":"other"}')))).toMatchObject([{ id: null }]);
    expect(toClient(engine().oversize('client', 1e8, head, Buffer.from('xx"},"id":"big"}')))).toMatchObject([{ id: 'big' }]);
  });

  it('does not let a refused frame reusing an in-flight id swallow the cancel of the real request', () => {
    const e = engine();
    e.fromClient(Buffer.from('{"jsonrpc":"2.0","id":5,"method":"tools/list"}'));
    e.fromClient(Buffer.from('{"jsonrpc":"2.0","id":5,"method":"ping"} junk'));
    const cancel = e.fromClient(Buffer.from('{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}}'));
    expect(toServerText(cancel)).toHaveLength(1);
  });
});
