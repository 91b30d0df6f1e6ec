/**
 * isWrittenAs (src/engine/answer-match.ts) tells an answer's id written exactly as the client
 * wrote it without making the id's text: it must answer as `raw === String(id)` (numbers) and
 * `raw === JSON.stringify(id)` (strings) do, for every spelling.
 */
import { describe, expect, it } from 'vitest';
import { random } from './seeded.js';
import { isWrittenAs } from '../../src/engine/answer-match.js';
import type { RequestId } from '../../src/protocol/jsonrpc.js';

const reference = (raw: string, id: RequestId): boolean => raw === (typeof id === 'number' ? String(id) : JSON.stringify(id));

describe('isWrittenAs: the same as comparing with String(id) / JSON.stringify(id)', () => {
  const ids: RequestId[] = [0, -0, 1, 7, 9, 10, 42, 100, 101, 1000, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32, -1, -10, 1.5, 0.1, 1e21, 1e-7, 12345678901234567890, Number.MAX_SAFE_INTEGER, '3', '', 'abc', ' 3', '0'];
  const raws = ['0', '-0', '00', '1', '01', '7', '9', '10', '010', '1.0', '42', '420', '4', '100', '101', '1000', '1e3', '65535', '2147483647', '2147483648', '4294967296', '-1', '-10', '1.5', '0.1', '1e21', '1e+21', '1e-7', '12345678901234567000', '12345678901234567890', '9007199254740991', '"3"', '""', '"abc"', '" 3"', '"0"', '3', '', ' 3', '+3', '3 ', 'a', '٣', '/', ':', '0x1'];
  it('over spellings of every kind', () => {
    for (const id of ids) for (const raw of raws) expect([raw, id, isWrittenAs(raw, id)]).toEqual([raw, id, reference(raw, id)]);
  });
  it('over random integers and their neighbours spelt every way', () => {
    const next = random(13);
    for (let n = 0; n < 20000; n++) {
      const id = n < 1000 ? n : Math.floor(next() * 2 ** (1 + Math.floor(next() * 33)));
      const text = String(id);
      const spellings = [text, `0${text}`, text.slice(1), text.slice(0, -1), `${text}0`, String(id + 1), String(id - 1), `${text}.0`, `-${text}`, text.replace(/.$/, ':'), text.replace(/^./, '/')];
      for (const raw of spellings) expect(isWrittenAs(raw, id)).toBe(reference(raw, id));
    }
  });
});
