#!/usr/bin/env node
// Detection quality on a corpus folder (such as ../shared/corpora): every payload goes
// through the real engine as a tools/call in the argument position it targets, and we
// count what was refused. Attack suites report the share blocked; benign suites the share
// wrongly blocked. The path suite runs twice: with the corpus's root (/srv/data)
// configured, and with the shipped default policy (no roots).
//   npm run eval -- --corpus ../shared/corpora [--misses 5] [--json FILE] [--show-held-out]
// Per source, each suite is split into the sources looked at while its detectors were
// developed (scripts/eval-sources.json) and the others, whose rate is the honest figure.
// Needs a build (npm run eval builds first).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compilePolicy } = await import(path.join(root, 'dist/config/index.js'));
const { Engine } = await import(path.join(root, 'dist/engine/engine.js'));
const { buildInspector, buildDefinitionScan, buildResultScan } = await import(path.join(root, 'dist/inspect/build.js'));
const { readLookedAt, formatSources, formatSummary, wasLookedAt } = await import('./eval-sources.mjs');
const lookedAt = readLookedAt(path.join(root, 'scripts', 'eval-sources.json'), path.join(root, 'scripts', 'eval-sources-args.json'));
// gitleaks-examples is split by rule id as scripts/eval-sources-args.json says: sha256(rule id)
// first byte even = looked at for secrets, odd = held out (a rule's tp and fp go together).
function sourceKey(item) {
  const source = String(item.source ?? '');
  if (!source.startsWith('gitleaks-examples')) return source;
  const rule = String(item.category ?? '').replace(/^(tp|fp):/, '');
  const half = createHash('sha256').update(rule).digest()[0] % 2 === 0 ? 'even' : 'odd';
  return source.replace('gitleaks-examples', `gitleaks-examples#${half}`);
}
// Misses and wrong blocks are printed only from sources already looked at for the suite, so
// running the eval does not show held-out items (--show-held-out prints them too).
const showHeldOut = process.argv.includes('--show-held-out');
const visible = (suiteKey, source) => showHeldOut || wasLookedAt(lookedAt, suiteKey, source);

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
// A relative --corpus is read from the working folder, else from the repository's parent
// (../shared/corpora names the same folder from /work/main and from a worktree's parent).
const corpusArg = option('--corpus', path.join('..', 'shared', 'corpora'));
const corpus = [path.resolve(corpusArg), path.resolve(root, '..', corpusArg), path.resolve(root, '..', '..', corpusArg)].find((dir) => existsSync(dir)) ?? path.resolve(corpusArg);
const misses = Number(option('--misses', 5));
if (!existsSync(corpus)) {
  process.stderr.write(`eval: no corpus folder at ${corpus} (give one with --corpus DIR)\n`);
  process.exit(2);
}

// Bare payload files: which tool and argument they target.
const TXT_TARGETS = {
  path_traversal: ['read_file', 'path'],
  cmd_injection: ['run_command', 'command'],
  sql_injection: ['query', 'sql'],
  ssrf: ['fetch_url', 'url'],
};

function readItems(name) {
  const jsonl = path.join(corpus, `${name}.jsonl`);
  if (existsSync(jsonl)) return readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const txt = path.join(corpus, `${name}.txt`);
  if (existsSync(txt) && TXT_TARGETS[name]) {
    const [tool, arg] = TXT_TARGETS[name];
    return readFileSync(txt, 'utf8').split('\n').filter((l) => l.trim()).map((payload, i) => ({ id: `${name}:${i}`, label: 'attack', tool, args: { [arg]: payload } }));
  }
  return [];
}

// The tool definitions the corpus's fake server exposes, so schema hints apply as in a session.
const tools = existsSync(path.join(corpus, 'tools.json')) ? JSON.parse(readFileSync(path.join(corpus, 'tools.json'), 'utf8')).base ?? [] : [];

// One session per item: the suites measure what each call's own inspection decides, so
// the flow labels (and lockouts) one item leaves on a session must not refuse the next.
// The sequences of calls are measured apart (scripts/eval-flow.mjs).
function engineFor(doc) {
  const policy = compilePolicy(doc, ['eval'], '/srv/data');
  const inspect = buildInspector(policy, { realpath: (p) => p });
  const scanResult = buildResultScan(policy, { realpath: (p) => p });
  const listing = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'list', result: { tools } }));
  const fresh = () => {
    const engine = new Engine(policy, { nowUs: () => performance.now() * 1000, inspect, scanResult });
    engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'list', method: 'tools/list' })));
    engine.fromServer(listing);
    return engine;
  };
  return { fresh };
}

let next = 0;
function blocked(engine, item) {
  const extra = item.toolDef ? [item.toolDef] : [];
  if (extra.length) {
    engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: `l${next}`, method: 'tools/list' })));
    engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: `l${next}`, result: { tools: extra } })));
  }
  const id = next++;
  const out = engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: item.tool, arguments: item.args } })));
  const refused = out.outputs.some((o) => o.to === 'client');
  if (!refused) engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [] } })));
  return { refused, rules: out.records[0]?.rules ?? [] };
}

