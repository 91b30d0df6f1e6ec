import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrict, strictFromParsed, type StrictParseOptions, type StrictParseResult } from '../../src/protocol/strict-json.js';
import { isUnambiguous } from '../../src/protocol/unambiguous.js';
import { scaled } from '../test-scale.js';

// Leading whitespace long enough that parseStrict reads the text natively and checks it.
const PAD = ' '.repeat(20 * 1024);

/** The same text read the short way (the strict parser) and the long way (JSON.parse, then the check). */
function bothWays(text: string, options?: StrictParseOptions): { short: StrictParseResult; long: StrictParseResult } {
  return { short: parseStrict(text, options), long: parseStrict(PAD + text, options) };
}

function expectSameReading(text: string, options?: StrictParseOptions): void {
  const { short, long } = bothWays(text, options);
  expect(long.ok).toBe(short.ok);
  if (short.ok && long.ok) expect(long.value).toStrictEqual(short.value);
  if (!short.ok && !long.ok) expect(long.code).toBe(short.code);
}

const ODD_NUMBERS = ['1.0', '-0', '1e400', '1E5', '12345678901234567890', '0.1', '-12', '123456789012345', '1234567890123456', '2.5e-3', '-0.0', '0', '1e2'];

describe('parseStrict on long text (JSON.parse, then the check) reads like the strict parser', () => {
  it('on any fc.json() text', () => {
    fc.assert(fc.property(fc.json(), (text) => expectSameReading(text)), { numRuns: scaled(300) });
  });

  it('on objects that repeat keys, spelled alike or escaped, at any depth', () => {
    const key = fc.constantFrom('"a"', '"\\u0061"', '"b"', '"a\\""', '"a\\\\"', '"__proto__"', '"\\u005f_proto__"');
    const object: fc.Arbitrary<string> = fc.letrec<{ obj: string }>((tie) => ({
      obj: fc.array(fc.tuple(key, fc.oneof({ depthSize: 'small' }, fc.constantFrom('1', '"x\\"y"', '[]', '"\\\\"'), tie('obj'))), { maxLength: 4 }).map((members) => `{${members.map(([k, v]) => `${k}:${v}`).join(',')}}`),
    })).obj;
    fc.assert(
      fc.property(object, fc.boolean(), (text, reject) => expectSameReading(text, { rejectDuplicateKeys: reject })),
      { numRuns: scaled(500) },
    );
  });

  it('on objects with many keys, a repeat anywhere among them (short key lists, then Sets)', () => {
    const names = fc.uniqueArray(fc.constantFrom(...Array.from({ length: 60 }, (_, i) => `k${i}`)), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(names, fc.nat(), fc.nat(), fc.boolean(), (keys, from, to, repeat) => {
        const members = keys.map((k) => `"${k}":1`);
        // A repeat of one key, put anywhere: before, at or after the point the list becomes a Set.
        if (repeat) members.splice(to % (members.length + 1), 0, `"${keys[from % keys.length]}":2`);
        const text = `{"outer":{${members.join(',')}},"after":[{${members.join(',')}}]}`;
        expectSameReading(text);
        expect(isUnambiguous(text, { maxDepth: 512, rejectDuplicateKeys: true })).toBe(!repeat);
      }),
      { numRuns: scaled(400) },
    );
  });

  it('on numbers a double would change, and ones it would not', () => {
    for (const n of ODD_NUMBERS) {
      expectSameReading(`{"n":${n},"list":[${n}, ${n}]}`);
      expectSameReading(n);
    }
  });

  it('on nesting at and past maxDepth', () => {
    for (const depth of [1, 2, 3, 10]) {
      for (const levels of [depth - 1, depth, depth + 1]) {
        expectSameReading(`${'['.repeat(levels)}${']'.repeat(levels)}`, { maxDepth: depth });
        expectSameReading(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`, { maxDepth: depth });
      }
    }
  });

  it('on text that is not JSON: the strict parser says why', () => {
    for (const text of ['{"a":1,}', '{"a":01}', '"\u0001"', '{"a" 1}', '[1,2', '\ufeff{}', '{"a":NaN}']) {
      const { short, long } = bothWays(text);
      expect(short.ok).toBe(false);
      expect(long.ok).toBe(false);
      if (!short.ok && !long.ok) expect(long.code).toBe(short.code);
    }
  });

  it('keeps a long string value whole, with escapes around its quotes', () => {
    const body = `say \\"hi\\" ${'x'.repeat(40_000)} C:\\\\dir\\\\`;
    const result = parseStrict(`{"id":1,"result":{"text":"${body}","text2":"\\\\"}}`);
    expect(result.ok && (result.value as { result: { text: string } }).result.text).toBe(JSON.parse(`"${body}"`));
    expect(parseStrict(`{"a":"${'x'.repeat(40_000)}\\\\","a":1}`)).toMatchObject({ ok: false, code: 'duplicate-key' });
  });
});

describe('isUnambiguous', () => {
  const check = (text: string) => isUnambiguous(text, { maxDepth: 512, rejectDuplicateKeys: true });

  it('accepts keys repeated in different objects, and a key that only looks repeated inside a string', () => {
    expect(check('[{"a":1},{"a":2}]')).toBe(true);
    expect(check('{"a":{"a":1},"b":"\\"a\\":"}')).toBe(true);
    expect(check('{"a":"x","b":["a","a"]}')).toBe(true);
  });

  it('turns down a repeated key, a number a double would change, and nesting past the limit', () => {
    expect(check('{"a":1,"\\u0061":2}')).toBe(false);
    expect(check('{"n":1.0}')).toBe(false);
    expect(check('{"n":-0}')).toBe(false);
    expect(isUnambiguous('[[1]]', { maxDepth: 1, rejectDuplicateKeys: true })).toBe(false);
    expect(isUnambiguous('{"a":1,"a":2}', { maxDepth: 512, rejectDuplicateKeys: false })).toBe(true);
  });

  it('turns down a repeat of any key of an object of up to 40 keys, wherever the repeat comes', () => {
    for (let n = 1; n <= 40; n++) {
      const keys = Array.from({ length: n }, (_, i) => `"k${i}":${i}`);
      expect(check(`{${keys.join(',')}}`)).toBe(true);
      for (let j = 0; j < n; j++) {
        for (let at = j + 1; at <= n; at++) {
          const members = [...keys];
          members.splice(at, 0, `"k${j}":0`);
          expect(check(`[{${members.join(',')}}]`)).toBe(false);
        }
      }
    }
  });

  it('leaves every key spelled with an escape to the strict parser (Node 24 JSON.parse has misread "a\\"" beside "a\\\\")', () => {
    expect(check('{"a\\"":1}')).toBe(false);
    expect(check('{"a":{"x\\u0041":1}}')).toBe(false);
    expect(isUnambiguous('{"a\\\\":1}', { maxDepth: 512, rejectDuplicateKeys: false })).toBe(false);
    // Escapes in values are JSON.parse's to read.
    expect(check('{"a":"x\\"y\\\\"}')).toBe(true);
    // What JSON.parse read is not used for such text: the strict parser's keys are.
    const text = `${' '.repeat(20 * 1024)}{"a":{"a":{},"a\\"":"\\\\"},"a\\\\":"x\\"y"}`;
    expect(strictFromParsed(text, { wrong: true })).toEqual({ ok: true, value: { a: { a: {}, 'a"': '\\' }, 'a\\': 'x"y' } });
  });

  it('hands back the value it was given when the text reads the same', () => {
    const text = '{"a":[1,2,{"b":"c"}]}';
    const value = JSON.parse(text) as unknown;
    expect(strictFromParsed(text, value)).toEqual({ ok: true, value });
    expect((strictFromParsed(text, value) as { value: unknown }).value).toBe(value);
    expect(strictFromParsed('{"n":1.0}', JSON.parse('{"n":1.0}'))).toMatchObject({ ok: true, value: { n: { text: '1.0' } } });
  });
});
