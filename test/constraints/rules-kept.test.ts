/**
 * The constraints of a tool name are kept per name once matched (src/constraints/compile.ts):
 * a name asked again, one asked after many others pushed the kept ones out, and a name too
 * long to keep all get the verdict a freshly compiled policy gives them on first sight.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, type PolicyEdge } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';

const EDGE: PolicyEdge = { realpath: (p) => p, home: '/home/me', nowMs: () => 0 };
const DOC: PolicyDocument = {
  paths: { cwd: '/srv/data' },
  arguments: {
    'read_*': { constrain: { path: { paths: ['/srv/data/**'], required: true } } },
    '*_file': { constrain: { mode: { enum: ['r'] } } },
    'fetch?': { constrain: { url: { schemes: ['https'] } } },
  },
};
const fresh = () => compilePolicy(DOC, ['test'], '/', EDGE).constraints;

// Names that match no glob, one, or both (read_x_file), and long ones past what is kept.
const NAMES = ['read_text_file', 'read_x', 'write_file', 'fetch1', 'fetch12', 'echo', `read_${'a'.repeat(300)}`, `${'b'.repeat(300)}_file`, 'READ_x'];
const ARGS: unknown[] = [undefined, {}, { path: '/etc/passwd' }, { path: '/srv/data/a', mode: 'w' }, { path: '/srv/data/a', mode: 'r' }, { url: 'http://x' }, 'not an object'];

describe('constraints kept per tool name', () => {
  it('give every name, asked again and again, the verdict of a fresh compile', () => {
    const kept = fresh();
    const expected = NAMES.map((name) => ARGS.map((args) => fresh().check(name, args)));
    for (let round = 0; round < 3; round++) {
      NAMES.forEach((name, i) => ARGS.forEach((args, j) => expect(kept.check(name, args)).toEqual(expected[i]![j])));
      expect(NAMES.map((n) => kept.appliesTo(n))).toEqual(NAMES.map((n) => fresh().appliesTo(n)));
      expect(NAMES.map((n) => kept.namedArguments(n))).toEqual(NAMES.map((n) => fresh().namedArguments(n)));
    }
  });

  it('stay right after more names than are kept went by', () => {
    const kept = fresh();
    const before = kept.check('read_text_file', { path: '/etc/passwd' });
    expect(before?.ruleId).toBe('constraint.path.paths');
    for (let i = 0; i < 3000; i++) kept.check(i % 2 === 0 ? `read_${i}` : `tool_${i}`, {});
    expect(kept.check('read_text_file', { path: '/etc/passwd' })).toEqual(before);
    expect(kept.check('tool_1', { path: '/etc/passwd' })).toBeUndefined();
    expect(kept.check('read_2', {})?.ruleId).toBe('constraint.path.required');
  });

  it('are none for any name when the policy constrains nothing', () => {
    const none = compilePolicy({}, ['test'], '/', EDGE).constraints;
    for (const name of NAMES) expect(none.check(name, { path: '/etc/passwd' })).toBeUndefined();
  });
});
