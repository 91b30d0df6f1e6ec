/**
 * parseJsonText (src/protocol/large-parse.ts) against JSON.parse on texts built token by token
 * from a seeded generator: long bodies next to runs of backslashes before quotes, escaped
 * quotes, long keys, repeated keys, stray quotes and backslashes outside strings (broken
 * texts, where the quote scan and the parser must still agree), whitespace before colons,
 * and texts just under and over the size it starts at. Each text is passed with its bytes.
 */
import { describe, expect, it } from 'vitest';
import { hasEscapedKey } from '../../src/protocol/escaped-keys.js';
import { LARGE_TEXT_FROM, LONG_STRING_FROM, parseJsonText } from '../../src/protocol/large-parse.js';
import { referenceJsonParse } from './json-reference.js';
import { scaled } from '../test-scale.js';

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

function outcome(f: () => unknown): string {
  try {
    const v = f();
    return `ok:${JSON.stringify(v)}:${shape(v)}`;
  } catch (e) {
    return `throw:${(e as Error).constructor.name}`;
  }
}

// Own keys and prototypes all the way down ("__proto__" as an own key included).
function shape(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(shape).join(',')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.getPrototypeOf(v) === Object.prototype ? '' : 'P'}${Reflect.ownKeys(v).map((k) => `${String(k)}=${shape((v as Record<string, unknown>)[k as string])}`).join(',')}}`;
  return typeof v === 'string' ? `s${v.length}` : String(v);
}

// Texts whose long values were filled in after a parse of the text without them (the sliced
// path), not parsed whole: JSON.parse was asked only of a shorter text.
let sliced = 0;

function same(text: string): void {
  const bytes = Buffer.from(text, 'latin1');
  const parse = JSON.parse;
  let shortened = false;
  let whole = 0;
  JSON.parse = ((source: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    if (source.length < text.length) shortened = true;
    else whole++;
    return parse(source, reviver);
  }) as typeof JSON.parse;
  let got: string;
  try {
    got = outcome(() => parseJsonText(text, bytes));
  } finally {
    JSON.parse = parse;
  }
  // (A text with a key spelled with an escape is then read whole once more, by the strict
  // parser, which asks JSON.parse of it first: escaped-keys.ts. The sliced path ran all the same.)
  if (shortened && whole === (hasEscapedKey(text) ? 1 : 0)) sliced++;
  expect(got, JSON.stringify(text.length > 300 ? text.slice(0, 150) + '…' + text.slice(-150) : text)).toBe(outcome(() => referenceJsonParse(text)));
}

const LONG = LONG_STRING_FROM;
function text(next: (n: number) => number, target: number): string {
  const longBody = (): string => ['x', 'ab', ' ', '\u007f', '{}[]:,'][next(5)]!.repeat(LONG + next(3) - 1);
  const atoms = (): string => {
    switch (next(40)) {
      case 0: return `"${longBody()}"`;
      case 1: return `"${'\\'.repeat(2 * next(3))}"`;
      case 2: return `"${longBody()}${'\\\\'.repeat(next(3))}"`;
      case 3: return `"${'\\"'.repeat(1 + next(2))}${longBody()}"`;
      case 4: return `"\\u00${['00', '41', '1f', '5c', '22'][next(5)]}${longBody()}"`;
      case 10: case 11: case 12: return `"${longBody()}"`;
      case 13: case 14: return '"b"';
      case 5: return '"a"';
      case 6: return ['1', 'true', 'null', '-0', '1e400'][next(5)]!;
      case 7: return `"${longBody()}\t"`;
      case 8: return `"\\u0000vanguard-slice-${next(3)}"`;
      case 9: return `"\\\\u0000vanguard-slice-${next(3)}"`;
      default: return '';
    }
  };
  const value = (depth: number): string => {
    const a = atoms();
    if (a !== '' && (depth > 4 || next(2) === 0)) return a;
    if (next(2) === 0) return `[${Array.from({ length: next(4) }, () => value(depth + 1)).join(',')}]`;
    const keys = ['"a"', '"a"', '"__proto__"', `"${longBody()}"`, '"\\\\"', '"\\""'];
    return `{${Array.from({ length: next(4) }, () => `${keys[next(keys.length)]}${[':', ' :', '\n:'][next(3)]}${value(depth + 1)}`).join(',')}}`;
  };
  let t = value(0);
  // Pad to about the target size with a member before or after.
  const pad = Math.max(0, target - t.length - 16);
  t = next(2) === 0 ? `[${t},"${'p'.repeat(pad)}"]` : `["${'p'.repeat(pad)}",${t}]`;
  // Broken texts: a stray quote or backslash, or a cut.
  switch (next(6)) {
    case 0: {
      const at = next(t.length);
      t = t.slice(0, at) + ['"', '\\', '\\"', '"\\'][next(4)] + t.slice(at);
      break;
    }
    case 1:
      t = t.slice(0, t.length - 1 - next(20));
      break;
    default:
  }
  return t;
}

describe('parseJsonText token by token', () => {
  it('parses what JSON.parse parses, the same way, and throws where it throws', () => {
    const next = generator(88);
    let texts = 0;
    for (let i = 0; i < scaled(1200); i++) {
      const target = [LARGE_TEXT_FROM - 2, LARGE_TEXT_FROM, LARGE_TEXT_FROM + 1, LARGE_TEXT_FROM + 5000][next(4)]!;
      const before = sliced;
      same(text(next, target));
      if (sliced > before) texts++;
    }
    // Many texts take the sliced path (the rest are broken, too short, or fall back to JSON.parse).
    expect(texts).toBeGreaterThan(scaled(150));
    // (Its time is CPU: 23 s in a CI run on a slow, busy machine, against vitest's 30 s.)
  }, 120_000);
});
