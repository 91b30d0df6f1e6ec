#!/usr/bin/env node
// Where the shim's memory goes: one fresh connection per arm, and for each workload of
// `npm run bench` (sequential calls, 8 MiB results, 5000 pipelined calls in flight) the peak
// RSS (VmHWM) of every process of the tree, the peak reset (/proc/<pid>/clear_refs) before each
// workload so each is seen alone; and `session`, all of them in one process, as the bench runs them. Arms: direct, relay, shim, the peer (with VANGUARD_BENCH_PEER), and any CLI copies given as
// --cli NAME=PATH/bin/vanguard.js (A/B of builds, interleaved in one run).
//   node bench/memory.mjs [--rounds N] [--only big,pipelined] [--cli old=/tmp/old/bin/vanguard.js ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ARMS, Conn, SERVER, median, procCpuMs, procTree } from './harness.mjs';

// Letters only: a run of digits in the tag could read as a card number and be redacted.
const randomLetters = () => Array.from({ length: 12 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

const argv = process.argv.slice(2);
const arms = { ...ARMS };
let rounds = 1;
let only;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--rounds') rounds = Number(argv[++i]);
  else if (argv[i] === '--only') only = argv[++i].split(',');
  else if (argv[i] === '--cli') {
    // NAME=[node flags ]PATH: flags go to that arm's node (e.g. heap settings to try).
    const [name, spec] = [argv[++i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)];
    const words = spec.split(' ');
    arms[name] = [process.execPath, [...words.slice(0, -1), words.at(-1), 'start', '--', process.execPath, SERVER]];
  }
}
const ECHO = { text: 'hello vanguard' };

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
    return { name: /^Name:\s+(.*)$/m.exec(text)?.[1], rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
// Role of each process in the tree: the arm's own process, the server, helpers.
function tree(conn) {
  return procTree(conn.pid).map((pid) => ({ pid, ...status(pid) })).filter((p) => p.name);
}
function resetPeaks(conn) {
  for (const pid of procTree(conn.pid)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {}
  }
}
function label(conn, p) {
  if (p.pid === conn.pid) return 'self';
  if (p.name === 'node') return 'server';
  return p.name;
}
function snap(conn) {
  const out = {};
  for (const p of tree(conn)) out[label(conn, p)] = (out[label(conn, p)] ?? 0) + p.hwm;
  out.tree = Object.values(out).reduce((a, b) => a + b, 0);
  return out;
}

async function pipelined(conn, n, window = 5000, chunk = 500) {
  let answered = 0;
  let written = 0;
  const base = conn.nextId;
  conn.nextId += n;
  const payload = (c) => {
    let t = '';
    for (let j = c * chunk; j < Math.min(n, (c + 1) * chunk); j++) t += JSON.stringify({ jsonrpc: '2.0', id: base + j, method: 'tools/call', params: { name: 'echo', arguments: ECHO } }) + '\n';
    return t;
  };
  const chunks = Math.ceil(n / chunk);
  await new Promise((resolve) => {
    conn.onLine = () => {
      if (++answered === n) {
        conn.onLine = null;
        return resolve();
      }
      while (written < chunks && written * chunk - answered <= window - chunk) conn.write(payload(written++));
    };
    while (written < chunks && written * chunk <= window - chunk) conn.write(payload(written++));
  });
}

const workloads = {
  async init() {},
  async sequential(conn) {
    for (let i = 0; i < 2000; i++) await conn.request('tools/call', { name: 'echo', arguments: ECHO });
  },
  async big(conn) {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const a = await conn.request('tools/call', { name: 'big', arguments: { bytes: 8 << 20, tag: `big-${i}-${randomLetters()}-` } }, 60_000);
      if (a.message.result.content[0].text.length !== 8 << 20) throw new Error('short big result');
      times.push(a.arrivedAt - a.sentAt);
    }
    return times;
  },
  async pipelined(conn) {
    await pipelined(conn, 20000);
  },
  // All of them in one process, in the bench's order: the peak `npm run bench` reports.
  async session(conn) {
    await workloads.sequential(conn);
    const times = await workloads.big(conn);
    await workloads.pipelined(conn);
    return times;
  },
};

const names = Object.keys(arms);
const results = Object.fromEntries(names.map((n) => [n, {}]));
for (let round = 0; round < rounds; round++) {
  for (const [w, run] of Object.entries(workloads)) {
    if (only && !only.includes(w)) continue;
    for (const name of names.slice(round % names.length).concat(names.slice(0, round % names.length))) {
      const conn = new Conn(name, arms[name]);
      await conn.initialize();
      await new Promise((r) => setTimeout(r, 200));
      if (w !== 'init') resetPeaks(conn);
      const t0 = performance.now();
      const cpu0 = procCpuMs(conn.pid);
      const extra = await run(conn);
      const ms = performance.now() - t0;
      const cpu = procCpuMs(conn.pid) - cpu0;
      const s = snap(conn);
      (results[name][w] ??= []).push({ ...s, ms, cpu, extra });
      await conn.close();
    }
  }
}
const med = median;
for (const [w] of Object.entries(workloads)) {
  if (only && !only.includes(w)) continue;
  console.log(`\n## ${w} (peak MB per process during it; median of ${rounds})`);
  for (const name of names) {
    const rs = results[name][w];
    const keys = [...new Set(rs.flatMap((r) => Object.keys(r)))].filter((k) => !['ms', 'cpu', 'extra'].includes(k));
    const parts = keys.map((k) => `${k} ${med(rs.map((r) => r[k] ?? 0)).toFixed(1)}`);
    // Wall time swings with the machine's load; the arm's own CPU time (ms) is steadier.
    const time = w === 'big' || w === 'session' ? ` | 8MiB ms ${med(rs.flatMap((r) => r.extra)).toFixed(1)}` : ` | ms ${med(rs.map((r) => r.ms)).toFixed(0)}`;
    const extra = `${time}, own cpu ms ${med(rs.map((r) => r.cpu)).toFixed(0)}`;
    console.log(`${name.padEnd(8)} ${parts.join(', ')}${extra}`);
  }
}
