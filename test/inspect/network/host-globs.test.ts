/** Host-list globs use the policy's one dialect (micromatch), on the linear engine. */
import { describe, expect, it } from 'vitest';
import { hostGlobMatch, listMatches } from '../../../src/inspect/detectors/network/host-lists.js';

describe('hostGlobMatch', () => {
  it.each([
    ['{paste,dump}.example', 'paste.example', true],
    ['{paste,dump}.example', 'dump.example', true],
    ['{paste,dump}.example', 'other.example', false],
    ['*.ngrok.io', 'a.b.ngrok.io', true],
    ['*.ngrok.io', 'ngrok.io', false],
    ['10.0.0.[1-3]', '10.0.0.2', true],
    ['10.0.0.[1-3]', '10.0.0.4', false],
    ['host-?.internal', 'host-a.internal', true],
    ['[::1]:3000', '[::1]:3000', true],
    ['[::1]', '[::1]', true],
    ['localhost', 'localhost.evil.example', false],
  ])('%s against %s is %s', (glob, host, expected) => {
    expect(hostGlobMatch(glob, host)).toBe(expected);
  });

  it('lists match any subject', () => {
    expect(listMatches(['{x,y}.example'], ['z.example', 'y.example'])).toBe(true);
  });
});
