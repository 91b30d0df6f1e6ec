#!/usr/bin/env node
// What each part of the shim costs per pipelined call: shims with parts of the default policy
// turned off, each in front of tiny-server, arms interleaved (rotating which goes first), the
// shim's own CPU (all threads, from /proc/<pid>/task/*/schedstat: nanoseconds, not the 10 ms tick)
// over R rounds of N pipelined echo calls, after 3000 sequential and 2000 + N pipelined ones.
// Prints each arm's median and mean µs per call. Linux only.
//   node bench/ablate.mjs            (env R, default 8; N, default 20000)
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, Conn, SERVER } from './harness.mjs';

const R = Number(process.env.R ?? 8);
const N = Number(process.env.N ?? 20000);
const ECHO = { text: 'hello vanguard' };
const DETECTORS_OFF = 'detectors: { path-traversal: off, command-injection: off, sql-injection: off, ssrf: off, secrets: off, prompt-injection: off, hidden-characters: off, pii: off }';
const RESULTS_OFF = 'results: { injection: off, secrets: off, pii: off, hidden: off }';
const FLOW_OFF = 'flow: { rules: [], burst: off }';

const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-ablate-'));
const policy = (name, lines) => {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, ['extends: default', ...lines].join('\n') + '\n');
  return ['--policy', file];
};
const ARMS = {
  default: [],
  'no audit line': ['--log-level', 'warn'],
  'no detectors': policy('no-detectors', [DETECTORS_OFF]),
  'no result scan': policy('no-results', [RESULTS_OFF]),
  'no flow rules': policy('no-flow', [FLOW_OFF]),
  'all of them off': [...policy('bare', [DETECTORS_OFF, RESULTS_OFF, FLOW_OFF]), '--log-level', 'warn'],
};

function cpuMs(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return ns / 1e6;
}

// n echo calls, at most 5000 unanswered, written 500 to a write.
function pipelined(conn, n) {
  const base = conn.nextId;
  conn.nextId += n;
  const payload = [];
  for (let i = 0; i < n; i += 500) {
    let text = '';
    for (let j = i; j < Math.min(n, i + 500); j++) text += JSON.stringify({ jsonrpc: '2.0', id: base + j, method: 'tools/call', params: { name: 'echo', arguments: ECHO } }) + '\n';
    payload.push(text);
  }
  let written = 0;
  let answered = 0;
  return new Promise((resolve) => {
    conn.onLine = (line) => {
      if (line[0] !== 0x7b) return;
      if (++answered === n) {
        conn.onLine = null;
        resolve();
      } else while (written < payload.length && written * 500 - answered <= 4500) conn.write(payload[written++]);
    };
    while (written < payload.length && written * 500 <= 4500) conn.write(payload[written++]);
  });
}

const names = Object.keys(ARMS);
const conns = {};
try {
  for (const name of names) {
    conns[name] = new Conn(name, [process.execPath, [CLI, 'start', ...ARMS[name], '--', process.execPath, SERVER]]);
    await conns[name].initialize();
  }
  for (const name of names) for (let i = 0; i < 3000; i++) await conns[name].request('tools/call', { name: 'echo', arguments: ECHO });
  for (const name of names) await pipelined(conns[name], 2000);
  for (const name of names) await pipelined(conns[name], N);
  const perCall = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < R; r++) {
    for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
      const before = cpuMs(conns[name].pid);
      await pipelined(conns[name], N);
      perCall[name].push(((cpuMs(conns[name].pid) - before) * 1000) / N);
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  console.log(`the shim's own CPU per pipelined call, ${R} rounds of ${N} (Node ${process.versions.node})`);
  for (const name of names) console.log(`${name.padEnd(16)} median ${median(perCall[name]).toFixed(2)} µs  mean ${(perCall[name].reduce((a, b) => a + b, 0) / R).toFixed(2)} µs`);
} finally {
  for (const name of names) await conns[name]?.close();
  rmSync(dir, { recursive: true, force: true });
}
