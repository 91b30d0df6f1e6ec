#!/usr/bin/env node
// What reading every frame costs before any check: the proxy's own CPU per pipelined call (all
// its threads, harness.mjs procCpuMs) over `npm run bench`'s sequence (measures.mjs
// benchSession: 12 000 sequential calls, six 8 MiB results, 2000 + 5 x 20 000 pipelined calls,
// every answer checked), round by round, for four proxies in front of tiny-server, one after
// another, each ARMS times in turn:
//   relay          the null relay (bench/null-relay.mjs): bytes only;
//   parse          bench/parse-relay.mjs: every line split, decoded and parsed, ids kept;
//   parse+audit    the same with an audit line per call made as a logger makes it;
//   shim           `vanguard start` with the default policy (VANGUARD_BENCH_CLI's build, or this one's).
//   node bench/floor.mjs [--seq 12000] [--bigs 6] [--bytes 8388608] [--rounds 5] [--calls 20000]   (env ARMS, default 1)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, Conn, RELAY, SERVER, procCpuMs, sessionOptions } from './harness.mjs';
import { benchSession } from './measures.mjs';

const PARSE_RELAY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'parse-relay.mjs');
const { seq, bigs, bytes, rounds, calls } = sessionOptions();
const server = [process.execPath, SERVER];
const PROXIES = {
  relay: { argv: [RELAY, ...server] },
  parse: { argv: [PARSE_RELAY, ...server] },
  'parse+audit': { argv: [PARSE_RELAY, ...server], env: { VANGUARD_FLOOR_AUDIT: '1' } },
  shim: { argv: [CLI, 'start', '--', ...server] },
};

async function perRound(name, { argv, env }) {
  // (Conn spawns with this process's environment: the arm's own settings are in it only then.)
  Object.assign(process.env, env);
  const conn = new Conn(name, [process.execPath, argv]);
  for (const key of Object.keys(env ?? {})) delete process.env[key];
  await conn.initialize();
  const ms = [];
  let before;
  await benchSession(conn, { seq, bigs, bytes, rounds, calls }, (point) => {
    if (point !== 'round') return;
    const now = procCpuMs(conn.pid);
    if (before !== undefined) ms.push(now - before);
    before = now;
  });
  ms.push(procCpuMs(conn.pid) - before);
  await conn.close();
  return ms.map((m) => (m * 1000) / calls);
}

console.log(`the proxy's own CPU per pipelined call, µs, round by round (${process.version})`);
for (let turn = 0; turn < Number(process.env.ARMS ?? 1); turn++) {
  for (const [name, proxy] of Object.entries(PROXIES)) {
    const us = await perRound(name, proxy);
    const mean = us.reduce((a, b) => a + b, 0) / us.length;
    console.log(`${name.padEnd(12)} ${us.map((u) => u.toFixed(2).padStart(6)).join(' ')}   mean ${mean.toFixed(2)}`);
  }
}
