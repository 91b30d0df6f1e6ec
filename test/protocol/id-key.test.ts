import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { looseIdKey, pythonInt } from '../../src/protocol/id-key.js';

// Strings a server could answer with, in place of a numeric id.
const SPELLINGS = ['3', ' 3', '3 ', '\t3\n', '+3', '-3', '03', '3_0', '3__0', '_3', '3_', '0x3', '3.0', '3e0', '', ' ', '\u00a03', '\u001c3', '\u00853', '\u20283', '\ufeff3', '\u0663', '\uff13', '\u{1d7d1}', '\u0663\u0660', '1e400', 'Infinity', 'abc', '٣_٣', '9007199254740993'];

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
}

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
