/**
 * The walk that tells whether JSON.parse's reading of a text is the strict one finds where
 * strings end by the next backslash rather than quote by quote; it must answer exactly as the
 * walk before it did (unambiguous-before.ts), on every text JSON.parse accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUnambiguous, unambiguousIdEnd } from '../../src/protocol/unambiguous.js';
import { isUnambiguousBefore, parses } from './unambiguous-before.js';
import { scaled } from '../test-scale.js';

// Keys: plain, repeated, spelled with escapes (of a quote, a backslash, a letter), and many.
const KEYS = ['"a"', '"b"', '"id"', '"\\u0069d"', '"i\\u0064"', '"a\\""', '"a\\\\"', '"\\\\"', '"\\""', '"x\\\\\\"y"', '"__proto__"', '""', '" a"', '"\u2028"', '"é"'];
// Strings whose quotes and backslashes sit every way round each other, and other odd characters.
const STRINGS = ['"x"', '"\\\\"', '"\\""', '"\\\\\\""', '"a\\\\\\\\"', '"\\"a\\":"', '"{\\"text\\":\\"hello\\"}"', '"C:\\\\dir\\\\"', '"\\/"', '"\\u0022"', '"\\u005c"', '"\\ud800"', '"\ud800"', '"\udc00x"', '"\u2028\u2029\u0085"', '"\\u2028"', '"a,b:{}[]"', '"\\n\\t\\r"', '"1.0"', '"-0"', '""', '"id"', '"\\"id\\""'];
const NUMBERS = ['0', '-0', '7', '-12', '1.0', '1.5', '-0.0', '1e2', '1E5', '1e+21', '1e21', '2.5e-3', '1e400', '123456789012345', '1234567890123456', '-123456789012345', '12345678901234567890', '9007199254740993', '0.1', '5e-324'];
const LITERALS = ['true', 'false', 'null'];
const SPACES = ['', ' ', '\t', '\n', '\r', ' \r\n '];

const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...STRINGS, ...NUMBERS, ...LITERALS),
    fc.tuple(fc.array(tie('v'), { maxLength: 4 }), fc.constantFrom(...SPACES)).map(([items, s]) => `[${s}${items.join(`${s},${s}`)}${s}]`),
    fc
      .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('v')), { maxLength: 5 }), fc.constantFrom(...SPACES))
      .map(([members, s]) => `{${s}${members.map(([k, v]) => `${k}${s}:${s}${v}`).join(`${s},${s}`)}${s}}`),
  ),
})).v;

// An answer as servers write them, its text item holding any of the strings above.
const answer = fc
  .tuple(fc.constantFrom('1', '"1"', '-0', '1.0', '"a\\"b"'), fc.array(fc.constantFrom(...STRINGS), { minLength: 1, maxLength: 3 }), fc.constantFrom(...KEYS))
  .map(([id, texts, extra]) => `{"jsonrpc":"2.0","id":${id},"result":{"content":[${texts.map((t) => `{"type":"text","text":${t}}`).join(',')}],${extra}:${texts[0]}}}`);

const seen = { yes: 0, no: 0 };

function expectAsBefore(text: string, options = { maxDepth: 512, rejectDuplicateKeys: true }): void {
  if (!parses(text)) return;
  const before = isUnambiguousBefore(text, options);
  expect(isUnambiguous(text, options)).toBe(before);
  seen[before ? 'yes' : 'no']++;
}

describe('isUnambiguous answers as the walk before it', () => {
  it('on generated texts: escapes in keys and values, odd numbers, repeated keys, white space', () => {
    seen.yes = seen.no = 0;
    fc.assert(fc.property(value, fc.boolean(), (text, reject) => expectAsBefore(text, { maxDepth: 512, rejectDuplicateKeys: reject })), { numRuns: scaled(6000) });
    expect(seen.yes).toBeGreaterThan(scaled(1500));
    expect(seen.no).toBeGreaterThan(scaled(1500));
  });

  it('on answers shaped as servers write them', () => {
    seen.yes = seen.no = 0;
    fc.assert(fc.property(answer, (text) => expectAsBefore(text)), { numRuns: scaled(3000) });
    expect(seen.yes).toBeGreaterThan(scaled(500));
    expect(seen.no).toBeGreaterThan(scaled(500));
  });

  it('on fc.json() texts and texts with any strings in them', () => {
    fc.assert(fc.property(fc.json(), (text) => expectAsBefore(text)), { numRuns: scaled(2000) });
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), (object, s) => expectAsBefore(JSON.stringify({ ...object, s, [s]: 1 }))), { numRuns: scaled(2000) });
  });

  it('on the same texts made long, where the walk does not look ahead for backslashes', () => {
    const pad = ' '.repeat(64 * 1024);
    seen.yes = seen.no = 0;
    fc.assert(fc.property(value, fc.boolean(), (text, reject) => expectAsBefore(pad + text, { maxDepth: 512, rejectDuplicateKeys: reject })), { numRuns: scaled(600) });
    fc.assert(fc.property(answer, (text) => expectAsBefore(`${text}${pad}`)), { numRuns: scaled(300) });
    expect(seen.yes).toBeGreaterThan(scaled(200));
    expect(seen.no).toBeGreaterThan(scaled(200));
  }, 60_000);

  it('on nesting at and past the limit', () => {
    for (const maxDepth of [1, 2, 3, 512]) {
      for (const levels of [maxDepth - 1, maxDepth, maxDepth + 1]) {
        expectAsBefore(`${'['.repeat(levels)}"\\\\"${']'.repeat(levels)}`, { maxDepth, rejectDuplicateKeys: true });
        expectAsBefore(`${'{"a\\\\":'.repeat(levels)}1${'}'.repeat(levels)}`, { maxDepth, rejectDuplicateKeys: true });
        expectAsBefore(`${'{"a":"\\"",'.repeat(levels).replace(/,$/, '')}${'"b":1}'.repeat(levels)}`, { maxDepth, rejectDuplicateKeys: true });
      }
    }
  });

  it('on keys after strings that end in escaped backslashes (the next backslash found past each)', () => {
    for (const before of ['"\\\\"', '"a\\\\\\\\"', '"\\"\\\\"', '"\\u005c"']) {
      for (const key of ['"k"', '"k\\\\"', '"\\u006b"']) {
        expectAsBefore(`{"a":${before},${key}:1,"k":2}`);
        expectAsBefore(`[${before},{${key}:${before}}]`);
        expect(isUnambiguous(`{"a":${before},${key}:1}`, { maxDepth: 512, rejectDuplicateKeys: true })).toBe(key === '"k"');
      }
    }
  });
});

describe('unambiguousIdEnd read from the bytes of ASCII text with no backslash', () => {
  // Texts with no backslash and no character past ASCII: the ones the bytes walk is given.
  const plainAscii = (t: string): boolean => !t.includes('\\') && /^[\x00-\x7f]*$/.test(t);
  const same = (text: string): boolean => {
    if (!parses(text) || !plainAscii(text)) return false;
    expect(unambiguousIdEnd(text, Buffer.from(text, 'latin1'))).toBe(unambiguousIdEnd(text));
    return true;
  };

  it('answers as the walk of the string does (property)', () => {
    let walked = 0;
    fc.assert(
      fc.property(fc.oneof(value, answer, fc.json()), (text) => {
        if (same(text)) walked++;
      }),
      { numRuns: scaled(8000) },
    );
    expect(walked).toBeGreaterThan(scaled(1000));
  });

  it('finds the id, repeated keys, inexact numbers and deep nesting as the string walk does', () => {
    const deep = `${'['.repeat(513)}${']'.repeat(513)}`;
    for (const text of ['{"result":{},"jsonrpc":"2.0","id":7}', '{"id":1,"id":2}', '{"a":{"id":1},"b":2}', '{"id":1234567890123456789}', '{"id":1.5}', '{"a":[1,{"a":1,"a":2}]}', '{ "id" : "x y" , "r" : [ ] }', deep, `{"id":1,"d":${deep}}`]) {
      expect(same(text)).toBe(true);
    }
    expect(unambiguousIdEnd('{"result":{},"jsonrpc":"2.0","id":7}', Buffer.from('{"result":{},"jsonrpc":"2.0","id":7}'))).toBe(33);
  });
});
