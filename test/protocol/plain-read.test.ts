/** The client frame's one-pass reading is the strict parse and the verbatim check, exactly. */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOT_PLAIN_TEXT, readClientText, readPlainClientText } from '../../src/protocol/plain-read.js';
import { parseStrict, serializeStrict } from '../../src/protocol/strict-json.js';
import { sendableAsWritten } from '../../src/protocol/verbatim.js';
import { scaled } from '../test-scale.js';

// The reading the engine made before: the strict parser, then the verbatim check.
function expectAsBefore(text: string): void {
  const fast = readClientText(text);
  const slow = parseStrict(text);
  // Node's comparison: prototypes compared, and a key "constructor" read as any other key.
  expect(isDeepStrictEqual(fast.parsed, slow)).toBe(true);
  expect(Object.keys(fast.parsed)).toEqual(Object.keys(slow));
  // Keys in the same order at every depth.
  if (fast.parsed.ok && slow.ok) expect(serializeStrict(fast.parsed.value)).toBe(serializeStrict(slow.value));
  expect(fast.sendable).toBe(slow.ok && sendableAsWritten(text));
  if (fast.sendable) seen.sendable++;
  else if (slow.ok) seen.other++;
  else seen.refused++;
}

// How many texts of each sort the properties met: each sort must be met often, or they prove little.
const seen = { sendable: 0, other: 0, refused: 0 };

const KEYS = ['"a"', '"b"', '"id"', '"__proto__"', '"constructor"', '"a\\u0062"', '"ab"', '""', '" a"'];
const SCALARS = ['0', '-1', '7', '-0', '1.0', '1e3', '1E3', '-0.5', '123456789012345', '1234567890123456', '-123456789012345', '99999999999999999999', 'true', 'false', 'null', '"x"', '"-0"', '"1.5e3"', '"a\\"b"', '"\\\\"', '"é"', '"\u007f"', '"\u2028"', '"a,b:{}[]"', '""'];

// Objects and arrays from the pieces above, spaced sometimes (tabs and CR too), keys repeated sometimes.
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...SCALARS),
    fc.array(tie('v'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('v')), { maxLength: 5 }), fc.constantFrom('', ' ', '\t', '\r', ' \r '))
      .map(([members, space]) => `{${members.map(([k, v]) => `${space}${k}${space}:${space}${v}`).join(',')}${space}}`),
  ),
})).v;

describe('readClientText', () => {
  it('reads every generated text as parseStrict and sendableAsWritten do', () => {
    seen.sendable = seen.other = seen.refused = 0;
    fc.assert(fc.property(value, expectAsBefore), { numRuns: scaled(4000) });
    expect(seen.sendable).toBeGreaterThan(scaled(400));
    expect(seen.other).toBeGreaterThan(scaled(400));
    expect(seen.refused).toBeGreaterThan(scaled(400));
  });

  it('reads fc.json() texts, any string, and broken JSON as before', () => {
    fc.assert(fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((t) => t.slice(0, -1)), fc.json().map((t) => `${t},`)), expectAsBefore), { numRuns: scaled(3000) });
  });

  it('reads typical calls, with ids and text varied, as before', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string(), fc.double()), fc.string(), (id, text) =>
        expectAsBefore(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } })),
      ),
      { numRuns: scaled(2000) },
    );
  });

  it('turns down, as the strict parser does, a repeated key at any depth and among many keys', () => {
    for (let n = 1; n <= 40; n++) {
      const keys = Array.from({ length: n }, (_, i) => `"k${i}":${i}`);
      expectAsBefore(`{"outer":{${keys.join(',')}}}`);
      for (const j of [0, Math.floor(n / 2), n - 1]) {
        for (const at of [j + 1, n]) {
          const members = [...keys];
          members.splice(at, 0, `"k${j}":0`);
          const text = `[{"x":1},{${members.join(',')}}]`;
          expectAsBefore(text);
          expect(readClientText(text).parsed).toMatchObject({ ok: false, code: 'duplicate-key' });
        }
      }
    }
    expectAsBefore('{"a":{"a":1},"b":[{"a":2}],"c":"\\"a\\":"}');
    expectAsBefore('{"a":{"b":1,"b":2}}');
  });

  it('reads nesting at and past the limit, and the edge cases of ids, as before', () => {
    for (const levels of [511, 512, 513]) {
      expectAsBefore(`${'['.repeat(levels)}${']'.repeat(levels)}`);
      expectAsBefore(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);
    }
    for (const text of ['{"id":"3"}', '{"id":3}', '{"id":3,"id":"3"}', '\ufeff{"id":1}', '{"id":1}\r', '{"a":"x\u2028y"}', '{"a":"\u0085"}', '{"id":-0}', '{"id":1e0}', '{"id":0}', '[]', '{}', '1', '"s"', '', ' ', '{"a":1}x', '{"a":01}']) {
      expectAsBefore(text);
    }
    // Plain text takes the quick path and is sendable; these take the usual one and are not.
    expect(readClientText('{"id":7,"params":{"a":[1,-2,"x"]}}').sendable).toBe(true);
    expect(readClientText('{"id":7,"n":1.5}').sendable).toBe(false);
    expect(readClientText('{"id":7,"s":"\\u0041"}').sendable).toBe(false);
  });
});