const rows = [];
function run(label, name, items, doc, perSource = true) {
  if (items.length === 0) return;
  const engine = engineFor(doc);
  const attack = items.filter((i) => i.label === 'attack');
  const benign = items.filter((i) => i.label === 'benign');
  for (const [kind, set] of [['attack', attack], ['benign', benign]]) {
    if (set.length === 0) continue;
    const start = performance.now();
    const results = set.map((item) => ({ item, ...blocked(engine.fresh(), item) }));
    const refused = results.filter((r) => r.refused);
    const wrong = kind === 'attack' ? results.filter((r) => !r.refused) : refused;
    rows.push({
      suite: label,
      kind,
      n: set.length,
      blocked: refused.length,
      rate: refused.length / set.length,
      msPerCall: (performance.now() - start) / set.length,
      samples: wrong.filter((r) => visible(name, sourceKey(r.item))).slice(0, misses).map((r) => ({ tool: r.item.tool, args: JSON.stringify(r.item.args).slice(0, 140), rules: r.rules })),
      ...(perSource && { suiteKey: name, limitKind: 'calls', outcomes: results.map((r) => ({ source: sourceKey(r.item), hit: r.refused })) }),
    });
  }
}

const NO_ROOTS = {};
const SRV_DATA = { paths: { roots: ['/srv/data'] } };
for (const name of ['path_traversal']) {
  run('path_traversal (root /srv/data)', name, readItems(name), SRV_DATA);
  run('path_traversal (default policy, no roots)', name, readItems(name), NO_ROOTS, false);
}
for (const name of ['cmd_injection', 'sql_injection', 'ssrf', 'secrets', 'prompt_injection']) run(name, name, readItems(name), NO_ROOTS);
run('benign tool arguments (default policy)', 'benign', readItems('benign'), NO_ROOTS);
run('benign tool arguments (root /srv/data)', 'benign', readItems('benign'), SRV_DATA, false);

// Tool definitions (tool_poisoning.json): what the tools/list scan finds at the default floor (high).
const poisoningFile = path.join(corpus, 'tool_poisoning.json');
if (existsSync(poisoningFile)) {
  const scan = buildDefinitionScan(compilePolicy({}, ['eval'], '/srv/data'), { realpath: () => undefined });
  const items = JSON.parse(readFileSync(poisoningFile, 'utf8'));
  // A definition is scanned as one of a listing: the names of every definition from the same
  // source stand for the other tools of its session.
  const namesBySource = new Map();
  for (const item of items) if (typeof item.tool?.name === 'string') namesBySource.set(item.source, [...(namesBySource.get(item.source) ?? []), item.tool.name]);
  for (const [kind, label] of [['attack', 'poisoned'], ['benign', 'benign']]) {
    const set = items.filter((i) => i.label === label);
    if (set.length === 0) continue;
    const start = performance.now();
    const results = set.map((item) => ({ item, rules: scan(item.tool, { toolNames: namesBySource.get(item.source) ?? [] }).filter((f) => f.severity === 'high' || f.severity === 'critical').map((f) => f.ruleId) }));
    const hit = results.filter((r) => r.rules.length > 0);
    const wrong = kind === 'attack' ? results.filter((r) => r.rules.length === 0) : hit;
    rows.push({
      suite: `tool definitions (${label})`,
      kind,
      n: set.length,
      blocked: hit.length,
      rate: hit.length / set.length,
      msPerCall: (performance.now() - start) / set.length,
      samples: wrong.filter((r) => visible('tool_poisoning', r.item.source)).slice(0, misses).map((r) => ({ tool: r.item.tool?.name, args: String(r.item.tool?.description ?? '').slice(0, 140), rules: r.rules })),
      suiteKey: 'tool_poisoning',
      limitKind: 'definitions',
      outcomes: results.map((r) => ({ source: r.item.source, hit: r.rules.length > 0 })),
    });
  }
}

// Results (response_injection.jsonl): each text returned by the server as a tools/call
// result, through the real engine with the default policy. An attack is caught when its
// marker does not reach the client verbatim (the result withheld, hidden text stripped, a
// secret redacted); a benign result is wrongly flagged when the client gets anything but
// the result as it was sent. The benign pool adds the texts a tool really returns: the
// README of every installed package (as a file-reading tool would), and the corpus's
// benign arguments and tool descriptions read as results.
function resultThroughEngine(engine, text) {
  const id = `r${next++}`;
  engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_text', arguments: {} } })));
  const sent = JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } });
  const out = engine.fromServer(Buffer.from(sent));
  const received = out.outputs.find((o) => o.to === 'client');
  const data = received ? received.data.toString() : '';
  const message = data ? JSON.parse(data) : undefined;
  return { changed: data !== sent, withheld: message?.result?.isError === true, text: message?.result?.content?.map((c) => c.text ?? '').join('\n') ?? '', rules: out.records[0]?.rules ?? [] };
}

