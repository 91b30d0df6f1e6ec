#!/usr/bin/env node
// The channels besides tools/call (issue 8, section 2), measured on a corpus folder: benign
// texts and arguments sent through each channel (how many are wrongly refused or changed),
// attack texts through the server's own requests and notifications (how many are caught),
// and what deciding one frame of each channel costs.
//   node scripts/eval-channels.mjs --corpus ../shared/corpora [--dist DIR] [--frames N]
// --dist runs the cost part on another build (e.g. the code before the change) for comparison.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const dist = path.resolve(option('--dist', path.join(root, 'dist')));
const corpus = path.resolve(option('--corpus', path.join(root, '..', 'shared', 'corpora')));
const frames = Number(option('--frames', 2000));
const { compilePolicy } = await import(path.join(dist, 'config/index.js'));
const { Engine } = await import(path.join(dist, 'engine/engine.js'));
const { buildInspector, buildDefinitionScan, buildResultScan } = await import(path.join(dist, 'inspect/build.js'));

const readJsonl = (name) => (existsSync(path.join(corpus, name)) ? readFileSync(path.join(corpus, name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

function engine(doc = {}) {
  const policy = compilePolicy(doc, ['eval'], '/srv/data');
  const edge = { realpath: (p) => p };
  return new Engine(policy, { nowUs: () => performance.now() * 1000, inspect: buildInspector(policy, edge), scanDefinition: buildDefinitionScan(policy, edge), scanResult: buildResultScan(policy, edge) });
}
const send = (e, from, message) => {
  const out = from === 'client' ? e.fromClient(Buffer.from(JSON.stringify(message))) : e.fromServer(Buffer.from(JSON.stringify(message)));
  return { out, client: out.outputs.filter((o) => o.to === 'client').map((o) => String(o.data)), server: out.outputs.filter((o) => o.to === 'server').map((o) => String(o.data)) };
};

let next = 0;
// Server → client: a text as a sampling request's message, a log message's data, an elicitation's message.
const serverChannels = {
  sampling: (text) => ({ jsonrpc: '2.0', id: `s${next++}`, method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 100 } }),
  log: (text) => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: text } }),
  elicitation: (text) => ({ jsonrpc: '2.0', id: `s${next++}`, method: 'elicitation/create', params: { message: text, requestedSchema: { type: 'object', properties: {} } } }),
};
function throughServer(e, channel, text) {
  const message = serverChannels[channel](text);
  const sent = JSON.stringify(message);
  const { client } = send(e, 'server', message);
  return { refused: client.length === 0, changed: client.length === 0 || client[0] !== sent, shown: client[0] ?? '' };
}

function readmes() {
  const base = path.join(root, 'node_modules');
  const out = [];
  const visit = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) visit(path.join(dir, name));
      else {
        const f = ['README.md', 'readme.md', 'Readme.md'].map((n) => path.join(dir, name, n)).find((n) => existsSync(n));
        if (f) out.push(readFileSync(f, 'utf8'));
      }
    }
  };
  if (existsSync(base)) visit(base);
  return out;
}

const rows = [];
const pct = (n, d) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
const responses = readJsonl('response_injection.jsonl');
const benignArgs = readJsonl('benign.jsonl');
const benignTexts = [...readmes(), ...responses.filter((r) => r.label === 'benign').map((r) => r.text), ...benignArgs.flatMap((i) => Object.values(i.args ?? {}).filter((v) => typeof v === 'string' && v.length >= 20))];
const attacks = responses.filter((r) => r.label === 'malicious');
for (const channel of Object.keys(serverChannels)) {
  const e = engine();
  const benign = benignTexts.map((t) => throughServer(e, channel, t));
  rows.push([`server ${channel}: benign texts refused`, benign.length, benign.filter((r) => r.refused).length]);
  rows.push([`server ${channel}: benign texts changed (incl. redaction)`, benign.length, benign.filter((r) => r.changed).length]);
  const caught = attacks.map((a) => ({ a, r: throughServer(e, channel, a.text) })).filter(({ a, r }) => r.refused || !r.shown.includes(JSON.stringify(a.marker).slice(1, -1)));
  rows.push([`server ${channel}: attack texts caught (refused, or marker not shown)`, attacks.length, caught.length]);
}

