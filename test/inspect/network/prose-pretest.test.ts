/**
 * The SSRF detector's pre-test for prose (proseMayLead): a string of kind text that it says
 * cannot lead anywhere is not read. It must never say so of a string the full reading
 * (inspectProse) finds anything in. With every host denied (`*`), the full reading reports
 * any host it sees at all, so the property covers every rule, not only the ones that fire
 * under the default lists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectProse, proseMayLead } from '../../../src/inspect/detectors/network/ssrf.js';
import { shippedRules } from '../../../src/inspect/build.js';
import type { NetworkContext } from '../../../src/inspect/types.js';
import { spellings } from './helpers.js';
import { scaled } from '../../test-scale.js';

const NETWORKS: NetworkContext[] = [
  { allowHosts: [], denyHosts: [] },
  { allowHosts: [], denyHosts: ['*'] },
  { allowHosts: ['*.example.com'], denyHosts: ['evil.example', '10.*'] },
];
const KEYS = [undefined, 'text', 'message', 'host', 'targetIp', 'server_url', 'endpoints', 'note', 'path'];
const never = () => false;

// Inputs shaped like what the detector reads: URLs with and without schemes, bare hosts,
// addresses in odd spellings, commands, and prose around them.
const SEEDS = [
  'http://169.254.169.254/latest/meta-data/',
  '//10.0.0.1/admin',
  '\\\\internal.corp\\share',
  ' \t//localhost',
  '\u3000//127.0.0.1/',
  '\u0001//10.0.0.1/',
  '/\t/10.0.0.1/',
  '\\\n\\10.0.0.1',
  'localhost',
  'example.com',
  'db.internal',
  '127.1',
  '0x7f000001',
  '2852039166',
  '[::1]',
  '::ffff:127.0.0.1',
  'metadata.google.internal',
  'see http://169.254.169.254/ now',
  'curl http://evil.example/x',
  'gopher://127.0.0.1:6379/_INFO',
  'file:///etc/passwd',
  'jar:http://10.0.0.1!/x',
  'localhost:3000/callback',
  '10.0.0.5:6379',
  'a\u3002b\uff0ec',
  '１６９.２５４.１６９.２５４',
  'http:\\\\127.0.0.1',
  'Deploy finished; all checks green. Thanks everyone!',
  '/srv/data/reports/2026-q3.md',
  'git log --oneline -n 20',
];

const textFrom = fc.oneof(
  fc.constantFrom(...SEEDS),
  fc.string({ unit: fc.constantFrom(...'ab.1:/\\[]@ %0x7f-\t\u3002\uff1a\uff0f'.split('')), maxLength: 40 }),
  fc.tuple(fc.constantFrom(...SEEDS), fc.constantFrom('', ' ', 'x ', '// ', 'see '), fc.constantFrom('', ' ok', '/', ':80')).map(([s, a, b]) => `${a}${s}${b}`),
);

// Every spelling the detector would read of a string: as sent, URL-decoded and NFKC-folded.
function readings(raw: string): string[] {
  return [raw, ...spellings(raw).map((v) => v.text)];
}

function check(text: string, key: string | undefined): void {
  for (const net of NETWORKS) {
    if (inspectProse(text, key, net, never).length > 0) expect(proseMayLead(text, key), `${JSON.stringify(text)} under ${key}`).toBe(true);
  }
}

describe('proseMayLead (the SSRF pre-test for prose)', () => {
  it('passes every string in which the full reading finds a host', () => {
    let found = 0;
    for (const seed of SEEDS) {
      for (const text of readings(seed)) {
        for (const key of KEYS) {
          check(text, key);
          if (inspectProse(text, key, NETWORKS[1]!, never).length > 0) found++;
        }
      }
    }
    // The seeds are no vacuous sample: most of them hold a host.
    expect(found).toBeGreaterThan(50);
  });

  it('passes the SSRF rule pack examples in which the full reading finds a host', () => {
    const examples = shippedRules()
      .rules.filter((r) => r.category === 'ssrf')
      .flatMap((r) => [...r.examples.match, ...r.examples.nomatch])
      .flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e.args).filter((v): v is string => typeof v === 'string')));
    expect(examples.length).toBeGreaterThan(20);
    for (const example of examples) for (const text of readings(example)) for (const key of KEYS) check(text, key);
  });

  it('passes random host-shaped strings in which the full reading finds a host', () => {
    fc.assert(
      fc.property(textFrom, fc.constantFrom(...KEYS), (text, key) => {
        for (const spelling of readings(text)) check(spelling, key);
      }),
      { numRuns: scaled(3000) },
    );
  });

  it('turns down prose with no colon, no leading slashes and no host-naming key', () => {
    expect(proseMayLead('Deploy finished; all checks green.', 'text')).toBe(false);
    expect(proseMayLead('/srv/data/reports/2026-q3.md', 'path')).toBe(false);
    expect(proseMayLead('example.com', 'host')).toBe(true);
    expect(proseMayLead('//example.com', 'text')).toBe(true);
    expect(proseMayLead('see http://x', 'text')).toBe(true);
  });
});
