import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrict, RawNumber, serializeStrict, type StrictParseResult } from '../../src/protocol/strict-json.js';
import { referenceJsonParse } from './json-reference.js';
import { scaled } from '../test-scale.js';

/** The parsed value, failing the test if the parse failed. */
function valueOf(result: StrictParseResult): unknown {
  if (!result.ok) throw new Error(`unexpected parse failure: ${result.code}: ${result.message}`);
  return result.value;
}

/** Replaces RawNumbers by their double value, to compare with JSON.parse. */
function toPlain(value: unknown): unknown {
  if (value instanceof RawNumber) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Whether JSON.parse accepts the text. */
function nativeParses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('parseStrict agrees with JSON.parse', () => {
  it('on any fc.json() text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(valueOf(parseStrict(text))).toStrictEqual(referenceJsonParse(text));
      }),
      { numRuns: scaled(1000) },
    );
  });

  it('on any fc.json() value re-printed with indentation', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(1, 2, '\t', '\r\n '), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(valueOf(parseStrict(text))).toStrictEqual(referenceJsonParse(text));
      }),
    );
  });

  it('on strings with any mix of escapes, including lone surrogates', () => {
    const escapeChar = (ch: string, how: number): string => {
      const code = ch.charCodeAt(0);
      if (how === 0 && code >= 0x20 && ch !== '"' && ch !== '\\') return ch;
      if (how === 1) return `\\u${code.toString(16).padStart(4, '0')}`;
      return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.nat(2))), (parts) => {
        const body = parts.map(([s, how]) => [...s].map((u) => escapeChar(u, how)).join('')).join('');
        const text = `"${body}\\"\\\\\\/\\b\\f\\n\\r\\t"`;
        expect(valueOf(parseStrict(text))).toBe(JSON.parse(text));
      }),
    );
  });

  it('accepts and rejects exactly what JSON.parse does on near-valid text', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('', ',', ']', '}', '"', '\\', '0', '-', '.', 'e', ' ', '\u00a0', '\u0001', 'x', '[', '{', ':'));
    fc.assert(
      fc.property(fc.json(), fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
        let mutated = text;
        for (const [at, insert] of edits) {
          const i = at % (mutated.length + 1);
          // An empty insert deletes the character at i; anything else is inserted before it.
          mutated = insert === '' ? mutated.slice(0, i) + mutated.slice(i + 1) : mutated.slice(0, i) + insert + mutated.slice(i);
        }
        const result = parseStrict(mutated, { rejectDuplicateKeys: false, maxDepth: 1e6 });
        expect(result.ok).toBe(nativeParses(mutated));
        if (result.ok) expect(toPlain(result.value)).toStrictEqual(referenceJsonParse(mutated));
      }),
      { numRuns: scaled(2000) },
    );
  });
});