// Client → server: benign tool arguments as a prompt's arguments and as completion values.
{
  const e = engine();
  const prompts = benignArgs.filter((i) => i.args && typeof i.args === 'object').map((i) => send(e, 'client', { jsonrpc: '2.0', id: next++, method: 'prompts/get', params: { name: i.tool, arguments: Object.fromEntries(Object.entries(i.args).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) } }));
  rows.push(['client prompts/get: benign arguments refused', prompts.length, prompts.filter((p) => p.client.length > 0).length]);
  const values = benignArgs.flatMap((i) => Object.entries(i.args ?? {}).filter(([, v]) => typeof v === 'string').map(([k, v]) => send(e, 'client', { jsonrpc: '2.0', id: next++, method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: k, value: v } } })));
  rows.push(['client completion/complete: benign values refused', values.length, values.filter((p) => p.client.length > 0).length]);
  const paths = readJsonl('path_traversal.jsonl').filter((i) => i.label === 'attack');
  const reads = paths.map((i) => send(e, 'client', { jsonrpc: '2.0', id: next++, method: 'resources/read', params: { uri: `file://${String(Object.values(i.args ?? {})[0] ?? '').startsWith('/') ? '' : '/srv/data/'}${Object.values(i.args ?? {})[0]}` } }));
  rows.push(['client resources/read: path-traversal payloads as file: URIs refused', reads.length, reads.filter((p) => p.client.length > 0).length]);
}

process.stdout.write(`Channels on ${corpus}\n\n| suite | items | count | rate |\n| --- | ---: | ---: | ---: |\n`);
for (const [suite, n, k] of rows) process.stdout.write(`| ${suite} | ${n} | ${k} | ${pct(k, n)} |\n`);

// Cost per frame: the same frame decided `frames` times, in microseconds (median of 5 runs).
const samples = {
  'notifications/progress': () => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 1, total: 10, message: 'Indexing files' } }),
  'notifications/message (200 B)': () => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', logger: 'db', data: 'Connected to the database in 41 ms; 3 replicas healthy, 0 lagging. Cache warmed with 1200 keys from the last snapshot taken at 04:00 UTC.' } }),
  'sampling/createMessage (4 KiB)': () => ({ jsonrpc: '2.0', id: `c${next++}`, method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise the following release notes for the team. '.repeat(80) } }], systemPrompt: 'You are a helpful assistant.', maxTokens: 200 } }),
};
const clientSamples = {
  'resources/read': () => ({ jsonrpc: '2.0', id: next++, method: 'resources/read', params: { uri: 'file:///srv/data/notes/readme.md' } }),
  'prompts/get (2 args)': () => ({ jsonrpc: '2.0', id: next++, method: 'prompts/get', params: { name: 'summarise', arguments: { topic: 'release notes', style: 'short' } } }),
};
const cost = [];
const cases = [...Object.entries(samples).map(([label, make]) => [label, make, 'server']), ...Object.entries(clientSamples).map(([label, make]) => [label, make, 'client'])];
for (const [label, makeFrame, from] of cases) {
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const e = engine();
    const bytes = Array.from({ length: frames }, () => Buffer.from(JSON.stringify(makeFrame())));
    const start = performance.now();
    for (const b of bytes) {
      const out = from === 'server' ? e.fromServer(b) : e.fromClient(b);
      // Answer client requests so the pending map stays small.
      if (from === 'client') for (const o of out.outputs) if (o.to === 'server') e.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(String(o.data)).id, error: { code: -1, message: 'x' } })));
    }
    runs.push(((performance.now() - start) * 1000) / frames);
  }
  runs.sort((a, b) => a - b);
  cost.push([label, runs[2]]);
}
process.stdout.write(`\nCost per frame (${path.relative(root, dist) || dist}, ${frames} frames, median of 5)\n\n| frame | µs |\n| --- | ---: |\n`);
for (const [label, us] of cost) process.stdout.write(`| ${label} | ${us.toFixed(1)} |\n`);
