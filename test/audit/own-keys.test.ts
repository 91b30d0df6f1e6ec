import { afterEach, describe, expect, it } from 'vitest';
import { createArgumentProcessor } from '../../src/audit/arguments.js';
import { learnFacts } from '../../src/learn/facts.js';

// The one-pass text of clean arguments and learnFacts walk an object's keys with for-in (no
// list of them made): only its own keys count, in Object.keys' order, as when they read
// Object.keys. An enumerable key put on Object.prototype (pollution) must change nothing.
const polluted: string[] = [];
function pollute(key: string, value: unknown): void {
  Object.defineProperty(Object.prototype, key, { value, enumerable: true, configurable: true, writable: true });
  polluted.push(key);
}
afterEach(() => {
  for (const key of polluted.splice(0)) delete (Object.prototype as Record<string, unknown>)[key];
});

describe('own keys only, in their order', () => {
  it('the one-pass argument text reads the own keys, not a polluted prototype', () => {
    const processor = createArgumentProcessor({ mode: 'redacted', redactKeys: [] });
    const args = JSON.parse('{"b":"two","a":"one","2":3,"1":[true,null]}') as object;
    const clean = processor.text?.(args);
    expect(clean).toBe(JSON.stringify(args));
    // A secret's name and an over-long string, inherited: neither is the object's own.
    pollute('password', 'x'.repeat(5000));
    expect(processor.text?.(args)).toBe(clean);
    expect(JSON.stringify(processor(args))).toBe(clean);
  });

  it('a secret-named own key still sends the arguments to the walk', () => {
    const processor = createArgumentProcessor({ mode: 'redacted', redactKeys: [] });
    expect(processor.text?.({ text: 'hi', password: 'p' })).toBeUndefined();
  });

  it('learnFacts learns from own keys only, in their order', () => {
    const ctx = { cwd: '/srv', roots: [], home: '/home/me' };
    const args = { b: 'see https://b.example/x', a: 'hello' };
    const own = learnFacts(args, {}, ctx);
    expect(own).toBeDefined();
    expect(Object.keys(own ?? {})).toEqual(['b']);
    pollute('url', 'https://polluted.example/steal');
    expect(learnFacts(args, {}, ctx)).toEqual(own);
    expect(learnFacts({ text: 'hello' }, {}, ctx)).toBeUndefined();
  });
});
