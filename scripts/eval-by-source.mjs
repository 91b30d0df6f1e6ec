#!/usr/bin/env node
// Per-source detection for the argument and result suites, split into the dev and held-out
// sources fixed in scripts/eval-sources-args.json: the held-out rate is the honest figure.
// Misses and false positives are printed for dev sources only, so held-out items stay unread.
//   npm run build && node scripts/eval-by-source.mjs --corpus ../shared/corpora [--suite cmd_injection] [--misses 20]
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compilePolicy } = await import(path.join(root, 'dist/config/index.js'));
const { Engine } = await import(path.join(root, 'dist/engine/engine.js'));
const { buildInspector, buildResultScan } = await import(path.join(root, 'dist/inspect/build.js'));

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const corpus = path.resolve(option('--corpus', path.join(root, '..', 'shared', 'corpora')));
const only = option('--suite');
const misses = Number(option('--misses', 0));
const split = JSON.parse(readFileSync(path.join(root, 'scripts', 'eval-sources-args.json'), 'utf8')).suites;

const read = (name) => readFileSync(path.join(corpus, `${name}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
// A source key: the source's first segment; gitleaks split by the parity of its rule id's hash.
function sourceOf(item) {
  const base = String(item.source ?? '').split('/')[0];
  if (base !== 'gitleaks-examples') return base;
  const rule = String(item.category ?? '').replace(/^(tp|fp):/, '');
  return `${base}#${createHash('sha256').update(rule).digest()[0] % 2 === 0 ? 'even' : 'odd'}`;
}

const tools = existsSync(path.join(corpus, 'tools.json')) ? JSON.parse(readFileSync(path.join(corpus, 'tools.json'), 'utf8')).base ?? [] : [];
// Each item is one call judged alone, so the session flow rules are off here: in one long
// session of unrelated items they would judge each call by the items before it. Sequences
// are measured by scripts/eval-flow.mjs.
const PER_CALL = { flow: { rules: [], burst: 'off' } };
function engineFor(doc) {
  const policy = compilePolicy({ ...doc, ...PER_CALL }, ['eval'], '/srv/data');
  const engine = new Engine(policy, { nowUs: () => performance.now() * 1000, inspect: buildInspector(policy, { realpath: (p) => p }), scanResult: buildResultScan(policy, { realpath: (p) => p }) });
  engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'list', method: 'tools/list' })));
  engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'list', result: { tools } })));
  return engine;
}
let next = 0;
function callRefused(engine, item) {
  if (item.toolDef) {
    engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: `l${next}`, method: 'tools/list' })));
    engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: `l${next}`, result: { tools: [item.toolDef] } })));
  }
  const id = next++;
  const out = engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: item.tool, arguments: item.args } })));
  const refused = out.outputs.some((o) => o.to === 'client');
  if (!refused) engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [] } })));
  return { hit: refused, rules: out.records[0]?.rules ?? [] };
}
function resultOf(engine, text) {
  const id = `r${next++}`;
  engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_text', arguments: {} } })));
  const sent = JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } });
  const out = engine.fromServer(Buffer.from(sent));
  const data = out.outputs.find((o) => o.to === 'client')?.data.toString() ?? '';
  const message = data ? JSON.parse(data) : undefined;
  return { changed: data !== sent, withheld: message?.result?.isError === true, text: message?.result?.content?.map((c) => c.text ?? '').join('\n') ?? '', rules: out.records[0]?.rules ?? [] };
}

