#!/usr/bin/env node
// Sequential calls (one in flight, as an agent makes them), for one arm: each process of its
// tree with its CPU per call (every thread, harness.mjs procCpuMs), and its sleeps and
// preemptions per call; then the calls' p50 and wall time per call. The sequential companion of
// tree-cpu.mjs: the bench's added-p50 row is paid here, where every call wakes each process once.
//   node bench/seq-cpu.mjs [direct | relay | parse | path/to/bin/vanguard.js] [start options…]
//   N=10000 (timed calls, after 2000 warm-up calls)
//   PROXY_NODE_FLAGS='--flag …': node options for the proxy's own process (relay, parse or shim)
// e.g. node bench/seq-cpu.mjs bin/vanguard.js --policy my-policy.yaml   (start options go before --)
// `parse` is bench/parse-relay.mjs (with VANGUARD_FLOOR_AUDIT=1, its audit line per call): the
// floor for a proxy that reads every frame, which a leaner frame path could at best come down to.
// PROXY_NODE_FLAGS='--require ./bench/spin-preload.cjs' keeps the proxy from sleeping (see there).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, Conn, RELAY, SERVER, armArgv, procCpuMs, procTree } from './harness.mjs';
import { ECHO_ARGS } from './measures.mjs';

const [arm = CLI, ...options] = process.argv.slice(2);
const flags = process.env.PROXY_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
const PARSE_RELAY = fileURLToPath(new URL('parse-relay.mjs', import.meta.url));
const server = [process.execPath, SERVER];
const argv =
  arm === 'direct'
    ? armArgv(arm)
    : arm === 'relay' || arm === 'parse'
      ? [process.execPath, [...flags, arm === 'relay' ? RELAY : PARSE_RELAY, ...server]]
      : [process.execPath, [...flags, arm, 'start', ...options, '--', ...server]];
const ECHO = { name: 'echo', arguments: ECHO_ARGS };
const N = Number(process.env.N ?? 10_000);

const conn = new Conn(arm, argv);
await conn.initialize();
await conn.request('tools/list', {});
for (let i = 0; i < 2000; i++) await conn.request('tools/call', ECHO);

// [voluntary, involuntary] context switches of every thread of `pid` so far.
const switches = (pid) =>
  readdirSync(`/proc/${pid}/task`).reduce(
    ([slept, preempted], tid) => {
      try {
        const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
        return [slept + Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1]), preempted + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1])];
      } catch {
        return [slept, preempted]; // a thread that ended meanwhile
      }
    },
    [0, 0],
  );
const command = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/[\0\s]+/g, ' ').slice(0, 70);

const pids = procTree(conn.pid);
const cpuBefore = pids.map(procCpuMs);
const switchesBefore = pids.map(switches);
const took = [];
const started = performance.now();
for (let i = 0; i < N; i++) {
  const at = performance.now();
  await conn.request('tools/call', ECHO);
  took.push(performance.now() - at);
}
const wall = performance.now() - started;
took.sort((a, b) => a - b);
pids.forEach((pid, i) => {
  const [slept, preempted] = switches(pid);
  const cpu = ((procCpuMs(pid) - cpuBefore[i]) * 1000) / N;
  console.log(`${cpu.toFixed(1).padStart(7)} µs/call  ${((slept - switchesBefore[i][0]) / N).toFixed(2)} sleeps  ${((preempted - switchesBefore[i][1]) / N).toFixed(2)} preemptions  ${command(pid)}`);
});
console.log(`p50 ${(took[N >> 1] * 1000).toFixed(0)} µs, wall ${((wall * 1000) / N).toFixed(0)} µs per call (${N} calls, ${process.version})`);
await conn.close();
