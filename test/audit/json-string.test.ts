import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createArgumentProcessor, jsonString } from '../../src/audit/arguments.js';

// The one-pass text of clean arguments writes each value's JSON itself (no JSON.stringify of
// the whole value): every string, number and container must come out in JSON.stringify's bytes.
describe("clean arguments' own JSON text", () => {
  it('jsonString is JSON.stringify for every UTF-16 unit, alone and inside text', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const unit = String.fromCharCode(code);
      expect(jsonString(unit)).toBe(JSON.stringify(unit));
      expect(jsonString(`a${unit}b`)).toBe(JSON.stringify(`a${unit}b`));
    }
    for (const text of ['', 'hello vanguard', '\ud83d\ude00', 'x\ud83dy', 'x\ude00', '\u2028\u2029', 'a"b\\c', '\u007f']) expect(jsonString(text)).toBe(JSON.stringify(text));
  });

  it('jsonString is JSON.stringify for arbitrary strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })), (text) => {
      expect(jsonString(text)).toBe(JSON.stringify(text));
    }), { numRuns: 5000 });
  });

  it('the text of clean arguments is JSON.stringify of them: numbers, nesting, key order', () => {
    const processor = createArgumentProcessor({ mode: 'redacted', redactKeys: [] });
    for (const value of [
      { n: -0, m: 1e21, k: 1.5e-7, big: Number.MAX_SAFE_INTEGER, neg: -12.25 },
      { b: 1, a: [true, false, null, [], {}], '10': 'ten', '2': 'two', nested: { x: [{ y: 'z' }] } },
      ['a', 1, { 'key "quoted"': 'tab\there' }],
      [],
      {},
      JSON.parse('{"__proto__":{"x":1},"text":"hi"}') as object,
    ]) {
      const shown = processor.text?.(value);
      expect(shown).toBeDefined();
      expect(shown).toBe(JSON.stringify(value));
    }
  });
});
