#!/usr/bin/env node
// In-process A/B of inspection between builds, interleaved in one run (a shared machine's
// load hits both alike): each argument is name=path/to/dist; ROUNDS rounds of 250 typical
// small calls per build, alternating order. Prints p50/p99 and the p50 per call. A copy of
// an old dist needs a node_modules link beside it (ln -s "$PWD/node_modules" /tmp/old-dist/).
//   node bench/ab-inspect.mjs old=/tmp/old-dist new=dist
// VARIED=1 (or bench/ab-inspect-varied.mjs) appends a counter to every string, so answers kept
// from an earlier call (hosts, paths, spellings) cannot help and the figure is what a session
// that never repeats itself pays; both arms see the same sequence of counters.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
const arms = process.argv.slice(2).map((a) => { const [name, dir] = a.split('='); return [name, path.resolve(dir)]; });
const varied = process.env.VARIED === '1';
const tail = (n) => (varied ? String(n) : '');
const TYPICAL = [
  ['read_file', (n) => ({ path: `/srv/data/reports/2026-q3.md${tail(n)}` })],
  ['run_command', (n) => ({ command: `git log --oneline -n 20${tail(n)}` })],
  ['query', (n) => ({ sql: `SELECT id, name FROM users WHERE created_at > '2026-01-01' LIMIT 50${tail(n)}` })],
  ['fetch_url', (n) => ({ url: `https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open${tail(n)}` })],
  ['send_message', (n) => ({ channel: `#eng${tail(n)}`, text: `Deploy finished; all checks green. Thanks everyone!${tail(n)}` })],
];
// Without VARIED every call is the same object, made once, as a client repeating itself sends.
const fixed = TYPICAL.map(([, x]) => x(0));
const argsOf = (k, a) => (varied ? TYPICAL[k][1](a.n++) : fixed[k]);
for (const a of arms) {
  const d = a[1];
  const { shippedRules, INSPECTION_BUDGET_MS } = await import(path.join(d, 'inspect/build.js'));
  const { inspectArguments } = await import(path.join(d, 'inspect/inspect.js'));
  const { DETECTORS } = await import(path.join(d, 'inspect/registry.js'));
  const { CATEGORIES } = await import(path.join(d, 'inspect/types.js'));
  const inspector = { rules: shippedRules().rules, detectors: DETECTORS,
    settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])),
    paths: { roots: ['/srv/data'], deny: ['~/.ssh/**'], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
    network: { allowHosts: [], denyHosts: [] }, clock: { now: () => performance.now(), budgetMs: INSPECTION_BUDGET_MS } };
  a.inspect = (tool, args) => inspectArguments({ tool, args, hints: {}, exempt: new Set() }, inspector);
  a.samples = []; a.per = TYPICAL.map(() => []); a.n = 0;
}
for (const a of arms) for (let i = 0; i < 3000; i++) for (let k = 0; k < TYPICAL.length; k++) a.inspect(TYPICAL[k][0], argsOf(k, a));
const ROUNDS = Number(process.env.ROUNDS ?? 40), PER = 250;
for (let r = 0; r < ROUNDS; r++) for (const a of (r % 2 ? arms : [...arms].reverse())) {
  for (let i = 0; i < PER; i++) {
    const k = i % 5; const t = TYPICAL[k][0]; const args = argsOf(k, a);
    const s = performance.now(); const res = a.inspect(t, args); const us = (performance.now() - s) * 1000;
    a.samples.push(us); a.per[k].push(us); if (res.verdict !== 'allow') throw new Error(`${t} ${JSON.stringify(res.findings)}`);
  }
}
const q = (v, p) => { const s = [...v].sort((x, y) => x - y); return s[Math.floor((s.length - 1) * p)]; };
for (const a of arms) console.log(a[0], 'p50', q(a.samples, .5).toFixed(1), 'p99', q(a.samples, .99).toFixed(1), 'per call p50:', a.per.map((v, k) => TYPICAL[k][0] + '=' + q(v, .5).toFixed(1)).join(' '));
