/**
 * hostHits keeps its answers from call to call (up to 1024 a map). The host it is given may be
 * cut from a longer text (a URL found in an argument of megabytes), and V8 keeps such a cut as a
 * view into that text; a key joined around it (with host lists, flags, scheme and port before
 * the host) is a rope that holds the view. Either kept would keep the whole text alive.
 */
import { describe, expect, it } from 'vitest';
import { heapAfterGc, MB } from '../heap.js';
import { hostHits } from '../../../src/inspect/detectors/network/host-hits.js';
import type { NetworkContext } from '../../../src/inspect/types.js';

// A host cut from a text of 16 MB (the text is not kept here), read with and without a port.
function readCutFromText(net: NetworkContext, i: number): void {
  const text = `see http://some-long-host-name-${i}.example.org/ ${'y'.repeat(16 * MB)}`;
  const host = text.slice(11, text.indexOf('/', 11));
  expect(host).toBe(`some-long-host-name-${i}.example.org`);
  for (const port of [undefined, '8080']) expect(hostHits({ host, port }, 'http', false, net)).toEqual([]);
}

describe('hostHits: kept answers', () => {
  it.each([
    ['without host lists (keyed by the host alone)', { allowHosts: [], denyHosts: [] }],
    ['with host lists (keyed by flags, scheme, port and host)', { allowHosts: ['*.corp.example'], denyHosts: ['evil.com'] }],
  ])('do not keep alive the long text a host was cut from: %s', (_, net: NetworkContext) => {
    // (This context's answers are started first: a new context drops the last one's, which
    // would hide what this one keeps.)
    expect(hostHits({ host: 'short.example', port: undefined }, 'http', false, net)).toEqual([]);
    const before = heapAfterGc();
    // In a function of its own, so that no long text is left in this one's variables.
    for (let i = 0; i < 4; i++) readCutFromText(net, i);
    // (V8 keeps the last string a regex read, RegExp.input, whatever it was cut from: one read here lets it go.)
    expect(/x/.test('x')).toBe(true);
    const after = heapAfterGc();
    // Four texts kept would be 64 MB (latin1); the keys are a few bytes each.
    expect((after - before) / MB).toBeLessThan(8);
  });
});