function resultRow(suite, kind, items, engine, caughtOf, perSource = true) {
  if (items.length === 0) return;
  const start = performance.now();
  const results = items.map((item) => ({ item, ...resultThroughEngine(engine.fresh(), item.text) }));
  const hit = results.filter((r) => caughtOf(r));
  const wrong = kind === 'attack' ? results.filter((r) => !caughtOf(r)) : hit;
  rows.push({
    suite,
    kind,
    n: items.length,
    blocked: hit.length,
    rate: hit.length / items.length,
    msPerCall: (performance.now() - start) / items.length,
    samples: wrong.filter((r) => visible('response_injection', r.item.source)).slice(0, misses).map((r) => ({ tool: r.item.category ?? r.item.source ?? '', args: JSON.stringify(r.item.text).slice(0, 140), rules: r.rules })),
    ...(perSource && { suiteKey: 'response_injection', limitKind: 'results', outcomes: results.map((r) => ({ source: r.item.source, hit: caughtOf(r) })) }),
  });
}

function packageReadmes() {
  const base = path.join(root, 'node_modules');
  const files = [];
  const visit = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) visit(path.join(dir, name));
      else {
        const readme = ['README.md', 'readme.md', 'Readme.md'].map((f) => path.join(dir, name, f)).find((f) => existsSync(f));
        if (readme) files.push(readme);
      }
    }
  };
  if (existsSync(base)) visit(base);
  return files.map((file) => ({ source: 'pool:package-readmes', file: path.relative(root, file), text: readFileSync(file, 'utf8') }));
}

const responses = readItems('response_injection');
if (responses.length > 0) {
  const engine = engineFor({});
  const attacks = responses.filter((r) => r.label === 'malicious');
  const leaked = (r, item) => !r.withheld && r.text.includes(item.marker);
  const caught = (r) => !leaked(r, r.item);
  resultRow('results: injected (withheld, or hidden text stripped)', 'attack', attacks.filter((r) => !r.category.startsWith('secret')), engine, caught);
  resultRow('results: injected (instructions found: withheld)', 'attack', attacks.filter((r) => r.category === 'dev-injection' || r.category.startsWith('ansi-conceal') || r.category.startsWith('unicode-tags')), engine, (r) => r.withheld, false);
  resultRow('results: secrets (redacted)', 'attack', attacks.filter((r) => r.category.startsWith('secret')), engine, caught, false);
  resultRow('results: benign (corpus)', 'benign', responses.filter((r) => r.label === 'benign'), engine, (r) => r.changed);
  const pool = [
    ...packageReadmes(),
    ...readItems('benign').flatMap((item) => Object.values(item.args ?? {}).filter((v) => typeof v === 'string' && v.length >= 20).map((text) => ({ source: `pool:benign-arguments:${item.source}`, text }))),
  ];
  resultRow('results: benign (package READMEs, benign arguments as text)', 'benign', pool, engine, (r) => r.withheld);
  resultRow('results: benign (same pool, any change incl. redaction)', 'benign', pool, engine, (r) => r.changed, false);
}

const pct = (x) => `${(x * 100).toFixed(1)} %`;
const lines = ['| suite | items | refused | rate | ms/item | meaning |', '| --- | ---: | ---: | ---: | ---: | --- |'];
for (const r of rows) lines.push(`| ${r.suite} | ${r.n} | ${r.blocked} | ${pct(r.rate)} | ${r.msPerCall === undefined ? '-' : r.msPerCall.toFixed(3)} | ${r.kind === 'attack' ? 'caught' : r.suite.startsWith('tool definitions') || r.suite.startsWith('results') ? 'wrongly flagged' : 'wrongly blocked'} |`);
process.stdout.write(`Detection on ${corpus}\n\n${lines.join('\n')}\n`);
for (const r of rows) {
  if (r.samples.length === 0) continue;
  process.stdout.write(`\n${r.kind === 'attack' ? 'Missed' : 'Wrongly blocked'} in ${r.suite} (first ${r.samples.length}${showHeldOut ? "" : ", looked-at sources only"}):\n`);
  for (const s of r.samples) process.stdout.write(`  ${s.tool} ${s.args}${s.rules.length ? `  [${s.rules.join(', ')}]` : ''}\n`);
}
// Per source, with the sources looked at while developing each class kept apart (issue 12).
process.stdout.write(`\n### Looked-at vs held-out (leave-one-source-out; sources per scripts/eval-sources.json)\n\n${formatSummary(rows, lookedAt)}\n`);
const sources = formatSources(rows, lookedAt);
process.stdout.write(`\n### Per source\n${sources.text}\n`);
const json = option('--json');
if (json) writeFileSync(json, JSON.stringify(rows, null, 2));

// Least privilege: the same attack suites under a constraint policy (scripts/eval-constraints.mjs).
await import('./eval-constraints.mjs');

// Sequences of calls under the default flow rules (scripts/eval-flow.mjs).
await import('./eval-flow.mjs');
