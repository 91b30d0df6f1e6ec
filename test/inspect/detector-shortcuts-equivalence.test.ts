/**
 * The detectors' shortcuts against the full readings they stand for (issue 13): kinds from
 * shared sets and names read once, a plain path's one spelling, host answers and path
 * verdicts kept from call to call. Each must give what the full reading gives, on corpus
 * strings, rule-pack examples and random text; and a whole inspection must give the same
 * verdict, findings and budget steps whether the kept answers are cold or warm.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORPORA_DIR, corpusCalls, stringsIn, type CorpusCall as Call } from './corpus-strings.js';
import { shippedRules, INSPECTION_BUDGET_MS } from '../../src/inspect/build.js';
import { forgetHostHits, hostHits, readHostHits } from '../../src/inspect/detectors/network/host-hits.js';
import { viewUrl } from '../../src/inspect/detectors/network/url-parse.js';
import { forgetVerdicts, inspectPath } from '../../src/inspect/detectors/paths/detector.js';
import { checksFor } from '../../src/inspect/detectors/paths/match.js';
import { allSpellings, pathSpellings } from '../../src/inspect/detectors/paths/spellings.js';
import { commandBase } from '../../src/inspect/detectors/shell/names.js';
import { isAlnum } from '../../src/inspect/detectors/shell/word.js';
import { isWordStart, tokenizeSql } from '../../src/inspect/detectors/sql/lexer.js';
import { inspectArguments, type Inspector } from '../../src/inspect/inspect.js';
import { kindsOf, kindsReadInFull, type KindHints } from '../../src/inspect/kinds.js';
import { isAddressAsData, LOOKED_UP_ADDRESS, type SchemaHint } from '../../src/inspect/looked-up-address.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import { CATEGORIES, type ArgumentKind, type InspectedString, type NetworkContext, type PathContext } from '../../src/inspect/types.js';
import { scaled } from '../test-scale.js';


const CORPUS = corpusCalls(8192);
const rules = shippedRules().rules;
const EXAMPLES = rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).filter((e): e is string => typeof e === 'string');
const SEEDS = [
  '/srv/data/reports/2026-q3.md',
  'git log --oneline -n 20',
  "SELECT id, name FROM users WHERE created_at > '2026-01-01' LIMIT 50",
  'https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open',
  'Deploy finished; all checks green. Thanks everyone!',
  '../../etc/passwd',
  ' /etc/passwd ',
  '/etc/passwd\u0000.png',
  '%2e%2e%2fetc%2fpasswd',
  '\\\\?\\C:\\Windows\\win.ini',
  'file:///etc/shadow',
  '~/.ssh/id_rsa',
  'http://169.254.169.254/latest/meta-data/',
  'curl http://10.0.0.5:8080/ && nc 127.1 6379',
  '/home/user/.ssh/id_rsa',
  'C:\\Windows\\System32\\config\\SAM',
  '\\\\host\\share\\x',
  '\\\\?\\GLOBALROOT\\Device\\x',
  '//host/share/../x',
  '',
];
// Distinct texts, evenly sampled down to a few thousand (the shared machine runs this under load).
const sample = <T>(items: readonly T[], most: number): T[] => (items.length <= most ? [...items] : items.filter((_, i) => i % Math.ceil(items.length / most) === 0));
const TEXTS = [...SEEDS, ...sample([...new Set([...EXAMPLES, ...CORPUS.flatMap((c) => stringsIn(c.args))])].filter((t) => t.length <= 4096), scaled(3000))];
const KEYS = [undefined, 'path', 'filePath', 'url', 'webhook', 'command', 'cmd', 'sql', 'query', 'text', 'host', 'channel', 'sourceDir', 'q'];
const HINTS: KindHints[] = [
  {},
  { byPolicy: new Map([['q', new Set<ArgumentKind>(['sql'])]]) },
  { bySchema: new Map<string, ReadonlySet<SchemaHint>>([['host', new Set<SchemaHint>([LOOKED_UP_ADDRESS])], ['q', new Set<SchemaHint>(['url', 'path'])]]) },
];

const str = (raw: string, key: string | undefined, isKey = false, variants: InspectedString['variants'] = []): InspectedString => ({ path: key ?? '0', key, isKey, raw, variants });
const text = fc.oneof(fc.constantFrom(...SEEDS), fc.string({ unit: fc.constantFrom(...'/\\.~:%0x2e c_ \u0000\tab'.split('')), maxLength: 30 }), fc.string({ maxLength: 30 }));

describe('kindsOf (shared sets, names read once) against the full reading', () => {
  const check = (s: InspectedString, hints: KindHints) => {
    const fast = kindsOf(s, hints);
    const full = kindsReadInFull(s, hints);
    // The same kinds in the same order, and the looked-up-address mark kept.
    expect([...fast], JSON.stringify(s)).toEqual([...full]);
    expect(isAddressAsData(fast)).toBe(isAddressAsData(full));
  };
  it('on corpus strings, examples and seeds, under every key and hints', () => {
    let n = 0;
    for (const raw of sample(TEXTS, 800)) for (const key of KEYS) for (const hints of HINTS) for (const isKey of [false, true]) (check(str(raw, key, isKey), hints), n++);
    expect(n).toBeGreaterThan(10_000);
  }, 120_000);
  it('on random text', () => {
    fc.assert(fc.property(text, fc.constantFrom(...KEYS), fc.constantFrom(...HINTS), (raw, key, hints) => {
      check(str(raw, key), hints);
    }), { numRuns: scaled(3000) });
  });
});

describe('pathSpellings (a plain path is its one spelling) against the full walk', () => {
  const check = (s: InspectedString) => expect([...pathSpellings(s)], JSON.stringify(s.raw)).toEqual([...allSpellings(s)]);
  it('on corpus strings, examples and seeds, with and without variants', () => {
    let plain = 0;
    for (const raw of TEXTS) {
      check(str(raw, 'path'));
      check(str(raw, 'path', false, [{ text: raw.toUpperCase(), via: 'upper' }]));
      if (Array.isArray(pathSpellings(str(raw, 'path')))) plain++;
    }
    // The shortcut is taken, and not only on a handful of strings.
    expect(plain).toBeGreaterThan(100);
  });
  it('on random text', () => {
    fc.assert(fc.property(text, (raw) => {
      check(str(raw, "path"));
    }), { numRuns: scaled(5000) });
  });
});

const NETWORKS: NetworkContext[] = [
  { allowHosts: [], denyHosts: [] },
  { allowHosts: [], denyHosts: ['*'] },
  { allowHosts: ['*.example.com', 'localhost:3000'], denyHosts: ['evil.example', '10.*', '*.github.com:443'] },
];

describe('hostHits (answers kept) against a fresh reading', () => {
  // Every host candidate the URL reader finds in the texts, read cold and warm, in two orders.
  const candidates = sample(TEXTS, 1500).flatMap((t) => [...(viewUrl(t, true)?.hosts ?? []), ...(viewUrl(t, false)?.hosts ?? [])].map((c) => ({ c, scheme: viewUrl(t, false)?.scheme })));
  it('gives the fresh answer for every host, scheme, port and flag, however warm', () => {
    expect(candidates.length).toBeGreaterThan(200);
    for (const net of NETWORKS) {
      forgetHostHits();
      for (const order of [candidates, [...candidates].reverse()]) {
        for (const { c, scheme } of order) {
          for (const singleLabel of [false, true]) {
            for (const publicName of [false, true]) {
              // The same host with another port or scheme must not take this one's answer.
              for (const variant of [c, { host: c.host, port: c.port === undefined ? '443' : undefined }]) {
                for (const sc of [scheme, scheme === 'https' ? 'http' : 'https']) {
                  expect(hostHits(variant, sc, singleLabel, net, publicName), `${c.host} ${sc}`).toEqual(readHostHits(variant, sc, singleLabel, net, publicName));
                }
              }
            }
          }
        }
      }
    }
  }, 300_000);
  it('starts afresh when the lists change, even in place', () => {
    const net: NetworkContext = { allowHosts: [], denyHosts: [] };
    const host = { host: 'files.example.org', port: undefined };
    expect(hostHits(host, 'https', true, net)).toEqual([]);
    net.denyHosts.push('*.example.org');
    expect(hostHits(host, 'https', true, net).map((h) => h.ruleId)).toEqual(['ssrf.denied-host']);
  });
});

describe('path verdicts (kept per compiled checks) against a fresh reading', () => {
  const contexts: PathContext[] = [
    { roots: ['/srv/data'], deny: ['~/.ssh/**', '*.pem'], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
    { roots: [], deny: ['C:\\Secrets\\**'], cwd: 'C:\\work', home: 'C:\\Users\\ann', realpath: (p) => p },
  ];
  it('inspectPath finds the same, cold and warm, on every path-shaped text', () => {
    for (const ctx of contexts) {
      const checks = checksFor(ctx);
      const cold = (raw: string) => {
        forgetVerdicts(checks);
        return inspectPath(str(raw, 'path'), ctx, checks, ctx.realpath);
      };
      const warmed = TEXTS.map((raw) => inspectPath(str(raw, 'path'), ctx, checks, ctx.realpath));
      TEXTS.forEach((raw, i) => expect(inspectPath(str(raw, 'path'), ctx, checks, ctx.realpath), raw).toEqual(warmed[i]));
      for (const raw of sample(TEXTS, 1000)) expect(cold(raw), raw).toEqual(inspectPath(str(raw, 'path'), ctx, checks, ctx.realpath));
    }
  }, 300_000);
});

describe('isAlnum (shell words) against the regex it replaced', () => {
  it('agrees on every UTF-16 code unit and on longer texts', () => {
    const ALNUM = /[a-z0-9]/i;
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      if (isAlnum(c) !== ALNUM.test(c)) expect(code).toBe(-1);
    }
    for (const t of ['', 'ab', '$x', '\u212a', '--']) expect(isAlnum(t)).toBe(ALNUM.test(t));
  });
});

describe('commandBase (the last part found by lastIndexOf) against the regex split it replaced', () => {
  const bySplit = (text: string) => {
    const segments = text.toLowerCase().split(/[\\/]/);
    return (segments[segments.length - 1] ?? '').replace(/\.(?:exe|com|bat|cmd)$/, '');
  };
  const word = fc.string({ unit: fc.constantFrom(...'/\\.aBx-eXcomdbt \u0130\u212a'.split('')), maxLength: 16 });
  it('agrees on every word of the corpus strings, examples and seeds', () => {
    const words = [...new Set(TEXTS.flatMap((t) => t.split(/\s+/)))];
    expect(words.length).toBeGreaterThan(1000);
    for (const w of [...words, '', '/', 'C:\\Tools\\GIT.EXE', '/usr/bin/python3.cmd', 'a.exe.bat', '.exe', 'x/', '\u0130/\u0130.EXE']) expect(commandBase(w), w).toBe(bySplit(w));
  });
  it('agrees on random names of separators, dots and extensions', () => {
    fc.assert(fc.property(word, (w) => commandBase(w) === bySplit(w)), { numRuns: scaled(20_000) });
  });
});

describe('SQL lexer character tests against the classes they replaced', () => {
  it('isWordStart equals [A-Za-z_@\\u0080-\\uffff] on every code unit, and the tokens are those the lexer gave before (digits, prefixed strings)', () => {
    const WORD_START = /[A-Za-z_@\u0080-\uffff]/;
    for (let code = 0; code < 0x10000; code++) if (isWordStart(code) !== WORD_START.test(String.fromCharCode(code))) expect(code).toBe(-1);
    expect(tokenizeSql("SELECT .5, 7e3, N'x', u&'y', nx FROM t").map((t) => [t.type, t.value])).toEqual([
      ['word', 'select'], ['number', '.5'], ['op', ','], ['number', '7e3'], ['op', ','], ['string', 'x'], ['op', ','], ['word', 'u'], ['op', '&'], ['string', 'y'], ['op', ','], ['word', 'nx'], ['word', 'from'], ['word', 't'],
    ]);
  });
});

describe('whole inspection, kept answers cold and warm', () => {
  const inspector: Inspector = {
    rules,
    detectors: DETECTORS,
    settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])) as Inspector['settings'],
    paths: { roots: ['/srv/data'], deny: ['~/.ssh/**'], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
    network: { allowHosts: [], denyHosts: [] },
    clock: { now: () => 0, budgetMs: INSPECTION_BUDGET_MS },
  };
  const run = (call: Call) => {
    let steps = -1;
    const result = inspectArguments({ tool: call.tool, args: call.args, hints: {}, exempt: new Set() }, { ...inspector, onSteps: (used) => (steps = used) });
    return { result, steps };
  };
  const calls: Call[] = [...sample(CORPUS, scaled(2500)), ...SEEDS.flatMap((s) => ['path', 'url', 'command', 'sql', 'text'].map((k) => ({ tool: 'tool', args: { [k]: s } })))];
  it('gives the same verdict, findings and steps on every corpus call', () => {
    const cold = calls.map((call) => {
      forgetHostHits();
      forgetVerdicts(checksFor(inspector.paths));
      return run(call);
    });
    // Warm: every answer kept from the calls before, in another order.
    for (const i of calls.map((_, i) => calls.length - 1 - i)) expect(run(calls[i] as Call), JSON.stringify(calls[i]).slice(0, 200)).toEqual(cold[i]);
    expect(cold.filter((r) => r.result.verdict === 'block').length).toBeGreaterThan(CORPORA_DIR === undefined ? 10 : scaled(500));
  }, 300_000);
});
