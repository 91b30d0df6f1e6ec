import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALIZE_LIMITS, normalizeArguments, type NormalizeResult } from '../../../src/inspect/normalize/index.js';
import type { InspectedString } from '../../../src/inspect/types.js';
import { parseStrict } from '../../../src/protocol/strict-json.js';
import { scaled } from '../../test-scale.js';

function strings(result: NormalizeResult): InspectedString[] {
  if (!result.ok) throw new Error(result.reason);
  return result.strings;
}

const summary = (args: unknown): Array<[string, string | undefined, boolean, string]> =>
  strings(normalizeArguments(args)).map((s) => [s.path, s.key, s.isKey, s.raw]);

describe('normalizeArguments: the walk', () => {
  it('visits keys and values, nested objects and arrays, with their paths', () => {
    expect(summary({ path: 'a.txt', options: { url: 'http://x', retries: 3 }, paths: ['b', 'c'], flag: true, none: null })).toEqual([
      ['{path}', undefined, true, 'path'],
      ['path', 'path', false, 'a.txt'],
      ['{options}', undefined, true, 'options'],
      ['options{url}', 'options', true, 'url'],
      ['options.url', 'url', false, 'http://x'],
      ['options{retries}', 'options', true, 'retries'],
      ['options.retries', 'retries', false, '3'],
      ['{paths}', undefined, true, 'paths'],
      ['paths[0]', 'paths', false, 'b'],
      ['paths[1]', 'paths', false, 'c'],
      ['{flag}', undefined, true, 'flag'],
      ['{none}', undefined, true, 'none'],
    ]);
  });

  it('keeps numbers as strings (a decimal IP is a number) and big integers exactly', () => {
    expect(summary({ host: 2130706433, big: 12345678901234567890n, port: 8080.5 }).filter((s) => !s[2]).map((s) => s[3])).toEqual([
      '2130706433',
      '12345678901234567890',
      '8080.5',
    ]);
  });

  it('reads a number the strict parser kept as text under its own name, with the value a server reads', () => {
    const parsed = parseStrict('{"host": 2.130706433e9, "port": 8080.0}');
    if (!parsed.ok) throw new Error(parsed.message);
    const values = strings(normalizeArguments(parsed.value)).filter((s) => !s.isKey);
    expect(values.map((s) => [s.path, s.key, s.raw, s.variants.map((v) => v.text)])).toEqual([
      ['host', 'host', '2.130706433e9', ['2130706433']],
      ['port', 'port', '8080.0', ['8080']],
    ]);
  });

  it('adds the value of a string that is a number in another spelling, and nothing for other strings', () => {
    const values = strings(normalizeArguments({ a: '2130706433.0', b: '1e3', c: 'v1.2', d: '42' })).filter((s) => !s.isKey);
    expect(values.map((s) => s.variants.filter((v) => v.via === 'number').map((v) => v.text))).toEqual([['2130706433'], ['1000'], [], []]);
  });

  it('walks JSON documents nested in strings, with ">" in the path', () => {
    const config = JSON.stringify({ servers: [{ url: 'http://169.254.169.254/' }], list: ['x'] });
    expect(summary({ config }).slice(2)).toEqual([
      ['config>{servers}', 'config', true, 'servers'],
      ['config>servers[0]{url}', 'servers', true, 'url'],
      ['config>servers[0].url', 'url', false, 'http://169.254.169.254/'],
      ['config>{list}', 'config', true, 'list'],
      ['config>list[0]', 'list', false, 'x'],
    ]);
    expect(summary({ paths: '  ["../a", "../b"]  ' }).slice(2).map((s) => s[0])).toEqual(['paths>[0]', 'paths>[1]']);
    expect(summary({ a: JSON.stringify({ b: JSON.stringify(['deep']) }) }).at(-1)).toEqual(['a>b>[0]', 'b', false, 'deep']);
  });

  it('leaves strings that only look like JSON alone', () => {
    expect(summary({ a: '{not json}', b: '[1, 2', c: '"quoted"', d: '42' })).toHaveLength(8);
  });

  it('quotes odd keys in paths, escapes what cannot be seen, and cuts long ones', () => {
    const long = 'k'.repeat(200);
    const paths = strings(normalizeArguments({ 'a.b': { [long]: 1, 'x\u202ey': 2 } })).map((s) => s.path);
    expect(paths).toEqual([
      '{"a.b"}',
      `"a.b"{"${'k'.repeat(48)}"…}`,
      `"a.b"."${'k'.repeat(48)}"…`,
      '"a.b"{"x\\u202ey"}',
      '"a.b"."x\\u202ey"',
    ]);
  });

  it('names a bare top-level value $', () => {
    expect(summary('just a string')).toEqual([['$', undefined, false, 'just a string']]);
  });

  it('decodes values and keys alike', () => {
    const result = strings(normalizeArguments({ '..%2fkey': '..%2fvalue' }));
    expect(result.map((s) => s.variants)).toEqual([[{ text: '../key', via: 'url' }], [{ text: '../value', via: 'url' }]]);
  });
});

