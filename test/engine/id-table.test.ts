/**
 * Differential: IdTable (src/engine/id-table.ts) against a Map, over seeded random runs of
 * sets, reads, deletes and clears: every read, the size, and the entries in order must be
 * what the Map gives. Keys as the engine makes them: numbers in a row (pipelined calls),
 * numbers that share a slot, -0, fractions, large numbers (2^31, 1e21), strings.
 */
import { describe, expect, it } from 'vitest';
import { random } from './seeded.js';
import { IdTable } from '../../src/engine/id-table.js';
import { idKey, type IdKey } from '../../src/protocol/jsonrpc.js';
import { scaled } from '../test-scale.js';

function expectSame(table: IdTable<string>, map: Map<IdKey, string>): void {
  expect(table.size).toBe(map.size);
  const got = table.entries();
  const want = [...map];
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Object.is(got[i]![0], want[i]![0])).toBe(true);
    expect(got[i]![1]).toBe(want[i]![1]);
  }
  const values: string[] = [];
  table.forEachValue((v) => values.push(v));
  expect(values.sort()).toEqual([...map.values()].sort());
}

describe('IdTable: the same as a Map', () => {
  // (A scaled run keeps the first three: seed 3 is a wide one.)
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].slice(0, scaled(10, 3))) {
    it(`run ${seed}`, () => {
      const next = random(seed);
      const table = new IdTable<string>();
      const map = new Map<IdKey, string>();
      let counter = 0;
      let window = 0;
      // Some runs use few distinct keys (collisions, reuse); some pipeline thousands in a row.
      const wide = seed % 3 === 0;
      const keyOf = (): IdKey => {
        const r = next();
        if (r < 0.35) return window++ % (wide ? 40000 : 3000);
        if (r < 0.5) return Math.floor(next() * 64) * 256 + (seed % 4);
        if (r < 0.6) return Math.floor(next() * 2 ** 31);
        if (r < 0.65) return pickOf(next, [-0, 0, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e21, 1.5, -1, -256, Number.MAX_SAFE_INTEGER]);
        if (r < 0.75) return idKey(String(Math.floor(next() * 50)));
        if (r < 0.85) return idKey(`s${Math.floor(next() * 50)}`);
        return Math.floor(next() * 600);
      };
      for (let step = 0; step < 30000; step++) {
        const roll = next();
        const key = keyOf();
        if (roll < 0.5) {
          const value = `v${counter++}`;
          expect(table.set(key, value)).toBe(table);
          map.set(key, value);
        } else if (roll < 0.62) {
          expect(table.get(key)).toBe(map.get(key));
          expect(table.has(key)).toBe(map.has(key));
        } else if (roll < 0.9995) {
          // Answers come for keys in flight, mostly the oldest (a window moving on).
          const oldest = next() < 0.6 ? map.keys().next().value : undefined;
          const target = oldest ?? key;
          expect(table.delete(target)).toBe(map.delete(target));
        } else {
          table.clear();
          map.clear();
        }
        expect(table.size).toBe(map.size);
        expect(table.has(key)).toBe(map.has(key));
        expect(table.get(key)).toBe(map.get(key));
        if (step % 2000 === 0) expectSame(table, map);
      }
      expectSame(table, map);
    });
  }

  it('pipelined ids: thousands in flight in a row, every slot of them found again, in order', () => {
    const table = new IdTable<number>();
    const map = new Map<IdKey, number>();
    for (let id = 0; id < 60000; id++) {
      table.set(id, id);
      map.set(id, id);
      if (id >= 10000) {
        expect(table.delete(id - 10000)).toBe(true);
        map.delete(id - 10000);
      }
    }
    expect(table.size).toBe(10000);
    expect(table.entries()).toEqual([...map]);
    for (let id = 49990; id < 50010; id++) expect(table.get(id)).toBe(map.get(id));
  });

  it('-0 is the key 0, and a key set while its slot was taken is found after that slot frees', () => {
    const table = new IdTable<string>();
    table.set(-0, 'zero');
    expect(table.get(0)).toBe('zero');
    expect(Object.is(table.entries()[0]![0], 0)).toBe(true);
    table.set(256, 'a');
    table.set(512, 'b');
    expect(table.delete(0)).toBe(true);
    expect(table.has(-0)).toBe(false);
    table.delete(256);
    table.set(512, 'c');
    table.set(256, 'd');
    expect(table.entries()).toEqual([
      [512, 'c'],
      [256, 'd'],
    ]);
    expect(table.size).toBe(2);
  });
});

function pickOf<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T;
}
