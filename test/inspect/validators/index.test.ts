/**
 * The registry against the shipped packs: every validator a pack names exists, and every
 * validator here is used by some pack (an unused one is dead code or a typo in a pack).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VALIDATORS } from '../../../src/inspect/validators/index.js';

const dir = path.resolve(import.meta.dirname, '../../../policies/rules');
const named = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(path.join(dir, f), 'utf8')) as { rules: Array<{ id: string; validator?: string }> }).rules)
  .filter((r) => r.validator !== undefined);

describe('VALIDATORS', () => {
  it.each(named.map((r) => [r.id, r.validator!]))('%s names an existing validator (%s)', (_id, name) => {
    expect(VALIDATORS[name]).toBeTypeOf('function');
  });

  it('has no validator that no pack uses', () => {
    const used = new Set(named.map((r) => r.validator));
    expect(Object.keys(VALIDATORS).filter((name) => !used.has(name))).toEqual([]);
  });

  it('validators never throw, whatever they are given', () => {
    const odd = ['', ' ', '=', ':', '-----', '.', '..', '://@', 'a'.repeat(10_000), '\u0000\uffff', 'eyJ.eyJ.', '💥'.repeat(50)];
    for (const validate of Object.values(VALIDATORS)) for (const input of odd) expect(() => validate(input)).not.toThrow();
  });
});
