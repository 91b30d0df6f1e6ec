/**
 * The quiet-string table keeps a copy of each string, not the text it was cut from: a short
 * value sliced out of a frame of many megabytes must not keep the frame alive.
 */
import { describe, expect, it } from 'vitest';
import { heapAfterGc, MB } from './heap.js';
import { QuietStrings, QUIET_SLOTS } from '../../src/inspect/quiet-strings.js';

// Keep a value cut from a frame of 16 MB (the frame is not kept here).
function keepCutFromFrame(table: QuietStrings, i: number): void {
  const frame = `{"v":"a quiet value ${i} here","pad":"${'p'.repeat(16 * MB)}"}`;
  const value = frame.slice(6, 6 + 20);
  table.keep(value, i);
  table.keep(value, i);
  expect(table.get(`a quiet value ${i} here`)).toBe(i);
}

describe('QuietStrings', () => {
  it('keeps strings by content, each in its slot', () => {
    const table = new QuietStrings();
    const texts = Array.from({ length: 40 }, (_, i) => `value number ${i}`);
    // Each offered twice (a string is kept the second time it comes).
    for (const [i, t] of texts.entries()) {
      table.keep(t, i);
      table.keep(t, i);
    }
    let found = 0;
    for (const [i, t] of texts.entries()) {
      const steps = table.get(t);
      // A later string may have taken the slot over; a string found has its own steps.
      if (steps !== undefined) {
        expect(steps).toBe(i);
        found++;
      }
      expect(table.get(`${t}!`)).toBeUndefined();
    }
    expect(found).toBeGreaterThan(30);
    expect(QUIET_SLOTS).toBe(256);
  });

  it('keeps a string the second time in a row it is offered to its slot, not the first', () => {
    const table = new QuietStrings();
    table.keep('offered once', 1);
    expect(table.has('offered once')).toBe(false);
    table.keep('offered once', 1);
    expect(table.get('offered once')).toBe(1);
  });

  it('does not keep alive the long text a kept string was cut from', () => {
    const table = new QuietStrings();
    const before = heapAfterGc();
    // Strings cut from frames of 16 MB each (long enough to be kept as views into them), in
    // a function of its own so that no frame is left in this one's variables.
    for (let i = 0; i < 4; i++) keepCutFromFrame(table, i);
    const after = heapAfterGc();
    // Four frames kept would be 64 MB (latin1); the copies are a few bytes each.
    expect((after - before) / MB).toBeLessThan(8);
    for (let i = 0; i < 4; i++) expect(table.get(`a quiet value ${i} here`)).toBe(i);
  });
});
