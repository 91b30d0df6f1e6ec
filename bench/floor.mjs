#!/usr/bin/env node
// What reading every frame costs before any check: each proxy's own CPU per pipelined call (all
// the threads of its own process, not the server's or any helper's; harness.mjs procCpuMs) over
// `npm run bench`'s sequence (measures.mjs benchSession: 12 000 sequential calls, six 8 MiB
// results, 2000 + 5 x 20 000 pipelined calls, every answer checked), round by round. A round is
// read 100 ms after its last answer, so that what it leaves to do (an audit batch on its timer,
// compiling and collecting on V8's threads) is counted in it. Four proxies in front of
// tiny-server, one after another, TURNS times, the order rotated each turn:
//   relay          the null relay (bench/null-relay.mjs): bytes only;
//   parse          bench/parse-relay.mjs: the bytes passed on as the relay passes them, and every
//                  line split, decoded and parsed on the way, ids kept;
//   parse+audit    the same with an audit line per call made as a logger makes it;
//   shim           `vanguard start` with the default policy (VANGUARD_BENCH_CLI's build, or this one's).
// --flags: node flags for every proxy's process.
//   node bench/floor.mjs [--seq 12000] [--bigs 6] [--bytes 8388608] [--rounds 5] [--calls 20000] [--flags="..."]   (env TURNS, default 1)
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CLI, CPU_SOURCE, Conn, RELAY, SERVER, procCpuMs, sessionOptions } from './harness.mjs';
import { benchSession } from './measures.mjs';

const PARSE_RELAY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'parse-relay.mjs');
const SETTLE_MS = 100;
const { seq, bigs, bytes, rounds, calls, flags } = sessionOptions();
const turns = Number(process.env.TURNS ?? 1);
if (rounds < 1 || calls < 1) throw new Error('floor: --rounds and --calls take at least 1');
if (!Number.isInteger(turns) || turns < 1) throw new Error(`floor: TURNS takes a whole number from 1, not ${process.env.TURNS}`);
const server = [process.execPath, SERVER];
const PROXIES = [
  ['relay', [RELAY, ...server], '0'],
  ['parse', [PARSE_RELAY, ...server], '0'],
  ['parse+audit', [PARSE_RELAY, ...server], '1'],
  ['shim', [CLI, 'start', '--', ...server], '0'],
];

async function perRound(name, argv, audit) {
  // (Conn spawns with this process's environment.)
  const before = process.env.VANGUARD_FLOOR_AUDIT;
  process.env.VANGUARD_FLOOR_AUDIT = audit;
  const conn = new Conn(name, [process.execPath, [...flags, ...argv]]);
  if (before === undefined) delete process.env.VANGUARD_FLOOR_AUDIT;
  else process.env.VANGUARD_FLOOR_AUDIT = before;
  await conn.initialize();
  const reads = [];
  const read = async () => {
    await sleep(SETTLE_MS);
    reads.push(procCpuMs(conn.pid));
  };
  await benchSession(conn, { seq, bigs, bytes, rounds, calls }, (point) => (point === 'round' ? read() : undefined));
  await read();
  await conn.close();
  // Each round from the read before it to the read after it.
  return reads.slice(1).map((ms, i) => ((ms - reads[i]) * 1000) / calls);
}

console.log(`each proxy's own CPU per pipelined call, µs, round by round (${process.version})`);
for (let turn = 0; turn < turns; turn++) {
  for (let k = 0; k < PROXIES.length; k++) {
    const [name, argv, audit] = PROXIES[(k + turn) % PROXIES.length];
    const us = await perRound(name, argv, audit);
    const mean = us.reduce((a, b) => a + b, 0) / us.length;
    console.log(`${name.padEnd(12)} ${us.map((u) => u.toFixed(2).padStart(6)).join(' ')}   mean ${mean.toFixed(2)}`);
  }
}
console.log(`CPU read from ${CPU_SOURCE.source}${CPU_SOURCE.threadsEnded > 0 ? `; ${CPU_SOURCE.threadsEnded} threads ended between reads (their time is not counted)` : ''}`);
