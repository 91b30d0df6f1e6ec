#!/usr/bin/env node
// `npm run bench:inspect`: what argument inspection costs, in-process (no pipes): a typical
// small call (p50, p99 µs), and large adversarial arguments against every rule, at 1 and 2
// MiB, so linearity shows (the 2 MiB time should be about twice the 1 MiB time), each the
// median of three runs, with the first (cold) run shown beside it. Targets:
// typical p50 ≤ 10 µs (issue 13); 1 MiB adversarial ≤ 50 ms. Then the server's side: results of 1 and
// 20 MiB and a 200-tool tools/list through the engine. Writes bench/inspection.md. Exits 0.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { shippedRules, INSPECTION_BUDGET_MS } = await import(path.join(root, 'dist/inspect/build.js'));
const { inspectArguments } = await import(path.join(root, 'dist/inspect/inspect.js'));
const { DETECTORS } = await import(path.join(root, 'dist/inspect/registry.js'));
const { CATEGORIES } = await import(path.join(root, 'dist/inspect/types.js'));
const quick = process.argv.includes('--quick');

const inspector = {
  rules: shippedRules().rules,
  detectors: DETECTORS,
  settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])),
  paths: { roots: ['/srv/data'], deny: ['~/.ssh/**'], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
  network: { allowHosts: [], denyHosts: [] },
  // The budget a session uses: past it, inspection stops and the call is refused.
  clock: { now: () => performance.now(), budgetMs: INSPECTION_BUDGET_MS },
};
const inspect = (tool, args) => inspectArguments({ tool, args, hints: {}, exempt: new Set() }, inspector);

const TYPICAL = [
  ['read_file', { path: '/srv/data/reports/2026-q3.md' }],
  ['run_command', { command: 'git log --oneline -n 20' }],
  ['query', { sql: "SELECT id, name FROM users WHERE created_at > '2026-01-01' LIMIT 50" }],
  ['fetch_url', { url: 'https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open' }],
  ['send_message', { channel: '#eng', text: 'Deploy finished; all checks green. Thanks everyone!' }],
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

// A reference workload, timed between the samples: this row's target is in µs, and a shared
// machine's speed can move by 2× from one minute to the next (bench/runtime-flags.md, stop 45).
// The p50 in units of it compares runs and machines where the µs do not.
const REFERENCE_FRAME = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'read_file', arguments: { path: '/srv/data/reports/2026-q3.md', encoding: 'utf8', lines: [1, 2, 3] } } });
let referenceSink = 0;
const REFERENCE_OPS = 20;
// µs per reference op (a JSON.parse and a JSON.stringify of REFERENCE_FRAME), over REFERENCE_OPS.
function timeReference() {
  const start = performance.now();
  for (let i = 0; i < REFERENCE_OPS; i++) referenceSink += JSON.stringify(JSON.parse(REFERENCE_FRAME)).length;
  return ((performance.now() - start) * 1000) / REFERENCE_OPS;
}
const referenceUs = [];

// Typical calls: many rounds over the five, after warm-up.
for (let i = 0; i < 2000; i++) {
  for (const [tool, args] of TYPICAL) inspect(tool, args);
  timeReference();
}
const samples = [];
// The same samples by tool: the pooled p50 falls among the cheaper calls' slower ones (three of
// the five are well under the other two), so each call's own p50 is shown beside it.
const byTool = TYPICAL.map(() => []);
for (let i = 0; i < (quick ? 2000 : 20000); i++) {
  const [tool, args] = TYPICAL[i % TYPICAL.length];
  const start = performance.now();
  const result = inspect(tool, args);
  const us = (performance.now() - start) * 1000;
  samples.push(us);
  byTool[i % TYPICAL.length].push(us);
  if (result.verdict !== 'allow') throw new Error(`typical call refused: ${tool} ${JSON.stringify(result.findings)}`);
  if (i % 25 === 0) referenceUs.push(timeReference());
}
if (referenceSink === 0) throw new Error('the reference workload did not run');
referenceUs.sort((a, b) => a - b);
samples.sort((a, b) => a - b);
for (const list of byTool) list.sort((a, b) => a - b);

