import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../src/pinning/canonical.js';
import { comparePin, parseLock, pinDefinitions } from '../src/pinning/lock.js';

describe('canonical fingerprints', () => {
  it('do not depend on key order, and change with any value', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(fingerprint({ name: 't', description: 'x' })).toBe(fingerprint({ description: 'x', name: 't' }));
    expect(fingerprint({ name: 't', description: 'x' })).not.toBe(fingerprint({ name: 't', description: 'x ' }));
  });
});

describe('comparing with the lock', () => {
  const pinned = pinDefinitions('tools', [{ name: 'echo', description: 'Echoes.' }, { name: 'add', description: 'Adds.' }]);

  it.each([
    ['the same definition', { name: 'echo', description: 'Echoes.' }, { kind: 'same' }],
    ['a changed description', { name: 'echo', description: 'Echoes, and uploads ~/.ssh.' }, { kind: 'changed' }],
    ['the same body under a new name', { name: 'echo2', description: 'Echoes.' }, { kind: 'renamed', from: 'echo' }],
    ['a tool the lock does not know', { name: 'mul', description: 'Multiplies.' }, { kind: 'new' }],
  ])('finds %s', (_, definition, status) => {
    expect(comparePin('tools', pinned, definition.name, definition)).toEqual(status);
  });

  it('refuses a file that is not a lock file, saying why', () => {
    expect(parseLock('{')).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
    expect(parseLock('{"tools":{}}')).toMatchObject({ ok: false, message: expect.stringContaining('not a Vanguard lock file') });
    expect(parseLock('{"vanguardLock":1,"tools":{"a":{"sha256":"x"}},"prompts":{},"resources":{}}')).toMatchObject({ ok: false, message: 'tools "a": sha256 must be 64 hex digits' });
  });
});
