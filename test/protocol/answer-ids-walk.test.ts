/**
 * readAnswerIds reads an answer's top-level id in the walk that tells whether its text is
 * unambiguous. On every text JSON.parse accepts, its readings must be readTopLevelIds's and its
 * note isUnambiguous's, exactly: ids written as numbers or strings alike ("3" and 3), -0, long
 * integers, escaped, repeated, nested or missing, beside the other edge cases of a reading.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAnswerIds, readTopLevelIds } from '../../src/protocol/answer-id.js';
import { isUnambiguous } from '../../src/protocol/unambiguous.js';
import { parses } from './unambiguous-before.js';
import { scaled } from '../test-scale.js';

const ID_TEXTS = ['1', '3', '"3"', '" 3"', '-0', '0', '3.0', '1e21', '1E2', '12345678901234567890', '9007199254740993', '123456789012345', 'null', 'true', '"\\u0033"', '"a\\"b"', '"\\\\"', '"\ud800"', '"\\ud800"', '"\u2028"', '{}', '[1]', '{"id":1}'];
// The key "id" plainly, with an escaped letter, and keys like it.
const ID_KEYS = ['"\\u0069d"', '"i\\u0064"', '"ID"', '"idx"', '"i d"'];
const OTHER_KEYS = ['"jsonrpc"', '"result"', '"error"', '"a"', '"a\\""', '"__proto__"'];
// Most members generated are plain, as in real answers: else few texts would be walked through.
const pick = (plain: string[], odd: string[]): fc.Arbitrary<string> => fc.oneof({ arbitrary: fc.constantFrom(...plain), weight: 3 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });
const VALUES = ['"2.0"', '1', '1.5', '1.0', '-0', '"x\\"id\\":2"', '"\\"id\\""', '"id"', '{"id":7}', '[{"id":8},"id"]', '{"content":[{"type":"text","text":"{\\"text\\":\\"hello\\"}"}]}', '"\\\\"', '"\u2028"', 'null'];
const SPACES = ['', ' ', '\t', '\r\n'];

// A top-level object of members in any order: ids (0 to 2, any spelling), and others.
const answer = fc
  .tuple(
    fc.array(fc.tuple(pick(['"id"'], ID_KEYS), pick(['1', '3', '"3"'], ID_TEXTS)), { maxLength: 2 }),
    fc.array(fc.tuple(pick(OTHER_KEYS.slice(0, 4), OTHER_KEYS), pick(VALUES.slice(-4), VALUES)), { maxLength: 4 }),
    fc.nat(),
    fc.constantFrom(...SPACES),
  )
  .map(([ids, others, at, s]) => {
    const members = others.map(([k, v]) => `${k}${s}:${s}${v}`);
    ids.forEach(([k, v], i) => members.splice((at + i) % (members.length + 1), 0, `${k}${s}:${s}${v}`));
    return `${s}{${s}${members.join(`${s},${s}`)}${s}}${s}`;
  });

const seen = { walked: 0, fellBack: 0 };

function expectAsBefore(text: string): void {
  if (!parses(text)) return;
  const note = { unambiguous: undefined as boolean | undefined };
  const readings = readAnswerIds(text, note);
  expect(isDeepStrictEqual(readings, readTopLevelIds(text))).toBe(true);
  expect(note.unambiguous).toBe(isUnambiguous(text, { maxDepth: 512, rejectDuplicateKeys: true }));
  if (note.unambiguous && readings.length === 1) seen.walked++;
  else seen.fellBack++;
}

describe('readAnswerIds reads as readTopLevelIds and isUnambiguous do', () => {
  it('on generated answers', () => {
    seen.walked = seen.fellBack = 0;
    // (Not scaled, nor the next: at a quarter of the runs, how often the walk settles it sits near its threshold.)
    fc.assert(fc.property(answer, expectAsBefore), { numRuns: 6000 });
    expect(seen.walked).toBeGreaterThan(1000);
    expect(seen.fellBack).toBeGreaterThan(1000);
  });

  it('on generated answers made long, where the walk does not look ahead for backslashes', () => {
    const pad = ' '.repeat(64 * 1024);
    seen.walked = seen.fellBack = 0;
    fc.assert(fc.property(answer, (text) => expectAsBefore(pad + text)), { numRuns: 400 });
    expect(seen.walked).toBeGreaterThan(40);
    expect(seen.fellBack).toBeGreaterThan(40);
  }, 60_000);

  it('on answers as servers write them, any id and text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)), fc.string(), (id, text) =>
        expectAsBefore(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } })),
      ),
      { numRuns: scaled(2000) },
    );
  });

  it('on fc.json() texts, and on objects nested past the depth limit', () => {
    fc.assert(fc.property(fc.json(), expectAsBefore), { numRuns: scaled(2000) });
    for (const levels of [511, 512, 513]) expectAsBefore(`{"id":1,"r":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`);
  });

  it('reads the id of the usual answer in the walk, and of a text with an escaped key as before', () => {
    const note = { unambiguous: undefined as boolean | undefined };
    expect(readAnswerIds('{"jsonrpc":"2.0","id":"3","result":{"id":4}}', note)).toEqual([{ value: '3', raw: '"3"' }]);
    expect(note.unambiguous).toBe(true);
    expect(readAnswerIds('{"jsonrpc":"2.0","id":3,"\\u0069d":4,"result":{}}', note)).toEqual([
      { value: 3, raw: '3' },
      { value: 4, raw: '4' },
    ]);
    expect(note.unambiguous).toBe(false);
    expect(readAnswerIds('{"id":-0,"result":1.0}', note)).toEqual([{ value: -0, raw: '-0' }]);
    expect(note.unambiguous).toBe(false);
  });
});
