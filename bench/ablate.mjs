#!/usr/bin/env node
// What each part of the shim costs per pipelined call: shims with parts of the default policy
// turned off, each in front of tiny-server, arms interleaved (rotating which goes first), the
// shim's own CPU (all threads, harness.mjs procCpuMs: /proc/<pid>/task/*/schedstat, nanoseconds)
// over R rounds of N pipelined echo calls, after 3000 sequential and 2000 + N pipelined ones,
// each round read from a moment before it to 100 ms after its last answer. Prints each arm's
// median and mean µs per call. Linux only.
//   node bench/ablate.mjs            (env R, default 12: each of the six arms goes first twice; N, default 20000)
// Given name=path/to/bin/vanguard.js arguments instead, the arms are those builds, each with the
// default policy (an A/B of builds by the same measure; an old build: a copy of bin/ and dist/
// with a node_modules link beside them):
//   node bench/ablate.mjs old=/tmp/old/bin/vanguard.js new=bin/vanguard.js
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, Conn, SERVER, median, procCpuMs as cpuMs } from './harness.mjs';
import { pipelined } from './measures.mjs';

const R = Number(process.env.R ?? 12);
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
const BUILDS = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const at = arg.indexOf('=');
    if (at < 1 || at === arg.length - 1) throw new Error(`ablate: an argument is name=path/to/bin/vanguard.js, not ${JSON.stringify(arg)}`);
    return [arg.slice(0, at), path.resolve(arg.slice(at + 1))];
  }),
);
const ARMS = Object.keys(BUILDS).length > 0 ? Object.fromEntries(Object.keys(BUILDS).map((name) => [name, []])) : {
  default: [],
  'no audit line': ['--log-level', 'warn'],
  'no detectors': policy('no-detectors', [DETECTORS_OFF]),
  'no result scan': policy('no-results', [RESULTS_OFF]),
  'no flow rules': policy('no-flow', [FLOW_OFF]),
  'all of them off': [...policy('bare', [DETECTORS_OFF, RESULTS_OFF, FLOW_OFF]), '--log-level', 'warn'],
};

// A round of n pipelined echo calls (bench/measures.mjs: at most 5000 unanswered, every answer
// checked); one with a refusal, a duplicate or a stray answer stops the run.
async function round(conn, n) {
  const result = await pipelined(conn, n);
  if (result.errors || result.duplicates || result.stray) throw new Error(`${conn.arm}: ${result.errors} errors (${result.firstError}), ${result.duplicates} duplicates, ${result.stray} stray answers`);
}

// After a round the shim is given this long before its CPU is read, so that what it does after the
// last answer (the audit batch written on its timer, collections on V8's threads) is counted.
const SETTLE_MS = 100;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const names = Object.keys(ARMS);
const conns = {};
try {
  for (const name of names) {
    conns[name] = new Conn(name, [process.execPath, [BUILDS[name] ?? CLI, 'start', ...ARMS[name], '--', process.execPath, SERVER]]);
    await conns[name].initialize();
  }
  for (const name of names) for (let i = 0; i < 3000; i++) await conns[name].request('tools/call', { name: 'echo', arguments: ECHO });
  for (const name of names) await round(conns[name], 2000);
  for (const name of names) await round(conns[name], N);
  const perCall = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < R; r++) {
    for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
      await settle();
      const before = cpuMs(conns[name].pid);
      await round(conns[name], N);
      await settle();
      perCall[name].push(((cpuMs(conns[name].pid) - before) * 1000) / N);
    }
  }
  console.log(`the shim's own CPU per pipelined call, ${R} rounds of ${N} (Node ${process.versions.node})`);
  for (const name of names) console.log(`${name.padEnd(16)} median ${median(perCall[name]).toFixed(2)} µs  mean ${(perCall[name].reduce((a, b) => a + b, 0) / R).toFixed(2)} µs`);
} finally {
  for (const name of names) await conns[name]?.close();
  rmSync(dir, { recursive: true, force: true });
}