// ASCII text with every character NOT_PLAIN names put in somewhere: control characters (tab
// and CR between tokens, others anywhere), DEL and backslashes in strings and outside them.
const ODD = ['\t', '\r', '\x7f', '\\', '\x00', '\x01', '\x1f', '\x0b', '\x0c', ' '];
const asciiText = fc
  .oneof(
    value,
    fc.tuple(value, fc.nat(), fc.constantFrom(...ODD)).map(([t, at, c]) => t.slice(0, at % (t.length + 1)) + c + t.slice(at % (t.length + 1))),
    fc.json(),
    fc.string({ unit: 'binary-ascii' }),
    fc.constantFrom('{"a":"\x7f"}', '{"a":"\\u0041"}', '{\t"a":1}', '{"a":1}\r', '{"a":\r1}', '{"a":"\t"}', '{"a":"x\x01"}', '[1,\x7f2]', '{"a":1}'),
  )
  // (The value arbitrary writes non-ASCII strings too: those are not this reading's to take.)
  .filter((t) => /^[\x00-\x7f]*$/.test(t));

describe('readPlainClientText of text known to be ASCII', () => {
  it('reads the same value, or turns down the same texts, as with the regex pass (property)', () => {
    let plain = 0;
    let turned = 0;
    fc.assert(
      fc.property(asciiText, (text) => {
        const before = readPlainClientText(text);
        const known = readPlainClientText(text, true);
        if (before === NOT_PLAIN_TEXT) {
          expect(known).toBe(NOT_PLAIN_TEXT);
          turned++;
        } else {
          expect(known).not.toBe(NOT_PLAIN_TEXT);
          expect(isDeepStrictEqual(known, before)).toBe(true);
          expect(serializeStrict(known)).toBe(serializeStrict(before));
          plain++;
        }
      }),
      { numRuns: scaled(6000) },
    );
    expect(plain).toBeGreaterThan(scaled(800));
    expect(turned).toBeGreaterThan(scaled(800));
  });

  it('turns down tab, CR, DEL and backslash wherever JSON.parse allows them', () => {
    for (const text of ['{\t"a":1}', '{"a":1}\r', '{"a" :\r1}', '[1,\t2]', '\t{}', '{"a":"\x7f"}', '{"a":"\\u0041"}', '{"a":"\\\\"}']) {
      expect(JSON.parse(text)).toBeDefined();
      expect(readPlainClientText(text, true)).toBe(NOT_PLAIN_TEXT);
      expect(readPlainClientText(text)).toBe(NOT_PLAIN_TEXT);
    }
    expect(readPlainClientText('{"a": [1, "b"]}', true)).toEqual({ a: [1, 'b'] });
  });
});

describe('readPlainClientText of ASCII text read from its bytes', () => {
  it('reads the same value, or turns down the same texts, as from the string alone (property)', () => {
    let plain = 0;
    let turned = 0;
    fc.assert(
      fc.property(asciiText, (text) => {
        const before = readPlainClientText(text);
        const known = readPlainClientText(text, true, Buffer.from(text, 'latin1'));
        if (before === NOT_PLAIN_TEXT) {
          expect(known).toBe(NOT_PLAIN_TEXT);
          turned++;
        } else {
          expect(known).not.toBe(NOT_PLAIN_TEXT);
          expect(isDeepStrictEqual(known, before)).toBe(true);
          expect(serializeStrict(known)).toBe(serializeStrict(before));
          plain++;
        }
      }),
      { numRuns: scaled(6000) },
    );
    expect(plain).toBeGreaterThan(scaled(800));
    expect(turned).toBeGreaterThan(scaled(800));
  });

  it('turns down tab, CR, DEL, backslash, repeated keys, long and fractional numbers and deep nesting', () => {
    const deep = `${'['.repeat(513)}${']'.repeat(513)}`;
    for (const text of ['{\t"a":1}', '{"a":1}\r', '{"a" :\r1}', '[1,\t2]', '\t{}', '{"a":"\x7f"}', '{"a":"\\u0041"}', '{"a":"\\\\"}', '{"a":1,"a":2}', '{"b":{"a":1,"c":[{"a":1,"a":2}]}}', '[1234567890123456]', '[1.5]', '[1e3]', '[-0]', deep]) {
      expect(JSON.parse(text)).toBeDefined();
      expect(readPlainClientText(text, true, Buffer.from(text, 'latin1'))).toBe(NOT_PLAIN_TEXT);
      expect(readPlainClientText(text)).toBe(NOT_PLAIN_TEXT);
    }
    expect(readPlainClientText('{"a": [1, "b", -12, 123456789012345], "c": {"a": 0}}', true, Buffer.from('{"a": [1, "b", -12, 123456789012345], "c": {"a": 0}}'))).toEqual({ a: [1, 'b', -12, 123456789012345], c: { a: 0 } });
    // Bytes that are not the text's (another length) are not read: the string is.
    expect(readPlainClientText('{"a":1}', true, Buffer.from('{"a":1} '))).toEqual({ a: 1 });
  });
});
