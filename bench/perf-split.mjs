#!/usr/bin/env node
// Where a proxy's CPU goes, kernel included, by Linux `perf` (cpu-clock samples of every thread
// of its process; no hardware counters needed, so it works in a VM): the proxy runs with
// --perf-basic-prof-only-functions so JIT code has names, is warmed up, then sampled over the
// timed calls. Prints µs per call by kind (kernel, JIT code, V8's runtime, builtins, JSON
// parsing, collection, compilers, libc, node/libuv) and the top symbols. V8's own profiler
// (profile.mjs) samples wall time: a thread waiting in a system call counts as running there.
//   node bench/perf-split.mjs [relay | path/to/bin/vanguard.js] [sequential | pipelined] [--top N]
//   N=10000 sequential calls or ROUNDS=5 rounds of 20 000 pipelined ones; NODE_BIN=… runs the proxy on another node.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, Conn, RELAY, SERVER } from './harness.mjs';
import { ECHO_ARGS, pipelined } from './measures.mjs';

const args = process.argv.slice(2);
const arm = args[0] && !args[0].startsWith('--') ? args[0] : CLI;
const workload = args.includes('pipelined') ? 'pipelined' : 'sequential';
const top = Number(args[args.indexOf('--top') + 1]) || 25;
const node = process.env.NODE_BIN ?? process.execPath;
const inner = arm === 'relay' ? [RELAY, process.execPath, SERVER] : [arm, 'start', '--', process.execPath, SERVER];
const ECHO = { name: 'echo', arguments: ECHO_ARGS };
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-perf-'));
const data = path.join(dir, 'perf.data');

const conn = new Conn(arm, [node, ['--perf-basic-prof-only-functions', ...inner]]);
await conn.initialize();
await conn.request('tools/list', {});

// The bench's own pipelined calls (measures.mjs: chunks of 500, at most 5000 unanswered), each
// answer checked: a refused call would profile refusals.
async function pipelinedChecked(n) {
  const r = await pipelined(conn, n);
  if (r.answered !== n || r.errors + r.duplicates + r.stray > 0) throw new Error(`${arm}: ${r.answered}/${n} pipelined calls answered, ${r.errors} not the echo (${r.firstError})`);
}

const calls = workload === 'pipelined' ? 20_000 * Number(process.env.ROUNDS ?? 5) : Number(process.env.N ?? 10_000);
if (workload === 'pipelined') for (let i = 0; i < 3; i++) await pipelinedChecked(20_000);
else for (let i = 0; i < 2000; i++) await conn.request('tools/call', ECHO);

const recorder = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '10000', '-o', data, '-p', String(conn.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
let recorderErr = '';
recorder.stderr.on('data', (chunk) => (recorderErr += chunk));
recorder.on('error', (error) => {
  console.error(`bench: cannot run perf (${error.message}); it is Linux's linux-perf package`);
  process.exit(1);
});
await new Promise((resolve) => setTimeout(resolve, 500));
if (workload === 'pipelined') for (let done = 0; done < calls; done += 20_000) await pipelinedChecked(20_000);
else for (let i = 0; i < calls; i++) await conn.request('tools/call', ECHO);
recorder.kill('SIGINT');
await new Promise((resolve) => recorder.on('close', resolve));
await conn.close();

let report;
try {
  report = execFileSync('perf', ['report', '-i', data, '--no-children', '--sort', 'dso,sym', '--stdio', '-q', '-F', 'period,dso,sym', '-t', '\x1f'], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
} catch (error) {
  console.error(`bench: perf report failed (${error.message}); perf record said: ${recorderErr.trim()}`);
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });

// Each row: the sample period (ns of CPU), the object (JIT code's is "[JIT] tid N"), and the
// symbol after its "[.]" or "[k]"; fields apart by U+001F, which no name holds.
const rows = report
  .split('\n')
  .map((line) => line.split('\x1f'))
  .filter((fields) => fields.length === 3 && /^\s*\d+\s*$/.test(fields[0]))
  .map(([ns, dso, sym]) => ({ ns: Number(ns), dso: dso.trim(), sym: sym.trim().replace(/^\[[.k]\]\s*/, '') }));
const kindOf = ({ dso, sym }) => {
  if (dso.includes('kernel')) return 'kernel';
  if (sym.startsWith('JS:')) return 'JIT code (JS)';
  if (/JsonParser|JSDataObjectBuilder|JsonParse/.test(sym)) return 'JSON parsing';
  if (/Scaveng|Marking|MarkCompact|Sweep|Evacuat|Heap::|GCTracer/.test(sym)) return 'collection';
  if (/compiler::|maglev|Maglev|turboshaft|Turboshaft/.test(sym)) return 'compilers';
  if (sym.startsWith('Builtins_')) return 'builtins';
  if (sym.startsWith('v8::')) return "V8's runtime";
  if (dso.startsWith('libc')) return 'libc';
  if (/^node::|^uv_|^uv__/.test(sym)) return 'node/libuv';
  return `other (${dso})`;
};
const total = rows.reduce((sum, row) => sum + row.ns, 0);
const perCall = (ns) => `${(ns / 1000 / calls).toFixed(2).padStart(8)} µs  ${((100 * ns) / total).toFixed(1).padStart(5)} %`;
const kinds = new Map();
for (const row of rows) kinds.set(kindOf(row), (kinds.get(kindOf(row)) ?? 0) + row.ns);
console.log(`${arm}, ${workload}, ${calls} calls on ${node === process.execPath ? process.version : node}: ${(total / 1000 / calls).toFixed(1)} µs of CPU per call sampled (perf's own cost included)`);
for (const [kind, ns] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`${perCall(ns)}  ${kind}`);
console.log('\nTop symbols:');
for (const row of rows.sort((a, b) => b.ns - a.ns).slice(0, top)) console.log(`${perCall(row.ns)}  ${row.sym.slice(0, 110)}`);
