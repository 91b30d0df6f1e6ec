/**
 * Each argument string is read by its own kinds (its key, its shape), whatever string came
 * before it at the same shown path. Paths cut a long key at 48 characters, so two keys that
 * share their first 48 characters are shown at one path: a cache of kinds by path gave the
 * second string the first one's kinds, and a path, URL, command or SQL string after a
 * harmless one under such a key was never read by its detector. Checked on generated pairs
 * of such keys (seeded): what a call with both strings is found to hold is what each alone is.
 */
import { describe, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { inspectArguments, type Inspector } from '../../src/inspect/inspect.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import { CATEGORIES, type Category } from '../../src/inspect/types.js';

const inspector: Inspector = {
  rules: shippedRules().rules,
  detectors: DETECTORS,
  settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])) as Inspector['settings'],
  paths: { roots: ['/srv/data'], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
  network: { allowHosts: [], denyHosts: [] },
  exhaustive: true,
};
const none = new Set<Category>();
const rulesFound = (args: Record<string, unknown>): string[] => [...new Set(inspectArguments({ tool: 't', args, hints: {}, exempt: none }, inspector).findings.map((f) => f.ruleId))].sort();

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

const PREFIX = 'k'.repeat(48);
const SUFFIXES = ['1', '2', '_path', '_url', '_file', '_host', '.x', ' y'];
const VALUES = ['hello', 'notes/today.md', '../../../../etc/passwd', '~/.ssh/id_rsa', '/var/lib/app/db.sqlite', 'http://169.254.169.254/latest/meta-data/', 'file:///etc/shadow', '10.0.0.5:6379', 'Meeting at 3pm', ''];

describe('kinds of argument strings at one shown path', () => {
  it('reads a traversal after a harmless string under a key with the same first 48 characters', () => {
    const alone = rulesFound({ [`${PREFIX}2`]: '../../../../etc/passwd' });
    expect(alone).toContain('path.traversal');
    expect(rulesFound({ [`${PREFIX}1`]: 'hello', [`${PREFIX}2`]: '../../../../etc/passwd' })).toEqual(alone);
  });

  it('finds in two strings at one shown path what it finds in each alone (generated)', () => {
    const next = generator(48);
    for (let i = 0; i < 150; i++) {
      const k1 = PREFIX + SUFFIXES[next(SUFFIXES.length)]!;
      let k2 = PREFIX + SUFFIXES[next(SUFFIXES.length)]!;
      if (k2 === k1) k2 += 'z';
      const v1 = VALUES[next(VALUES.length)]!;
      const v2 = VALUES[next(VALUES.length)]!;
      // Nested the same way below the two keys, or at the top.
      const nest = next(2) === 0;
      const args = nest ? { [k1]: { a: v1 }, [k2]: { a: v2 } } : { [k1]: v1, [k2]: v2 };
      const each = [...new Set([...rulesFound(nest ? { [k1]: { a: v1 } } : { [k1]: v1 }), ...rulesFound(nest ? { [k2]: { a: v2 } } : { [k2]: v2 })])].sort();
      expect(rulesFound(args), JSON.stringify(args)).toEqual(each);
    }
  });
});
