import { describe, expect, it } from 'vitest';
import { plainJson } from '../../src/audit/plain-json.js';
import { valueText } from '../../src/audit/line.js';

// A small seeded generator: the same values on every run.
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    // The high bits: a power-of-two LCG's low bits repeat after a few steps.
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

const STRINGS = ['', 'hello vanguard', 'a"b', 'back\\slash', 'tab\there', 'line\nbreak', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\ud800', '\udc00x', '\ud83d\ude00', 'x'.repeat(256), 'y'.repeat(257), '[REDACTED]', '__proto__', 'toJSON', '2', '10', '-1', '01'];
const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity];

class Point {
  constructor(
    readonly x = 1,
    readonly y = 2,
  ) {}
}

// Values of every kind an audit line's fields can hold, plain or not.
function sample(next: (n: number) => number, depth: number): unknown {
  const pick = next(depth > 3 ? 6 : 12);
  switch (pick) {
    case 0:
    case 1:
      return STRINGS[next(STRINGS.length)];
    case 2:
      return NUMBERS[next(NUMBERS.length)];
    case 3:
      return next(2) === 0;
    case 4:
      return null;
    case 5:
      return [undefined, () => 1, Symbol('s'), 'plain'][next(4)];
    case 6:
    case 7:
      return Array.from({ length: next(5) }, () => sample(next, depth + 1));
    case 8:
    case 9:
    case 10: {
      const object: Record<string, unknown> = next(4) === 0 ? Object.create(null) : {};
      for (let i = next(5); i > 0; i--) object[STRINGS[next(STRINGS.length)] as string] = sample(next, depth + 1);
      return object;
    }
    default:
      return [new Date(0), new Point(), { toJSON: () => 'custom' }, [1, , 3], new Map([[1, 2]]), Object.assign([1, 2], { extra: true })][next(6)];
  }
}

describe('plainJson (audit values written by hand)', () => {
  it('writes exactly what JSON.stringify writes, or leaves the value to it', () => {
    const next = generator(13);
    let written = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = sample(next, 0);
      const fast = plainJson(value);
      if (fast === undefined) continue;
      written++;
      expect(fast, `for ${String(JSON.stringify(value))}`).toBe(JSON.stringify(value));
    }
    // The shortcut is taken for a good share of them, not only for the trivial ones.
    expect(written).toBeGreaterThan(4_000);
  });

  it('writes the usual arguments and rules itself', () => {
    const usual: unknown[] = [{ text: 'hello vanguard' }, ['default'], { path: 'notes/a.txt', recursive: true, depth: 2 }, { items: ['a', 'b'], options: { limit: 10, sort: null } }];
    for (const value of usual) expect(plainJson(value)).toBe(JSON.stringify(value));
  });

  it('gives up on deep, wide and odd values, which JSON.stringify then writes', () => {
    let deep: unknown = 'end';
    for (let i = 0; i < 20; i++) deep = [deep];
    const wide = Array.from({ length: 100 }, (_, i) => i);
    for (const value of [deep, wide, new Date(0), new Point(), { a: 'x\u2028' }, { a: undefined }, [1, , 2]]) {
      expect(plainJson(value)).toBeUndefined();
      expect(valueText(value)).toBe(JSON.stringify(value));
    }
  });
});