describe('serializeStrict', () => {
  it('equals JSON.stringify(JSON.parse(x)) for any fc.json() text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(serializeStrict(valueOf(parseStrict(text)))).toBe(JSON.stringify(JSON.parse(text)));
      }),
      { numRuns: scaled(1000) },
    );
  });

  it('round-trips the exact text of any number', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 30 });
    const numberText = fc
      .tuple(fc.boolean(), digits, fc.option(digits), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits)))
      .map(([neg, int, frac, exp]) => {
        const i = int.replace(/^0+(?=.)/, '');
        return `${neg ? '-' : ''}${i}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`;
      });
    fc.assert(
      fc.property(numberText, (text) => {
        const value = valueOf(parseStrict(`[${text}]`)) as unknown[];
        expect(serializeStrict(value)).toBe(`[${text}]`);
        const n = value[0];
        expect(n instanceof RawNumber ? n.value : n).toBe(Number(text));
        expect(n instanceof RawNumber).toBe(String(Number(text)) !== text);
      }),
      { numRuns: scaled(1000) },
    );
  });

  it.each([
    ['{"a":12345678901234567890}', true],
    ['[1.0]', true],
    ['[1E5]', true],
    ['[1e400]', true],
    ['[-0]', true],
    ['[0.1000000000000000055511151231257827]', true],
    ['[9007199254740993]', true],
    ['[9007199254740992]', false],
    ['[1e+21]', false],
    ['[-1.5e-7]', false],
    ['[123456789012345]', false],
  ])('keeps %s exactly (RawNumber: %s)', (text, raw) => {
    const value = valueOf(parseStrict(text)) as Record<string, unknown>;
    expect(serializeStrict(value)).toBe(text);
    expect(Object.values(value)[0] instanceof RawNumber).toBe(raw);
  });

  it('writes bigint digits, drops undefined properties, maps undefined in arrays to null, honours toJSON', () => {
    expect(serializeStrict({ a: 12345678901234567890n, b: undefined, c: [undefined, 1], d: new Date(0) })).toBe(
      '{"a":12345678901234567890,"c":[null,1],"d":"1970-01-01T00:00:00.000Z"}',
    );
    expect(serializeStrict('\ud800"\u0001')).toBe(JSON.stringify('\ud800"\u0001'));
  });

  it('throws TypeError on what JSON cannot represent', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, Symbol('s'), Number.NaN, Infinity, [Symbol('s')], { a: -Infinity }, cyclic]) {
      expect(() => serializeStrict(bad)).toThrow(TypeError);
    }
  });

  it('refuses to build a RawNumber from text that is not a JSON number', () => {
    for (const bad of ['', '1,"x":2', '01', '1.', '+1', 'NaN', ' 1', '1 ', '0x10']) {
      expect(() => new RawNumber(bad)).toThrow(TypeError);
    }
    expect(serializeStrict([new RawNumber('-0.50e+007')])).toBe('[-0.50e+007]');
  });

  it('serialises a shared (non-cyclic) object twice', () => {
    const shared = { x: 1 };
    expect(serializeStrict([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('lets JSON.stringify (logs, hashes) keep a RawNumber\'s digits, as a string', () => {
    const value = valueOf(parseStrict('{"id":12345678901234567890,"x":1.0}'));
    expect(JSON.stringify(value)).toBe('{"id":"12345678901234567890","x":"1.0"}');
    expect(serializeStrict(value)).toBe('{"id":12345678901234567890,"x":1.0}');
  });
});

describe('parseStrict rejects', () => {
  it.each([
    ['', 'syntax', 0],
    [' ', 'syntax', 1],
    ['{', 'syntax', 1],
    ['[1,]', 'syntax', 3],
    ['{"a":1,}', 'syntax', 7],
    ['[,1]', 'syntax', 1],
    ['{"a" 1}', 'syntax', 5],
    ['{a:1}', 'syntax', 1],
    ["{'a':1}", 'syntax', 1],
    ['[01]', 'syntax', 1],
    ['[-01]', 'syntax', 1],
    ['[1.]', 'syntax', 3],
    ['[.5]', 'syntax', 1],
    ['[1e]', 'syntax', 3],
    ['[1e+]', 'syntax', 4],
    ['[+1]', 'syntax', 1],
    ['[-]', 'syntax', 2],
    ['[NaN]', 'syntax', 1],
    ['[Infinity]', 'syntax', 1],
    ['[tru]', 'syntax', 1],
    ['[nul]', 'syntax', 1],
    ['[True]', 'syntax', 1],
    ['[1] // comment', 'syntax', 4],
    ['/* c */ [1]', 'syntax', 0],
    ['[1] [2]', 'syntax', 4],
    ['\u00a0[1]', 'syntax', 0],
    ['\ufeff[1]', 'syntax', 0],
    ['[1]\u000b', 'syntax', 3],
    ['"abc', 'syntax', 4],
    ['"a\u0001"', 'syntax', 2],
    ['"a\nb"', 'syntax', 2],
    ['"a\tb"', 'syntax', 2],
    ['"\\x41"', 'syntax', 1],
    ['"\\u12"', 'syntax', 1],
    ['"\\u12G4"', 'syntax', 1],
    ['"\\', 'syntax', 1],
    ['"\\\'"', 'syntax', 1],
    ['{"a":1,"a":2}', 'duplicate-key', 7],
    ['{"a":1,"\\u0061":2}', 'duplicate-key', 7],
    ['[{"x":[{"k":1, "k" :2}]}]', 'duplicate-key', 15],
    ['{"o":{"p":{"__proto__":1,"__proto__":2}}}', 'duplicate-key', 25],
    ['{"\\ud83d\\ude00":1,"😀":2}', 'duplicate-key', 18],
  ] as const)('%j with %s at %i', (text, code, position) => {
    expect(parseStrict(text)).toMatchObject({ ok: false, code, position });
    // Only duplicates are something JSON.parse lets through.
    expect(nativeParses(text)).toBe(code === 'duplicate-key');
  });

  it('names the duplicate key and its position', () => {
    expect(parseStrict('{"args":{"path":"/ok","pa\\u0074h":"/etc/passwd"}}')).toEqual({
      ok: false,
      code: 'duplicate-key',
      message: 'duplicate key "path" at position 22',
      position: 22,
    });
  });

  it('lets the last duplicate win, in JSON.parse order, when asked to', () => {
    const text = '{"a":1,"b":2,"a":{"c":3,"c":4}}';
    expect(valueOf(parseStrict(text, { rejectDuplicateKeys: false }))).toStrictEqual(JSON.parse(text));
    expect(Object.keys(valueOf(parseStrict(text, { rejectDuplicateKeys: false })) as object)).toEqual(['a', 'b']);
  });

  it('refuses text over maxLength with code size', () => {
    expect(parseStrict('[1,2,3]', { maxLength: 6 })).toMatchObject({ ok: false, code: 'size', position: 6 });
    expect(parseStrict('[1,2,3]', { maxLength: 7 }).ok).toBe(true);
  });
});

describe('parseStrict: __proto__', () => {
  it('makes "__proto__" an own data property and leaves the prototype alone', () => {
    const text = '{"__proto__":{"polluted":true},"a":{"__proto__":[1]}}';
    const value = valueOf(parseStrict(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(value).toStrictEqual(JSON.parse(text));
    expect(serializeStrict(value)).toBe(text);
  });

  it('lets the last "__proto__" win when duplicates are allowed', () => {
    const value = valueOf(parseStrict('{"__proto__":1,"__proto__":2}', { rejectDuplicateKeys: false }));
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe(2);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('does not treat inherited names as duplicates', () => {
    expect(valueOf(parseStrict('{"toString":1,"constructor":2,"hasOwnProperty":3}'))).toStrictEqual({
      toString: 1,
      constructor: 2,
      hasOwnProperty: 3,
    });
  });
});

describe('parseStrict: depth', () => {
  const nested = (n: number, open: string, close: string, inner: string) => open.repeat(n) + inner + close.repeat(n);

  it('fails with depth, not a stack overflow, on 100k nested arrays and objects', () => {
    expect(parseStrict(nested(100_000, '[', ']', ''))).toMatchObject({ ok: false, code: 'depth', position: 512 });
    expect(parseStrict(nested(100_000, '{"a":', '}', '1'))).toMatchObject({ ok: false, code: 'depth' });
  });

  it('reports the position of the container that goes too deep', () => {
    expect(parseStrict('[[[[1]]]]', { maxDepth: 3 })).toMatchObject({ ok: false, code: 'depth', position: 3 });
    expect(parseStrict('{"a":[{"b":{}}]}', { maxDepth: 3 })).toMatchObject({ ok: false, code: 'depth', position: 11 });
  });

  it('accepts exactly maxDepth levels', () => {
    expect(parseStrict(nested(512, '[', ']', '')).ok).toBe(true);
    expect(parseStrict(nested(513, '[', ']', '')).ok).toBe(false);
    expect(parseStrict('1', { maxDepth: 0 }).ok).toBe(true);
    expect(parseStrict('[]', { maxDepth: 0 })).toMatchObject({ ok: false, code: 'depth' });
  });

  it('parses 100k levels without recursion when the limit allows it', () => {
    const result = parseStrict(nested(100_000, '[', ']', '7'), { maxDepth: 100_000 });
    expect(result.ok).toBe(true);
    let v = valueOf(result);
    for (let i = 0; i < 100_000; i++) v = (v as unknown[])[0];
    expect(v).toBe(7);
  });
});
