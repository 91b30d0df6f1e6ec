/** Every reading of an answer's top-level id is the value JSON.parse reads there, however it is written. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quotedIdAt, readTopLevelIds } from '../../src/protocol/answer-id.js';
import { scaled } from '../test-scale.js';

const ID_TEXTS = fc.oneof(
  fc.nat().map(String),
  fc.integer().map(String),
  fc.maxSafeNat().map(String),
  fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
  // Long integers, where reading digit by digit in doubles would round differently from JSON.parse.
  fc.bigInt({ min: 10n ** 14n, max: 10n ** 17n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom('0', '-0', '1.0', '1e3', '1E3', '000'.slice(2), '123456789012345', '1234567890123456', '9007199254740993', '38043430324939544', '90969253001341712', 'null', 'true', '"7"', '" 7"', '"\\u0037"'),
  fc.string().map((s) => JSON.stringify(s)),
);

describe('readTopLevelIds', () => {
  it('reads a written-once id as JSON.parse does, with its exact text', () => {
    fc.assert(
      fc.property(ID_TEXTS, fc.constantFrom('', ' ', '\t'), fc.boolean(), (idText, space, first) => {
        const member = `"id"${space}:${space}${idText}`;
        const text = first ? `{${member},"result":{"id":99}}` : `{"jsonrpc":"2.0","result":[{"id":1}],${member}${space}}`;
        const readings = readTopLevelIds(text);
        expect(readings).toHaveLength(1);
        expect(readings[0]!.raw).toBe(idText);
        expect(Object.is(readings[0]!.value, JSON.parse(text).id)).toBe(true);
      }),
      { numRuns: scaled(3000) },
    );
  });

  it('reads both of a repeated id, each as JSON.parse reads it alone', () => {
    fc.assert(
      fc.property(ID_TEXTS, ID_TEXTS, (a, b) => {
        const readings = readTopLevelIds(`{"id":${a},"result":{},"id":${b}}`);
        expect(readings.map((r) => r.raw)).toEqual([a, b]);
        readings.forEach((r, i) => expect(Object.is(r.value, JSON.parse([a, b][i]!))).toBe(true));
      }),
      { numRuns: scaled(1000) },
    );
  });
});

describe('quotedIdAt', () => {
  // Texts over the characters that make and unmake a quoted "id": quotes, its letters, and a few others.
  const PIECES = fc.constantFrom('"', 'i', 'd', 'id', 'id"', '"id"', '""id"', 'x', '\\', ':', '{', '}', ' ', 'é', '\u{1F600}');
  const TEXTS = fc.array(PIECES, { maxLength: 40 }).map((parts) => parts.join(''));

  it('finds what indexOf(\'"id"\', from) finds, from every position', () => {
    fc.assert(
      fc.property(TEXTS, (text) => {
        for (let from = 0; from <= text.length + 1; from++) expect(quotedIdAt(text, from)).toBe(text.indexOf('"id"', from));
      }),
      { numRuns: scaled(5000) },
    );
  });

  it('finds it in answers, and past the only one finds none', () => {
    for (const text of ['"id"', 'id"', '"i"d"', '""id""id"', '{"valid":1,"id":2}', '{"xid":"id","id":3}', `{"a":"${'id"'.repeat(50)}"}`]) {
      const first = text.indexOf('"id"');
      expect(quotedIdAt(text, 0)).toBe(first);
      if (first !== -1) expect(quotedIdAt(text, first + 4)).toBe(text.indexOf('"id"', first + 4));
    }
    expect(quotedIdAt('{"jsonrpc":"2.0","id":7,"result":{"content":[]}}', 0)).toBe(17);
  });
});