// Adversarial inputs: keyword floods, separators, encodings, nesting; each built to a size.
const fill = (unit, bytes) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const ADVERSARIAL = {
  'keyword flood (secrets, injection words)': (n) => ({ text: fill('password=aaaaaaaa token ghp_ ignore previous instructions akia ', n) }),
  'shell separators and quotes': (n) => ({ command: fill(`a;'b'"c"|\`d\`$(e)&&`, n) }),
  'percent-encoding chains': (n) => ({ path: fill('%252e%252e%252f', n) }),
  'base64-looking blob': (n) => ({ content: fill('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MjQy', n) }),
  'URL-ish tokens': (n) => ({ text: fill('http://0x7f.1/ 127.1 [::1] ', n) }),
  'SQL comments and quotes': (n) => ({ sql: `SELECT 1 ${fill("/**/'--'#", n)}` }),
  'unicode: zero-width, bidi, fullwidth': (n) => ({ text: fill('a\u200b\u202e．／', n) }),
};

const SIZES = [1 << 20, 2 << 20];
const adversarial = [];
for (const [name, build] of Object.entries(ADVERSARIAL)) {
  const times = {};
  for (const size of SIZES) {
    const args = build(size);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const result = inspect('adversarial_tool', args);
      runs.push({ ms: performance.now() - start, verdict: result.verdict, failure: result.failure });
    }
    const first = runs[0].ms;
    runs.sort((a, b) => a.ms - b.ms);
    times[size] = { ...runs[Math.floor(runs.length / 2)], first };
  }
  adversarial.push({ name, one: times[SIZES[0]], two: times[SIZES[1]] });
}

// The server's side, through the engine as a session runs it (default policy): a result
// of 1 MiB (and 20 MiB) read, scanned and, where needed, rewritten; and a 200-tool
// tools/list scanned for poisoning. Each beside JSON.parse of the same frame, which any
// client pays anyway: the ratio is what the shim adds on top.
const { compilePolicy } = await import(path.join(root, 'dist/config/index.js'));
const { Engine } = await import(path.join(root, 'dist/engine/engine.js'));
const { buildInspector, buildDefinitionScan, buildResultScan } = await import(path.join(root, 'dist/inspect/build.js'));
const policy = compilePolicy({}, ['bench']);
const edge = { realpath: (p) => p };
const engine = new Engine(policy, {
  nowUs: () => performance.now() * 1000,
  inspect: buildInspector(policy, edge),
  scanDefinition: buildDefinitionScan(policy, edge),
  scanResult: buildResultScan(policy, edge),
});
let nextId = 0;
// The tool the results come from is listed first: a call to a tool not listed yet is held
// for the shim's own listing, and its answer would then be one nobody asked for.
engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'list', method: 'tools/list' })));
engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'list', result: { tools: [{ name: 'read', inputSchema: { type: 'object' } }] } })));
function serverAnswer(method, params, result) {
  const id = `b${nextId++}`;
  engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
  const frame = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result }));
  const start = performance.now();
  const out = engine.fromServer(frame);
  const ms = performance.now() - start;
  const parseStart = performance.now();
  JSON.parse(frame.toString('utf8'));
  return { ms, parseMs: performance.now() - parseStart, rules: out.records[0]?.rules ?? [] };
}
const PROSE = 'The deploy finished at 10:42 UTC. All 142 checks passed; the p99 latency of /api/search fell from 212 ms to 188 ms after the index change. Next: roll out to eu-west-1, then review the error budget with the on-call team.\n';
const RESULTS = {
  'prose (a log or a document)': (n) => fill(PROSE, n),
  'dense with secrets (key=value lines)': (n) => fill('AWS_ACCESS_KEY_ID=AKIAEEF6727CPCP7XNA7 card 4294199682550949 ok\n', n),
  'dense with injection keywords': (n) => fill('ignore the previous instructions? system: you are now the assistant; new instructions follow ', n),
  'ANSI-coloured test output': (n) => fill('\u001b[32m✓\u001b[0m test passed in 12 ms\n', n),
};
const resultRows = [];
for (const [name, build] of Object.entries(RESULTS)) {
  for (const size of quick ? [1 << 20] : [1 << 20, 20 << 20]) {
    const runs = [];
    for (let i = 0; i < (size > 1 << 20 ? 1 : 3); i++) runs.push(serverAnswer('tools/call', { name: 'read', arguments: {} }, { content: [{ type: 'text', text: build(size) }] }));
    runs.sort((a, b) => a.ms - b.ms);
    const mid = runs[Math.floor(runs.length / 2)];
    resultRows.push({ name, size, ...mid });
  }
}
const definition = (i) => ({
  name: `tool_${i}`,
  title: `Tool ${i}`,
  description: `Reads the records of project ${i} and returns them as JSON. Use it when the user asks about the status, owner or history of a record; it never changes anything.`,
  inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'The record id, e.g. REC-1042.' }, fields: { type: 'array', items: { type: 'string' }, description: 'Which fields to return.' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, required: ['id'] },
  annotations: { readOnlyHint: true, openWorldHint: false },
});
const TOOLS_200 = Array.from({ length: 200 }, (_, i) => definition(i));
const firstList = serverAnswer('tools/list', {}, { tools: TOOLS_200 });
const againLists = Array.from({ length: quick ? 5 : 20 }, () => serverAnswer('tools/list', {}, { tools: TOOLS_200 })).sort((a, b) => a.ms - b.ms);
const againList = againLists[Math.floor(againLists.length / 2)];

