import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeSkeleton, scanEnvelope } from '../../src/protocol/envelope-scan.js';
import { referenceJsonParse } from './json-reference.js';
import { scaled } from '../test-scale.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

// What JSON.parse says the envelope is, for comparison.
function expected(text: string) {
  const value = referenceJsonParse(text) as Record<string, unknown>;
  const scalars = new Map<string, unknown>();
  const containers = new Map<string, string>();
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null) containers.set(key, Array.isArray(v) ? 'array' : 'object');
    else scalars.set(key, v);
  }
  return { keys: Object.keys(value), scalars, containers };
}

describe('scanEnvelope', () => {
  it('agrees with JSON.parse on the top level of any object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }), fc.constantFrom('', ' ', '\n', '\t  '), (object, space) => {
        const text = JSON.stringify(object, null, space);
        const scan = scanEnvelope(bytes(text));
        expect(scan.ok).toBe(true);
        if (!scan.ok) return;
        const want = expected(text);
        expect([...scan.envelope.keys].sort()).toEqual([...want.keys].sort());
        expect(Object.fromEntries(scan.envelope.scalars)).toEqual(Object.fromEntries(want.scalars));
        expect(Object.fromEntries(scan.envelope.containers)).toEqual(Object.fromEntries(want.containers));
      }),
      { numRuns: scaled(500) },
    );
  });

  it('accepts exactly what JSON.parse accepts, on damaged objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 5 }), fc.nat(), fc.constantFrom('', '"', ',', ']', '}', '{', ':', '\\', '0', 'e', '-'), fc.boolean(), (object, at, insert, remove) => {
        const text = JSON.stringify(object);
        const i = at % text.length;
        const damaged = remove ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + insert + text.slice(i);
        let parsed: unknown;
        try {
          parsed = JSON.parse(damaged);
        } catch {
          parsed = undefined;
        }
        const scan = scanEnvelope(bytes(damaged));
        const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        if (!isObject) expect(scan.ok).toBe(false);
        // (sorted: JS objects list integer-like keys first, whatever the text's order)
        else if (scan.ok) expect([...scan.envelope.keys].sort()).toEqual(Object.keys(parsed as object).sort());
        else expect(scan.reason).toMatch(/duplicate top-level key/);
      }),
      { numRuns: scaled(2000) },
    );
  });

  it.each([
    ['a top-level array', '[1,2]'],
    ['trailing data', '{"a":1} x'],
    ['a trailing comma', '{"a":1,}'],
    ['a leading zero', '{"a":01}'],
    ['a raw control character', '{"a":"x\u0001"}'],
    ['a bad escape', '{"a":"\\q"}'],
    ['a short unicode escape', '{"a":"\\u12"}'],
    ['an unclosed nested array', '{"a":[1,{"b":2}}'],
    ['duplicate top-level keys', '{"id":1,"id":2}'],
    ['too deep a nesting', `{"a":${'['.repeat(600)}${']'.repeat(600)}}`],
  ])('refuses %s', (_, text) => {
    expect(scanEnvelope(bytes(text)).ok).toBe(false);
  });

  it('reads an escaped key and string id exactly', () => {
    const scan = scanEnvelope(bytes('{"result":{"x":[1,"}"]},"\\u0069d":"a\\"b","jsonrpc":"2.0"}'));
    expect(scan.ok && envelopeSkeleton(scan.envelope)).toEqual({ result: {}, id: 'a"b', jsonrpc: '2.0' });
  });

  it('walks a deeply nested value without using the call stack', () => {
    const text = `{"id":1,"result":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(scanEnvelope(bytes(text), 200_000).ok).toBe(true);
  });
});
