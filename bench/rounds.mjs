#!/usr/bin/env node
// The shim alone over `npm run bench`'s sequence, one round at a time: its CPU per pipelined
// call in each round, split by thread: the main thread, V8's worker threads (they compile and
// help the collector) and any other, so that a round's excess can be placed on the main thread or
// beside it. Node 24 names V8's workers `V8Worker`; Node 20 and 22 name every thread `node`, and
// there the workers are counted under `other`. The sequence: initialize, `--seq` sequential echo
// calls (the latency section's 12 000), `--bigs` calls of `big` (the 8 MiB section's six), 2000 pipelined warm-up calls, then
// `--rounds` rounds of `--calls` pipelined calls, sent as the bench sends them and every answer
// checked as it checks them (measures.mjs benchSession).
//
//   node bench/rounds.mjs [--seq 12000] [--bigs 6] [--bytes 8388608] [--rounds 5] [--calls 20000]
//                         [--idle 0] [--pre 0] [--flags="<node flags for the shim, split at spaces>"]
//
// --idle MS: the shim left idle that long before each round after the first, as in the full
// bench, where it waits while the other arms run theirs; the mean then counts the CPU used while
// idle too, as the bench's does. --pre N: the client's own N calls of `big` (1 KiB) and N of
// `echo` before the sequential ones. The shim is VANGUARD_BENCH_CLI's build, or this one's.
import { readFileSync } from 'node:fs';
import { CLI, Conn, SERVER, procCpuMs, sessionOptions, threadRunTimes } from './harness.mjs';
import { ECHO_ARGS as ECHO, benchSession } from './measures.mjs';

const { seq: SEQ, bigs: BIGS, bytes: BYTES, rounds: ROUNDS, calls: CALLS, idle: IDLE_MS, pre: PRE, flags: FLAGS } = sessionOptions({ idle: '0', pre: '0' });

/** Run time (ns) of the live threads of `pid`, summed by kind: main, V8 workers (Node 24), other. */
function threadNs(pid) {
  const kinds = { main: 0, v8Workers: 0, other: 0 };
  for (const { tid, ns } of threadRunTimes(pid) ?? []) {
    let name = '';
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
    } catch {
      // A thread that ended after its run time was read: counted as other.
    }
    kinds[tid === String(pid) ? 'main' : name.startsWith('V8') ? 'v8Workers' : 'other'] += ns;
  }
  return kinds;
}

const shim = new Conn('shim', [process.execPath, [...FLAGS, CLI, 'start', '--', process.execPath, SERVER]]);
await shim.initialize();
const atStart = procCpuMs(shim.pid);
for (let i = 0; i < PRE; i++) {
  await shim.request('tools/call', { name: 'big', arguments: { bytes: 1024, tag: `pre-${i}-` } });
  await shim.request('tools/call', { name: 'echo', arguments: ECHO });
}
const bigMs = [];
const us = (ns) => Number((ns / 1000 / CALLS).toFixed(2));
const rows = [];
let beforeRounds;
let round;
await benchSession(shim, { seq: SEQ, bigs: BIGS, bytes: BYTES, rounds: ROUNDS, calls: CALLS }, async (where, i, answer) => {
  if (where === 'big') bigMs.push(answer.arrivedAt - answer.sentAt);
  else if (where === 'round') {
    beforeRounds ??= procCpuMs(shim.pid);
    round = { row: { round: i } };
    if (IDLE_MS > 0 && i > 0) {
      const before = procCpuMs(shim.pid);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      round.idleMs = Number((procCpuMs(shim.pid) - before).toFixed(1));
    }
    round.threads = threadNs(shim.pid);
    round.cpu = procCpuMs(shim.pid);
  } else if (where === 'round done') {
    const after = threadNs(shim.pid);
    const { row, threads: before } = round;
    // The total as the bench reads it (procCpuMs, which counts threads that ended too); `other` is
    // what is left of it.
    const totalNs = (procCpuMs(shim.pid) - round.cpu) * 1e6;
    row.main = us(after.main - before.main);
    row.v8Workers = us(after.v8Workers - before.v8Workers);
    // (Read a moment apart from the threads: a few ns below zero read as 0.)
    row.other = us(Math.max(0, totalNs - (after.main - before.main) - (after.v8Workers - before.v8Workers)));
    row.total = us(totalNs);
    if (round.idleMs !== undefined) row.idleCpuMs = round.idleMs;
    rows.push(row);
  }
});
const roundsMeanUs = ((procCpuMs(shim.pid) - beforeRounds) * 1000) / (ROUNDS * CALLS);
const sessionMs = procCpuMs(shim.pid) - atStart;
await shim.close();

console.log(`node ${process.version}, shim ${CLI}${FLAGS.length ? ` (${FLAGS.join(' ')})` : ''}`);
console.log(`big calls of ${BYTES} bytes (ms): ${bigMs.map((ms) => ms.toFixed(0)).join(' ')}`);
console.log('µs of the shim\'s CPU per pipelined call, by round and thread:');
console.table(rows);
console.log(`the ${ROUNDS} rounds' mean (idle time included): ${roundsMeanUs.toFixed(2)} µs per call; the session's CPU after initialize: ${sessionMs.toFixed(0)} ms`);
