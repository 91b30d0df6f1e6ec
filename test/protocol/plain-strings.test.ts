import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringsArePlain } from '../../src/protocol/plain-strings.js';
import { scaled } from '../test-scale.js';

const PLAIN = /^[\t\n\r\x20-\x7e]*$/;

// Every string of a parsed JSON value, keys included.
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

describe('stringsArePlain', () => {
  it('is true only when every string (keys too) is plain ASCII once unescaped', () => {
    const text = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: fc.constantFrom('a', ' ', '\\n', '\\t', '\\\\', '\\"', '\\/', '\\u0041', '\\b', '\\f', '\x7f', 'é') }).map((s) => `{"k":"${s}"}`));
    fc.assert(
      fc.property(text, (json) => {
        if (stringsArePlain(Buffer.from(json))) for (const s of strings(JSON.parse(json))) expect(s).toMatch(PLAIN);
      }),
      { numRuns: scaled(1000) },
    );
  });

  it('reads escapes in pairs, so an escaped backslash before a "u" is plain', () => {
    const padding = 'x'.repeat(1000);
    expect(stringsArePlain(Buffer.from(`{"a":"C:\\\\users\\\\x","b":"line\\nnext\\t\\"q\\" \\/","c":"${padding}"}`))).toBe(true);
    expect(stringsArePlain(Buffer.from('{"a":"\\u0041"}'))).toBe(false);
    expect(stringsArePlain(Buffer.from('{"a":"\\b"}'))).toBe(false);
    expect(stringsArePlain(Buffer.from('{"a":"\x7f"}'))).toBe(false);
    expect(stringsArePlain(Buffer.from('{"a":"caf\u00e9"}'))).toBe(false);
    expect(stringsArePlain(Buffer.from('\ufeff{}'))).toBe(false);
  });

  it('gives up (false) on text dense with escapes', () => {
    expect(stringsArePlain(Buffer.from(`{"a":"${'\\n'.repeat(1000)}"}`))).toBe(false);
    expect(stringsArePlain(Buffer.from(`{"a":"${'\\n'.repeat(10)}${'x'.repeat(1000)}"}`))).toBe(true);
  });
});
