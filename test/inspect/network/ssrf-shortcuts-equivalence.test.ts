/**
 * The SSRF detector's shortcuts against the readings they stand for (issue 13): bare hosts
 * found in one pass over a command (plain tokens read there) against the split and readToken,
 * and the one-word test of a URL against the regex it skips. Corpus strings, rule-pack
 * examples, commands built of separators, Unicode spaces and host-like tokens, and random text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusStrings, stringsIn } from '../corpus-strings.js';
import { shippedRules } from '../../../src/inspect/build.js';
import { findBareHosts, findBareHostsReadInFull } from '../../../src/inspect/detectors/network/extract.js';
import { mayHoldSpace } from '../../../src/inspect/detectors/network/ssrf.js';
import { scaled } from '../../test-scale.js';


const EXAMPLES = shippedRules().rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).flatMap((e) => (typeof e === 'string' ? [e] : stringsIn(e.args)));
const SEEDS = [
  'git log --oneline -n 20',
  'curl http://10.0.0.5:8080/ && nc 127.1 6379',
  'nc 2130706433 80; ssh root@10.0.0.1 -p 22',
  'ping 0x7f000001 0X7F000001 metadata.google.internal.',
  'wget [::1]:8080 ::ffff:127.0.0.1 fe80::1%eth0',
  'echo a\u00a0b\u2003c\u3000d\ufeffe\u2028f',
  'redis-cli -h LOCALHOST -p 6379 ; a,b;c',
  `${'x'.repeat(63)} ${'y'.repeat(64)} ${'z'.repeat(301)} ${'w'.repeat(300)}`,
  'git git git log log -n -n 12345678 12345678',
  // Past the tokens kept in a list (16), repeats before and after the switch to a set.
  `${Array.from({ length: 20 }, (_, i) => `h${i}`).join(' ')} h3 h16 h17 h0 h19 h20 h3`,
  `${Array.from({ length: 16 }, (_, i) => `h${i}`).join(' ')} h0 h15 h16 h16 h1`,
  '',
  '   ',
];
const TEXTS = [...new Set([...SEEDS, ...EXAMPLES, ...corpusStrings()])];

// Commands made of what the tokenizer and readToken care about.
const PIECES = ['git', 'log', '-n', '--x', '_a', 'a-b', '20', '12345678', '1234567890', '0x7f000001', '0X7F000001', 'LOCALHOST', 'localhost', '127.0.0.1', '10.0.0.5:22', 'a@b', 'h/p', 'x.', 'x,', '[::1]', '::1', 'http://a', 'é', 'ǅ', '\u0130'];
const SEPARATORS = [' ', '\t', '\n', '\u000b', '\f', '\r', '"', "'", '`', '<', '>', '|', ';', '&', '(', ')', ',', '=', '{', '}', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085'];
const command = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS), fc.string({ maxLength: 8 })), { maxLength: 24 }).map((parts) => parts.join(''));

describe('findBareHosts (one pass, plain tokens read in it) against the split and readToken', () => {
  const check = (text: string): void => {
    expect(findBareHosts(text), JSON.stringify(text)).toEqual(findBareHostsReadInFull(text));
  };
  it('on corpus strings, examples and seeds', () => {
    let hosts = 0;
    for (const text of TEXTS) {
      check(text);
      hosts += findBareHosts(text).length;
    }
    expect(TEXTS.length).toBeGreaterThan(1000);
    // Not a comparison of empty lists: many hosts are found.
    expect(hosts).toBeGreaterThan(1000);
  }, 120_000);
  it('on commands of separators, Unicode spaces and host-like tokens', () => {
    fc.assert(fc.property(command, check), { numRuns: scaled(20_000) });
  });
  it('on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), check), { numRuns: scaled(5000) });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), check), { numRuns: scaled(5000) });
  });
});

describe('mayHoldSpace against \\s', () => {
  it('is true for every code unit \\s matches, and for a text holding one', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (/\s/.test(ch)) {
        expect(mayHoldSpace(ch), c.toString(16)).toBe(true);
        expect(mayHoldSpace(`http://a${ch}b`), c.toString(16)).toBe(true);
      }
    }
  });
  it('is false only where \\s finds nothing', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      if (!mayHoldSpace(text)) expect(/\s/.test(text)).toBe(false);
    }), { numRuns: scaled(20_000) });
    for (const text of TEXTS) if (!mayHoldSpace(text)) expect(/\s/.test(text)).toBe(false);
  });
});
