#!/usr/bin/env node
// `npm run bench:inspect`: what argument inspection costs, in-process (no pipes): a typical
// small call (p50, p99 µs), and large adversarial arguments against every rule, at 1 and 2
// MiB, so linearity shows (the 2 MiB time should be about twice the 1 MiB time). Targets:
// typical p50 ≤ 50 µs; 1 MiB adversarial ≤ 50 ms. Writes bench/inspection.md. Exits 0.
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

// Typical calls: many rounds over the five, after warm-up.
for (let i = 0; i < 2000; i++) for (const [tool, args] of TYPICAL) inspect(tool, args);
const samples = [];
for (let i = 0; i < (quick ? 2000 : 20000); i++) {
  const [tool, args] = TYPICAL[i % TYPICAL.length];
  const start = performance.now();
  const result = inspect(tool, args);
  samples.push((performance.now() - start) * 1000);
  if (result.verdict !== 'allow') throw new Error(`typical call refused: ${tool} ${JSON.stringify(result.findings)}`);
}
samples.sort((a, b) => a - b);

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
    for (let i = 0; i < 1; i++) {
      const start = performance.now();
      const result = inspect('adversarial_tool', args);
      runs.push({ ms: performance.now() - start, verdict: result.verdict, failure: result.failure });
    }
    runs.sort((a, b) => a.ms - b.ms);
    times[size] = runs[Math.floor(runs.length / 2)];
  }
  adversarial.push({ name, one: times[SIZES[0]], two: times[SIZES[1]] });
}

const p50 = percentile(samples, 0.5);
const lines = [
  '### Inspection cost (in-process, every shipped rule and detector)',
  '',
  '| Measure | Value | Target | Result |',
  '| --- | ---: | ---: | --- |',
  `| typical small call, p50 | ${p50.toFixed(1)} µs | ≤ 50 µs | ${p50 <= 50 ? 'PASS' : '**FAIL**'} |`,
  `| typical small call, p99 | ${percentile(samples, 0.99).toFixed(1)} µs |  |  |`,
  '',
  '| Adversarial argument | 1 MiB | 2 MiB | 2 MiB ÷ 1 MiB | verdict at 1 MiB | Target (1 MiB ≤ 50 ms) |',
  '| --- | ---: | ---: | ---: | --- | --- |',
  ...adversarial.map((a) => `| ${a.name} | ${a.one.ms.toFixed(0)} ms | ${a.two.ms.toFixed(0)} ms | ${(a.two.ms / a.one.ms).toFixed(2)} | ${a.one.verdict}${a.one.failure ? ` (${a.one.failure})` : ''} | ${a.one.ms <= 50 ? 'PASS' : '**FAIL**'} |`),
  '',
  `Node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}. Inspection stops at its time budget (1 s by default) and refuses the call: a verdict of block with "longer than" is that budget, not a finding.`,
];
const md = lines.join('\n');
console.log(md);
writeFileSync(path.join(here, 'inspection.md'), `${md}\n`);
