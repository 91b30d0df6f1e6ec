import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createArgumentProcessor, hashLeaf, processArguments, truncate } from '../../src/audit/arguments.js';
import { REDACTED } from '../../src/audit/secret-patterns.js';

const sha = (json: string) => `sha256:${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
const redacted = (value: unknown, redactKeys: string[] = []) => processArguments(value, { mode: 'redacted', redactKeys });
// Null-prototype objects compare fine with toEqual, but a round trip makes failures readable.
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('redacted mode', () => {
  it.each([
    ['secret keys', { path: '/a', password: 'p', API_KEY: 'k', Authorization: 'x' }, { path: '/a', password: REDACTED, API_KEY: REDACTED, Authorization: REDACTED }],
    ['secret key over a subtree', { credentials: { user: 'u', pass: 'p' } }, { credentials: REDACTED }],
    ['numbers under secret keys', { pin: 1234 }, { pin: REDACTED }],
    ['nested objects', { a: { b: { token: 't', keep: 1 } } }, { a: { b: { token: REDACTED, keep: 1 } } }],
    ['arrays', { items: [{ secret: 's' }, 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 3] }, { items: [{ secret: REDACTED }, REDACTED, 3] }],
    ['secret values under any key', { cmd: 'curl -H "Authorization: Bearer abcdefghijkl"' }, { cmd: `curl -H "Authorization: Bearer ${REDACTED}"` }],
    ['URL password', { url: 'https://u:pw@h/' }, { url: `https://u:${REDACTED}@h/` }],
    ['scalars and null kept', { n: 1, b: false, z: null }, { n: 1, b: false, z: null }],
    ['a bare string', 'sk-abcdefghijklmnopqrst', REDACTED],
    ['keys that are secrets', { 'ghp_abcdefghijklmnopqrstuvwxyz0123456789': 1 }, { [REDACTED]: 1 }],
  ])('%s', (_name, input, expected) => {
    expect(json(redacted(input))).toEqual(expected);
  });

  it('applies redactKeys globs, case-insensitively', () => {
    expect(json(redacted({ 'X-Tenant': 't', ssn: '1', SSN_2: '2', name: 'n' }, ['x-*', 'ssn*']))).toEqual({
      'X-Tenant': REDACTED,
      ssn: REDACTED,
      SSN_2: REDACTED,
      name: 'n',
    });
  });

  it('truncates long strings after redacting them', () => {
    const long = `password=hunter2 ${'x'.repeat(2000)}`;
    const out = redacted({ text: long }) as { text: string };
    expect(out.text.startsWith(`password=${REDACTED} x`)).toBe(true);
    expect(out.text).toMatch(/…\[\+1764 chars\]$/);
    expect(out.text.length).toBeLessThan(300);
  });

  it('keeps strings up to 1 KiB whole', () => {
    const text = 'y'.repeat(1024);
    expect(redacted({ text })).toEqual({ text });
  });

  it('bounds depth', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    let out = redacted(deep) as Record<string, unknown>;
    let depth = 0;
    while (typeof out.d === 'object') {
      out = out.d as Record<string, unknown>;
      depth++;
    }
    expect(depth).toBe(31);
    expect(out.d).toBe('[DEPTH]');
  });

  it('cuts cycles but not shared references', () => {
    const shared = { a: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(json(redacted(cyclic))).toEqual({ shared: { a: 1 }, again: { a: 1 }, self: '[CIRCULAR]' });
  });

  it('one processor reads each value as a fresh one would, after a cycle and after a walk that threw', () => {
    const process = createArgumentProcessor({ mode: 'redacted' });
    const shared = { a: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const throwing = { x: { nested: { toJSON: () => { throw new Error('no'); } } } };
    expect(json(process(cyclic))).toEqual({ shared: { a: 1 }, again: { a: 1 }, self: '[CIRCULAR]' });
    expect(() => process(throwing)).toThrow('no');
    // Neither the cycle's object nor the one the throw left mid-walk counts as an ancestor now.
    expect(json(process({ first: cyclic.shared, second: { inner: shared } }))).toEqual({ first: { a: 1 }, second: { inner: { a: 1 } } });
    expect(json(process([shared, [shared]]))).toEqual([{ a: 1 }, [{ a: 1 }]]);
  });

  it('bounds the number of values', () => {
    const process = createArgumentProcessor({ mode: 'redacted', limits: { maxNodes: 5 } });
    expect(process([1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, '[LIMIT]', '[LIMIT]']);
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const out = redacted(input) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops what JSON drops and serializes dates and errors', () => {
    const out = json(redacted({ u: undefined, f: () => 1, d: new Date(0), e: new Error('boom'), arr: [undefined] }));
    expect(out).toMatchObject({ d: '1970-01-01T00:00:00.000Z', e: { type: 'Error', message: 'boom' }, arr: [null] });
    expect(out).not.toHaveProperty('u');
    expect(out).not.toHaveProperty('f');
  });

  it('returns undefined for undefined (no args field)', () => {
    expect(redacted(undefined)).toBeUndefined();
  });
});

describe('hashed mode', () => {
  const hashed = (value: unknown) => json(processArguments(value, { mode: 'hashed' }));

  it('replaces every leaf with the sha256 of its JSON, keeping keys and shape', () => {
    expect(hashed({ path: '/etc/hosts', n: 42, flag: true, none: null, list: ['a', 1] })).toEqual({
      path: sha('"/etc/hosts"'),
      n: sha('42'),
      flag: sha('true'),
      none: sha('null'),
      list: [sha('"a"'), sha('1')],
    });
  });

  it('gives equal values equal hashes and distinguishes types', () => {
    expect(hashLeaf('1')).not.toBe(hashLeaf(1));
    expect(hashLeaf('x')).toBe(hashLeaf('x'));
    expect(hashLeaf(2n ** 64n)).toBe(sha('18446744073709551616'));
  });

  it('redacts secret-named keys rather than hashing them (short passwords brute-force)', () => {
    expect(hashed({ password: 'hunter2', q: 'x' })).toEqual({ password: REDACTED, q: sha('"x"') });
  });

  it('does not truncate before hashing', () => {
    const long = 'z'.repeat(5000);
    expect(hashed(long)).toBe(sha(JSON.stringify(long)));
  });
});

describe('full and omit modes', () => {
  it('full logs the arguments as received, secrets included', () => {
    const input = { password: 'hunter2', text: 'x'.repeat(5000) };
    expect(json(processArguments(input, { mode: 'full' }))).toEqual(input);
  });

  it('full still bounds depth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(processArguments(deep, { mode: 'full' }))).toContain('"[DEPTH]"');
  });

  it('omit logs nothing', () => {
    expect(processArguments({ a: 1 }, { mode: 'omit' })).toBeUndefined();
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(255)}😀${'b'.repeat(2000)}`;
    const out = truncate(text, { truncateOver: 1024, keepChars: 256 });
    expect(out.startsWith(`${'a'.repeat(255)}…`)).toBe(true);
    expect(out.endsWith(`[+${text.length - 255} chars]`)).toBe(true);
  });
});