describe('normalizeArguments: limits fail closed', () => {
  const nest = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nest(depth - 1) });

  it.each([
    ['too deep', { ...DEFAULT_NORMALIZE_LIMITS, maxDepth: 3 }, nest(4), /deeper than 3/],
    ['too deep through nested JSON', { ...DEFAULT_NORMALIZE_LIMITS, maxDepth: 3 }, { a: { b: JSON.stringify({ c: { d: 1 } }) } }, /deeper than 3/],
    ['too many strings', { ...DEFAULT_NORMALIZE_LIMITS, maxStrings: 10 }, { list: Array.from({ length: 10 }, (_, i) => `s${i}`) }, /more than 10 strings/],
    ['too much text', { ...DEFAULT_NORMALIZE_LIMITS, maxTotalBytes: 1000 }, { a: 'x'.repeat(600), b: 'y'.repeat(600) }, /more than 1000 characters/],
    ['too much text counting nested JSON again', { ...DEFAULT_NORMALIZE_LIMITS, maxTotalBytes: 1000 }, { a: JSON.stringify(['x'.repeat(600)]) }, /more than 1000 characters/],
    ['a flood of ligatures', DEFAULT_NORMALIZE_LIMITS, { a: '\ufdfa'.repeat(1000) }, /fourfold/],
  ])('%s', (_, limits, args, reason) => {
    const result = normalizeArguments(args, limits);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('accepts what is exactly at the limits', () => {
    expect(normalizeArguments(nest(3), { ...DEFAULT_NORMALIZE_LIMITS, maxDepth: 3 }).ok).toBe(true);
    expect(normalizeArguments({ a: 'x'.repeat(999) }, { ...DEFAULT_NORMALIZE_LIMITS, maxTotalBytes: 1000 }).ok).toBe(true);
  });

  it('normalises a megabyte argument', () => {
    const result = normalizeArguments({ content: 'The quick brown fox. '.repeat(50_000) });
    expect(result.ok).toBe(true);
  });
});

describe('normalizeArguments: properties', () => {
  const json = fc.jsonValue({ maxDepth: 4 });

  it('never throws, and every variant differs from its raw text and from the others', () => {
    fc.assert(
      fc.property(json, (args) => {
        const result = normalizeArguments(args);
        if (!result.ok) return;
        for (const s of result.strings) {
          const texts = [s.raw, ...s.variants.map((v) => v.text)];
          expect(new Set(texts).size).toBe(texts.length);
          expect(s.variants.length).toBeLessThanOrEqual(DEFAULT_NORMALIZE_LIMITS.maxVariantsPerString);
        }
      }),
      { numRuns: scaled(300) },
    );
  });

  it('finds every string value of an object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (obj) => {
        const raws = strings(normalizeArguments(obj)).filter((s) => !s.isKey).map((s) => s.raw);
        for (const value of Object.values(obj)) expect(raws).toContain(value);
      }),
      { numRuns: scaled(200) },
    );
  });

  it('decodes any string spelled with percent-escapes back to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (s) => {
        const encoded = [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
        const [inspected] = strings(normalizeArguments(encoded));
        expect(inspected?.variants.map((v) => v.text)).toContain(s);
      }),
      { numRuns: scaled(200) },
    );
  });
});
