/**
 * The kept host answers (hostHits, src/inspect/detectors/network/host-hits.ts) against a fresh
 * reading (readHostHits) when the policy has host lists, so the key holds the scheme and the
 * port: on seeded sequences of candidates whose ports and hosts hold the key's own separator
 * `|` and digits, asked in any order. A port is written as its length, then itself: lengths of
 * one and two hex digits ran into each other (port "0", length "1", read as length "10"), so a
 * host of the form `<15 characters>|<host>` with port "0" got the kept answer of `<host>` with
 * the 16-character port `|<15 characters>`, whatever the lists say of it.
 */
import { describe, expect, it } from 'vitest';
import { forgetHostHits, hostHits, readHostHits } from '../../../src/inspect/detectors/network/host-hits.js';
import type { NetworkContext } from '../../../src/inspect/types.js';

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

// Allowed: api.example; denied: anything starting "abc" (the kept answer of api.example is no hit).
const net: NetworkContext = { allowHosts: ['api.example'], denyHosts: ['abc*'] };

describe('kept host answers with host lists', () => {
  it('does not give a host ending in "|<host>" with port "0" the answer kept for <host> with a 16-character port', () => {
    forgetHostHits();
    const kept = { host: 'api.example', port: '|abcdefghijklmno' };
    const other = { host: 'abcdefghijklmno|api.example', port: '0' };
    expect(hostHits(kept, 'http', true, net)).toEqual(readHostHits(kept, 'http', true, net));
    const fresh = readHostHits(other, 'http', true, net);
    expect(fresh.map((h) => h.ruleId)).toContain('ssrf.denied-host');
    expect(hostHits(other, 'http', true, net)).toEqual(fresh);
  });

  it('gives every candidate the answer a fresh reading gives (generated)', () => {
    const next = generator(260);
    const pieces = ['|', '0', '1', '10', 'a', 'abc', 'api.example', '.', ':', '8080'];
    const part = (max: number): string => {
      let text = '';
      for (let i = 1 + next(max); i > 0; i--) text += pieces[next(pieces.length)];
      return text;
    };
    for (let run = 0; run < 40; run++) {
      forgetHostHits();
      const seen: Array<{ host: string; port: string | undefined; scheme: string | undefined }> = [];
      for (let i = 0; i < 60; i++) {
        // Mostly new candidates, some asked again; ports of 1 to 16 characters, or none.
        const again = seen.length > 0 && next(4) === 0;
        const c = again ? seen[next(seen.length)]! : { host: part(5), port: next(5) === 0 ? undefined : part(6).slice(0, 1 + next(16)), scheme: ['http', 'https', undefined][next(3)] };
        if (!again) seen.push(c);
        const candidate = { host: c.host, port: c.port };
        expect(hostHits(candidate, c.scheme, true, net), JSON.stringify(c)).toEqual(readHostHits(candidate, c.scheme, true, net));
      }
    }
  });
});
