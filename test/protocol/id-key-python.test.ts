/**
 * pythonInt (src/protocol/id-key.ts) against python3's own int() on generated ids, long ones
 * included: white space only Python strips (U+0085, U+3000, U+1680), underscores, leading
 * zeros and digits of other scripts, padded past a few thousand characters. The Python
 * client reads a string answer id as int(id) (digit count limit off, as in every Python
 * before 3.11 and any that lifts it); an id that Python reads as 3 must get the key of 3, or
 * the shim and that client disagree on which request an answer is for.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { idKeyOf, pythonInt } from '../../src/protocol/id-key.js';
import { hasPython } from './python.js';

// A small seeded generator: the same ids on every run.
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

const SPACES = [' ', '\t', '\u0085', '\u3000', '\u1680', '\u00a0', '\u001c', '\u2028'];
const DIGITS = ['0', '3', '9', '\u0660', '\u0663', '\uff10', '\uff13', '\u{1d7ce}', '\u{1d7d1}', '\u0966'];

function sampleIds(): string[] {
  const next = generator(2026);
  const pad = (): string => {
    const long = next(3) === 0;
    const unit = SPACES[next(SPACES.length)]!;
    return unit.repeat(long ? 2000 + next(4000) : next(3));
  };
  const ids: string[] = [
    // The two shapes that were read differently: Python-only spaces, and underscores, past 4096 characters.
    '\u0085'.repeat(5000) + '3',
    '0_'.repeat(2100) + '3',
    '\u3000'.repeat(4100) + '7' + '\u0085',
    // What int() refuses: misplaced underscores and signs, nothing but white space, lone surrogates.
    '_3', '3_', '3__0', '+', '-', '', ' ', '+-3', '- 3', '3 3', '\ud835', '\ud835\udfd1', '\u001c3', '0x3', '3.0',
    ' '.repeat(5000), '+' + '\u0660'.repeat(4500), '-' + '0'.repeat(300) + '1'.repeat(309), '1'.repeat(308), '1'.repeat(309), '9'.repeat(500),
  ];
  for (let i = 0; i < 400; i++) {
    let digits = '';
    const groups = 1 + next(next(4) === 0 ? 2500 : 4);
    for (let g = 0; g < groups; g++) {
      if (g > 0) digits += next(8) === 0 ? '__' : '_';
      // Mostly zeros, so a long id can still name a small number.
      digits += g + 1 < groups && next(3) !== 0 ? DIGITS[next(3) === 0 ? 3 : 0] : DIGITS[next(DIGITS.length)];
    }
    const sign = ['', '', '+', '-'][next(4)]!;
    ids.push(pad() + sign + digits + pad());
  }
  return ids;
}

describe('pythonInt against python3 int() (no digit limit)', () => {
  it.skipIf(!hasPython())('reads every generated id, long ones included, as Python does', () => {
    const ids = sampleIds();
    const script = [
      'import json, sys',
      'if hasattr(sys, "set_int_max_str_digits"): sys.set_int_max_str_digits(0)',
      'out = []',
      'for s in json.load(sys.stdin):',
      '  try: out.append(str(int(s)))',
      '  except ValueError: out.append(None)',
      'print(json.dumps(out))',
    ].join('\n');
    const python = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(ids), maxBuffer: 64 << 20 }).toString()) as Array<string | null>;
    ids.forEach((id, i) => {
      const expected = python[i] === null ? undefined : Number(python[i]);
      // (-0 and 0 are one key: tables compare them as equal, and int("-0") is 0.)
      const ours = pythonInt(id);
      expect(ours === undefined ? ours : ours + 0, `${JSON.stringify(id.slice(0, 40))}… (${id.length} code units)`).toBe(expected);
      // The key the engine matches by is that number.
      if (expected !== undefined) expect(new Map([[idKeyOf(id), true]]).has(expected)).toBe(true);
    });
  });

  it('reads ids of megabytes in one pass (no backtracking regex to overflow the stack)', () => {
    expect(pythonInt('1_'.repeat(1 << 22) + '1')).toBe(Infinity);
    expect(pythonInt('-' + '0_'.repeat(1 << 22) + '7')).toBe(-7);
    expect(pythonInt(' '.repeat(1 << 23) + 'x')).toBeUndefined();
    expect(pythonInt('\u0663'.repeat(1 << 20))).toBe(Infinity);
  });

  it('gives a long id Python reads as 3 the key of 3', () => {
    expect(idKeyOf('\u0085'.repeat(5000) + '3')).toBe(3);
    expect(idKeyOf('0_'.repeat(2100) + '3')).toBe(3);
  });
});
