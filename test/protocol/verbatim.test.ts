/** Which client frames may go to the server as they came: only text every JSON reader reads one way. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneLineText } from '../../src/protocol/one-line.js';
import { sendableAsWritten } from '../../src/protocol/verbatim.js';
import { scaled } from '../test-scale.js';

describe('sendableAsWritten', () => {
  it('takes printable ASCII with plain integers, whatever the spacing', () => {
    expect(sendableAsWritten('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello, world! {[1.5e3]} -0"}}}')).toBe(true);
    expect(sendableAsWritten('{ "id" : -42 , "a" : [ 0, 1, 999999999999999 ], "b": true, "c": false, "d": null }')).toBe(true);
    expect(sendableAsWritten('{"text":"1.5e3 -0 0.1 are only text in a string"}')).toBe(true);
  });

  it('turns down any backslash, so no escape is read two ways', () => {
    expect(sendableAsWritten('{"name":"\\u0065cho"}')).toBe(false);
    expect(sendableAsWritten('{"a":"\\\\"}')).toBe(false);
    expect(sendableAsWritten('{"a\\"b":1}')).toBe(false);
  });

  it('turns down anything outside printable ASCII: non-ASCII text, a BOM, tabs, line separators', () => {
    expect(sendableAsWritten('{"a":"é"}')).toBe(false);
    expect(sendableAsWritten('\ufeff{"a":1}')).toBe(false);
    expect(sendableAsWritten('{"a":\t1}')).toBe(false);
    expect(sendableAsWritten('{"a":"x\u2028y"}')).toBe(false);
    expect(sendableAsWritten('{"a":"\u007f"}')).toBe(false);
  });

  it('turns down numbers a reader might keep differently: fractions, exponents, -0, more than 15 digits', () => {
    expect(sendableAsWritten('{"a":1.0}')).toBe(false);
    expect(sendableAsWritten('{"a":1e3}')).toBe(false);
    expect(sendableAsWritten('{"a":1E3}')).toBe(false);
    expect(sendableAsWritten('{"a":-0}')).toBe(false);
    expect(sendableAsWritten('{"a":-0.5}')).toBe(false);
    expect(sendableAsWritten('{"a":1234567890123456}')).toBe(false);
    expect(sendableAsWritten('{"a":[1,2.5]}')).toBe(false);
  });

  it('turns down text whose strings do not close', () => {
    expect(sendableAsWritten('{"a":"b}')).toBe(false);
  });
});

describe('sendableAsWritten and one-line output', () => {
  // The engine writes a client text sendable as written without making it one line again
  // (engine.ts, verbatim): that is exact only if such text is always one line already.
  it('text sendable as written is left as it is by oneLineText', () => {
    const anyText = fc.oneof(fc.json(), fc.string({ unit: 'binary' }), fc.string().map((s) => JSON.stringify({ a: s })), fc.constantFrom('\ufeff{"a":1}', '{"a":"\u2028"}', '{"a":1}\r', '{"a":"x\u0085"}'));
    fc.assert(
      fc.property(anyText, (text) => {
        if (sendableAsWritten(text)) expect(oneLineText(text)).toBe(text);
      }),
      { numRuns: scaled(2000) },
    );
  });
});
