/**
 * The argument processor hands back what it did not change as it came, instead of a copy.
 * That is only a speed-up if the serialised bytes are the ones a copy gives, every time: this
 * compares the processor with the copying walk it replaced (kept below as the reference), in
 * every mode, over generated JSON with secrets, secret names, long strings, `__proto__` keys,
 * deep nesting and node limits mixed in, and checks that the input is never changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createArgumentProcessor, truncate, DEFAULT_ARGUMENT_LIMITS, hashLeaf, type ArgumentLimits, type ArgumentsMode } from '../../src/audit/arguments.js';
import { REDACTED, compileKeyGlob, isSecretKeyName, redactSecretsInText } from '../../src/audit/secret-patterns.js';
import { scaled } from '../test-scale.js';

// The walk as it was before: every container copied, whatever happened to it.
function referenceProcessor(mode: ArgumentsMode, redactKeys: readonly string[], limitsIn: Partial<ArgumentLimits>, redactText: (text: string) => string) {
  const limits = { ...DEFAULT_ARGUMENT_LIMITS, ...limitsIn };
  const globs = redactKeys.map(compileKeyGlob);
  const isSecretKey = (key: string) => isSecretKeyName(key) || globs.some((m) => m(key));
  if (mode === 'omit') return () => undefined;
  const leaf = (value: unknown): unknown => {
    if (mode === 'hashed') return hashLeaf(value);
    if (mode === 'redacted' && typeof value === 'string') return truncate(redactText(value), limits);
    return value;
  };
  const key = (name: string) => (mode === 'redacted' ? truncate(redactText(name), limits) : name);
  const dropped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  const unique = (out: Record<string, unknown>, name: string) => {
    if (!(name in out)) return name;
    let n = 2;
    while (`${name}#${n}` in out) n++;
    return `${name}#${n}`;
  };
  const walk = (value: unknown, depth: number, state: { nodes: number; ancestors: Set<object> }): unknown => {
    if (mode !== 'full' && ++state.nodes > limits.maxNodes) return '[LIMIT]';
    const plain = value;
    if (plain === null || typeof plain !== 'object') return leaf(plain);
    if (depth >= limits.maxDepth) return '[DEPTH]';
    if (state.ancestors.has(plain)) return '[CIRCULAR]';
    state.ancestors.add(plain);
    try {
      if (Array.isArray(plain)) return plain.map((item) => (dropped(item) ? null : walk(item, depth + 1, state)));
      const out: Record<string, unknown> = Object.create(null);
      for (const [name, item] of Object.entries(plain)) {
        if (dropped(item)) continue;
        out[unique(out, key(name))] = mode !== 'full' && isSecretKey(name) ? REDACTED : walk(item, depth + 1, state);
      }
      return out;
    } finally {
      state.ancestors.delete(plain);
    }
  };
  return (value: unknown) => (value === undefined ? undefined : walk(value, 0, { nodes: 0, ancestors: new Set() }));
}

// Strings that the redaction changes, leaves alone, or cuts; names that are secrets or clash once redacted.
const texts = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('hello vanguard', '/srv/data/reports/2026-q3.md', 'password=hunter2', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'https://u:pw@h/', 'sk-abcdefghijklmnopqrstuv', 'Bearer abcdefghijklmnop', '[REDACTED]', '__proto__'),
  fc.string({ minLength: 1020, maxLength: 1100 }),
);
const names = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('text', 'path', 'password', 'apiKey', 'token', 'x-tenant', '__proto__', 'constructor', 'toJSON', '0', '12', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_zyxwvutsrqponmlkjihgfedcba9876543210', `password=${REDACTED}`, 'password=x', 'password=y'),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, texts, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 6 }),
  object: fc.array(fc.tuple(names, tie('tree')), { maxLength: 6 }),
}));
// Objects as JSON.parse makes them (own `__proto__` keys included), from the generated pairs.
function build(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length > 0 && value.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value as [string, unknown][]) Object.defineProperty(out, k, { value: build(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value.map(build);
}
const deep = (levels: number, inner: unknown): unknown => (levels === 0 ? inner : { d: deep(levels - 1, inner) });

describe('arguments handed back as they came', () => {
  const settings: Array<[ArgumentsMode, string[], Partial<ArgumentLimits>]> = [
    ['redacted', [], {}],
    ['redacted', ['x-*', 'pa*'], {}],
    ['redacted', [], { maxNodes: 7, maxDepth: 3 }],
    ['full', [], { maxDepth: 4 }],
    ['hashed', ['text'], {}],
  ];
  for (const [mode, redactKeys, limits] of settings) {
    it(`writes the bytes of the copying walk (${mode}, keys ${JSON.stringify(redactKeys)}, limits ${JSON.stringify(limits)})`, () => {
      const now = createArgumentProcessor({ mode, redactKeys, limits, redactText: redactSecretsInText });
      const before = referenceProcessor(mode, redactKeys, limits, redactSecretsInText);
      fc.assert(
        fc.property(tree, fc.integer({ min: 0, max: 40 }), (generated, levels) => {
          const value = levels > 30 ? deep(levels, build(generated)) : build(generated);
          const copy = JSON.stringify(value);
          const out = now(value);
          expect(JSON.stringify(out)).toBe(JSON.stringify(before(value)));
          // The input is never changed, whatever was redacted.
          expect(JSON.stringify(value)).toBe(copy);
        }),
        { numRuns: scaled(1500) },
      );
    });
  }

  it('hands back the very object when nothing in it changes, and a copy when something does', () => {
    const process = createArgumentProcessor({ mode: 'redacted' });
    const plain = JSON.parse('{"text":"hello vanguard","n":[1,2,{"a":true}],"__proto__":{"x":null}}') as unknown;
    expect(process(plain)).toBe(plain);
    const secret = JSON.parse('{"text":"hello","items":[1,{"password":"p"}]}') as { items: unknown[] };
    const out = process(secret) as { items: unknown[] };
    expect(out).not.toBe(secret);
    expect(out.items[0]).toBe(1);
    expect(JSON.stringify(out)).toBe(`{"text":"hello","items":[1,{"password":"${REDACTED}"}]}`);
    expect(secret.items[1]).toEqual({ password: 'p' });
  });

  it('copies what is not plain data, and what has its own toJSON or is cyclic', () => {
    const process = createArgumentProcessor({ mode: 'redacted' });
    class Point {
      constructor(public x = 1) {}
    }
    const point = new Point();
    expect(process(point)).not.toBe(point);
    expect(JSON.stringify(process(point))).toBe('{"x":1}');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(JSON.stringify(process(cyclic))).toBe('{"a":1,"self":"[CIRCULAR]"}');
    const when = { at: new Date(0) };
    expect(JSON.stringify(process(when))).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });
});
