import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { idKeyOf, looseIdKey, pythonInt } from '../../src/protocol/id-key.js';
import type { RequestId } from '../../src/protocol/jsonrpc.js';
import { hasPython } from './python.js';

// Strings a server could answer with, in place of a numeric id.
const SPELLINGS = ['3', ' 3', '3 ', '\t3\n', '+3', '-3', '03', '3_0', '3__0', '_3', '3_', '0x3', '3.0', '3e0', '', ' ', '\u00a03', '\u001c3', '\u00853', '\u20283', '\ufeff3', '\u0663', '\uff13', '\u{1d7d1}', '\u0663\u0660', '1e400', 'Infinity', 'abc', '٣_٣', '9007199254740993'];

describe('looseIdKey', () => {
  it('gives every spelling a client reads as 3 the key of 3', () => {
    for (const id of ['3', ' 3', '3.0', '3e0', '0x3', '+3', '03', '\u0663', '\uff13', '\u00853', '0_3', 3]) expect(looseIdKey(id), JSON.stringify(id)).toBe('n:3');
    expect(looseIdKey('')).toBe('n:0');
    expect(looseIdKey('abc')).toBe('s:abc');
    expect(looseIdKey('3a')).toBe('s:3a');
    expect(looseIdKey('\u001c3')).toBe('s:\u001c3');
  });

  it.skipIf(!hasPython())('reads strings as Python int() does (checked against python3 itself)', () => {
    const script = 'import json,sys\nout=[]\nfor s in json.load(sys.stdin):\n  try: out.append(str(int(s)))\n  except Exception: out.append(None)\nprint(json.dumps(out))';
    const python = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(SPELLINGS) }).toString()) as Array<string | null>;
    const ours = SPELLINGS.map((s) => pythonInt(s));
    expect(ours.map((v) => (v === undefined ? null : v))).toEqual(python.map((v) => (v === null ? null : Number(v))));
  });

  it('reads strings as Number() does, as the TypeScript client does', () => {
    for (const s of SPELLINGS) {
      const n = Number(s);
      if (Number.isFinite(n)) expect(looseIdKey(s), JSON.stringify(s)).toBe(`n:${String(n)}`);
    }
  });
});

// Ids of every shape the two id spaces see: numbers (0 and -0, fractions, beyond 2^53, the
// largest double, what 1e400 parses to), and strings that read as numbers in some spelling,
// that Python's int() alone reads (long runs of digits included: past the largest double they
// read as Infinity), or that read as none.
function sampleIds(): RequestId[] {
  const ids: RequestId[] = [...SPELLINGS, 0, -0, 3, -3, 0.5, 3.25, 2 ** 53, 2 ** 53 + 2, -(2 ** 60), Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity];
  ids.push('9'.repeat(400), '-' + '9'.repeat(400), '9'.repeat(5000), '0', '-0', '0.0', '-0.0', '1e-400', 'n:3', 's:3', 'NaN', '-Infinity', '1e308', '1e309', '0b11', '0o3', '.5', '5.', '3.25', '\u0663.0');
  let seed = 7;
  const next = (n: number): number => {
    // The high bits: a power-of-two LCG's low bits repeat after a few steps.
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const parts = ['', ' ', '+', '-', '0', '3', '9', '_', '.', 'e', 'x', 'a', '\u0663', '\uff13', '\u00a0', '\u2028', '\u001c', '"'];
  for (let i = 0; i < 3000; i++) {
    let text = '';
    for (let j = next(6); j >= 0; j--) text += parts[next(parts.length)];
    ids.push(text);
    ids.push(next(3) === 0 ? -next(1000) / 4 : next(100000));
  }
  return ids;
}

describe('idKeyOf (the key the engine matches ids by)', () => {
  it('puts two ids under one key exactly when their looseIdKey texts are equal', () => {
    const ids = sampleIds();
    // Keys as a Map compares them (SameValueZero), the way every table of ids uses them.
    const byKey = new Map<unknown, string>();
    for (const id of ids) {
      const text = looseIdKey(id);
      const key = idKeyOf(id);
      const seen = byKey.get(key);
      if (seen === undefined) byKey.set(key, text);
      else expect(seen, `${JSON.stringify(id)} shares its key with a different looseIdKey`).toBe(text);
    }
    // And the other way: one text, one key.
    const byText = new Map<string, unknown>();
    for (const id of ids) {
      const text = looseIdKey(id);
      const key = idKeyOf(id);
      if (!byText.has(text)) byText.set(text, key);
      else expect(new Map([[byText.get(text), true]]).has(key), `${JSON.stringify(id)}: ${text} under two keys`).toBe(true);
    }
    expect(byKey.size).toBe(byText.size);
    expect(byKey.size).toBeGreaterThan(100);
  });

  it('is the number itself for what a client reads as a number, and s:<string> for the rest', () => {
    for (const id of sampleIds()) {
      const text = looseIdKey(id);
      const key = idKeyOf(id);
      if (text.startsWith('n:')) expect(typeof key === 'number' && `n:${String(key)}` === text, JSON.stringify(id)).toBe(true);
      else expect(key, JSON.stringify(id)).toBe(text);
    }
  });
});