const pct = (a, n) => (n ? `${((a / n) * 100).toFixed(1)} %` : '-');
function report(suite, results, kind) {
  const cfg = split[suite] ?? {};
  const devSet = new Set(kind === 'attack' ? cfg.dev : suite === 'benign' ? Object.values(split).filter((c) => c !== split.response_injection).flatMap((c) => c.benignDev) : cfg.benignDev);
  const bySource = new Map();
  for (const r of results) {
    const s = bySource.get(r.source) ?? { n: 0, hit: 0, wrong: [] };
    s.n++;
    if (r.hit) s.hit++;
    if (r.hit !== (kind === 'attack')) s.wrong.push(r);
    bySource.set(r.source, s);
  }
  const agg = { dev: [0, 0], held: [0, 0], other: [0, 0] };
  process.stdout.write(`\n## ${suite} (${kind === 'attack' ? 'caught' : 'wrongly flagged'})\n| source | split | items | hit | rate |\n| --- | --- | ---: | ---: | ---: |\n`);
  for (const [source, s] of [...bySource].sort()) {
    const where = devSet.has(source) ? 'dev' : kind === 'attack' && cfg.heldOut?.includes(source) ? 'held' : kind === 'attack' ? 'other' : 'not read';
    const bucket = agg[where === 'not read' ? 'other' : where];
    bucket[0] += s.hit;
    bucket[1] += s.n;
    process.stdout.write(`| ${source} | ${where} | ${s.n} | ${s.hit} | ${pct(s.hit, s.n)} |\n`);
  }
  const all = results.filter((r) => r.hit).length;
  if (kind === 'attack') process.stdout.write(`| **dev** | | ${agg.dev[1]} | ${agg.dev[0]} | ${pct(agg.dev[0], agg.dev[1])} |\n| **held-out** | | ${agg.held[1]} | ${agg.held[0]} | ${pct(agg.held[0], agg.held[1])} |\n`);
  process.stdout.write(`| **all** | | ${results.length} | ${all} | ${pct(all, results.length)} |\n`);
  if (misses > 0) {
    for (const [source, s] of bySource) {
      if (!devSet.has(source) || s.wrong.length === 0) continue;
      process.stdout.write(`\n${kind === 'attack' ? 'Missed' : 'Flagged'} in ${suite} / ${source}:\n`);
      for (const r of s.wrong.slice(0, misses)) process.stdout.write(`  ${JSON.stringify(r.show).slice(0, 300)}  [${r.rules.join(', ')}]\n`);
    }
  }
}

const want = (s) => !only || only === s;
const args = engineFor({});
for (const suite of ['cmd_injection', 'prompt_injection', 'secrets']) {
  if (!want(suite)) continue;
  const items = read(suite).filter((i) => i.label === 'attack');
  report(suite, items.map((item) => ({ source: sourceOf(item), show: item.args, ...callRefused(args, item) })), 'attack');
}
if (want('benign') || want('cmd_injection') || want('prompt_injection') || want('secrets')) {
  const suite = only && only !== 'benign' ? only : 'benign';
  const items = read('benign');
  report(suite, items.map((item) => ({ source: sourceOf(item), show: item.args, ...callRefused(args, item) })), 'benign');
}
if (want('response_injection')) {
  const engine = engineFor({});
  const items = read('response_injection');
  const attacks = items.filter((i) => i.label === 'malicious' && !i.category.startsWith('secret'));
  report('response_injection', attacks.map((item) => {
    const r = resultOf(engine, item.text);
    return { source: sourceOf(item), show: `[${item.category}] ${item.marker}`, hit: r.withheld || !r.text.includes(item.marker), rules: r.rules };
  }), 'attack');
  const readmes = [];
  const base = path.join(root, 'node_modules');
  const visit = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) visit(path.join(dir, name));
      else {
        const f = ['README.md', 'readme.md', 'Readme.md'].map((x) => path.join(dir, name, x)).find((x) => existsSync(x));
        if (f) readmes.push({ source: 'package-readmes', text: readFileSync(f, 'utf8') });
      }
    }
  };
  visit(base);
  const benignArgs = read('benign').flatMap((item) => Object.values(item.args ?? {}).filter((v) => typeof v === 'string' && v.length >= 20).map((text) => ({ source: `args:${sourceOf(item)}`, text })));
  const pool = [...items.filter((i) => i.label === 'benign').map((i) => ({ source: sourceOf(i), text: i.text })), ...readmes, ...benignArgs];
  report('response_injection', pool.map((item) => {
    const r = resultOf(engine, item.text);
    return { source: item.source, show: item.text.slice(0, 300), hit: r.withheld, rules: r.rules };
  }), 'benign');
}
