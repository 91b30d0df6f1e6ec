/**
 * RecentWeakMap (src/util/recent-weak-map.ts) reads as the WeakMap it wraps, whatever order the
 * sessions are asked about in: the entry kept at hand is never another session's, nor stale.
 */
import { describe, expect, it } from 'vitest';
import { random } from './seeded.js';
import { RecentWeakMap } from '../../src/util/recent-weak-map.js';

describe('RecentWeakMap: the same as a WeakMap', () => {
  it('over random runs of reads and writes of a few sessions', () => {
    const next = random(7);
    const sessions = Array.from({ length: 5 }, () => ({}));
    const table = new RecentWeakMap<object, number>();
    const map = new WeakMap<object, number>();
    for (let step = 0; step < 5000; step++) {
      const session = sessions[Math.floor(next() * sessions.length)]!;
      if (next() < 0.2) {
        table.set(session, step);
        map.set(session, step);
      }
      expect(table.get(session)).toBe(map.get(session));
    }
  });

  it('a session never set reads as absent, after another was found', () => {
    const table = new RecentWeakMap<object, string>();
    const a = {};
    table.set(a, 'a');
    expect(table.get(a)).toBe('a');
    expect(table.get({})).toBeUndefined();
    expect(table.get(a)).toBe('a');
  });
});