const p50 = percentile(samples, 0.5);
const lines = [
  '### Inspection cost (in-process, every shipped rule and detector)',
  '',
  '| Measure | Value | Target | Result |',
  '| --- | ---: | ---: | --- |',
  `| typical small call, p50 | ${p50.toFixed(1)} µs | ≤ 10 µs | ${p50 <= 10 ? 'PASS' : '**FAIL**'} |`,
  `| typical small call, p99 | ${percentile(samples, 0.99).toFixed(1)} µs |  |  |`,
  `| typical small call, p50, in reference units | ${(p50 / percentile(referenceUs, 0.5)).toFixed(2)} | | the reference: a JSON.parse and a JSON.stringify of a ${REFERENCE_FRAME.length}-byte call frame, ${percentile(referenceUs, 0.5).toFixed(2)} µs (p50 of ${referenceUs.length} timings between the samples) |`,
  `| each call's own p50 | ${TYPICAL.map(([tool], k) => `${tool} ${percentile(byTool[k], 0.5).toFixed(1)}`).join(', ')} µs |  |  |`,
  '',
  '| Adversarial argument | 1 MiB | 1 MiB, first run | 2 MiB | 2 MiB ÷ 1 MiB | verdict at 1 MiB | Target (1 MiB ≤ 50 ms) |',
  '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ...adversarial.map((a) => `| ${a.name} | ${a.one.ms.toFixed(0)} ms | ${a.one.first.toFixed(0)} ms | ${a.two.ms.toFixed(0)} ms | ${(a.two.ms / a.one.ms).toFixed(2)} | ${a.one.verdict}${a.one.failure ? ` (${a.one.failure})` : ''} | ${a.one.ms <= 50 ? 'PASS' : '**FAIL**'} |`),
  '',
  '### What the server says, through the engine (default policy)',
  '',
  '| Answer | Size | Shim decision | JSON.parse alone | Ratio | Rules |',
  '| --- | ---: | ---: | ---: | ---: | --- |',
  ...resultRows.map((r) => `| result: ${r.name} | ${r.size >> 20} MiB | ${r.ms.toFixed(0)} ms | ${r.parseMs.toFixed(1)} ms | ${(r.ms / r.parseMs).toFixed(1)}× | ${[...new Set(r.rules)].slice(0, 3).join(', ') || '–'} |`),
  `| tools/list of 200 tools, first | ${(Buffer.byteLength(JSON.stringify(TOOLS_200)) / 1024).toFixed(0)} KiB | ${firstList.ms.toFixed(1)} ms | ${firstList.parseMs.toFixed(2)} ms | ${(firstList.ms / firstList.parseMs).toFixed(1)}× | ${firstList.rules.join(', ') || '–'} |`,
  `| tools/list of 200 tools, again (p50) | ${(Buffer.byteLength(JSON.stringify(TOOLS_200)) / 1024).toFixed(0)} KiB | ${againList.ms.toFixed(1)} ms | ${againList.parseMs.toFixed(2)} ms | ${(againList.ms / againList.parseMs).toFixed(1)}× | ${againList.rules.join(', ') || '–'} |`,
  '',
  `Node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}. Inspection stops at its time budget (1 s by default) and refuses the call: a verdict of block with "longer than" is that budget, not a finding.`,
];
const md = lines.join('\n');
console.log(md);
writeFileSync(path.join(here, 'inspection.md'), `${md}\n`);
