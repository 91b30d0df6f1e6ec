#!/usr/bin/env node
// Startup A/B in one interleaved run: the null relay against one or more builds of the CLI
// (each a bin/vanguard.js, e.g. of a copied old dist), all under the same Node, in front of the
// same server. Prints per arm the median ms from spawn to the `initialize` answer, its ratio to
// the relay's, and the proxy process's own CPU (ms) by then. Arm order rotates every round.
//   node bench/startup-ab.mjs [--node PATH] [--rounds N] [--server tiny|everything] [--ten N]
//                             [--label NAME=BIN ...] BIN ...
// --ten N: N of each arm started at once per round; the figure is ms to the last answer.
// Environment for the shims (VANGUARD_CACHE_DIR, VANGUARD_NO_CACHE) is passed through as is.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Conn, EVERYTHING, RELAY, SERVER, median } from './harness.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  if (at === -1) return fallback;
  const [value] = argv.splice(at, 2).slice(1);
  return value;
};
const node = option('--node', process.execPath);
const rounds = Number(option('--rounds', '10'));
const serverName = option('--server', 'tiny');
const ten = Number(option('--ten', '0'));
const server = serverName === 'everything' ? [node, [EVERYTHING]] : [node, [SERVER]];
const arms = [['relay', [node, [RELAY, server[0], ...server[1]]]]];
for (const word of argv) {
  const [label, bin] = word.includes('=') ? word.split('=') : [path.relative(process.cwd(), word), word];
  arms.push([label, [node, [path.resolve(bin), 'start', '--', server[0], ...server[1]]]]);
}

const ms = new Map(arms.map(([label]) => [label, []]));
const cpu = new Map(arms.map(([label]) => [label, []]));

async function once(label, spawnArgv) {
  const count = ten || 1;
  const began = performance.now();
  const conns = Array.from({ length: count }, () => new Conn(label, spawnArgv));
  const answers = await Promise.all(conns.map((conn) => conn.initialize()));
  for (const answer of answers) if (!answer.message.result?.serverInfo) throw new Error(`${label}: bad initialize answer`);
  const cpuMs = conns.reduce((sum, conn) => sum + conn.cpuMs(), 0);
  const wall = Math.max(...answers.map((a) => a.arrivedAt)) - (ten ? began : conns[0].spawnedAt);
  await Promise.all(conns.map((conn) => conn.close('SIGTERM')));
  return { wall, cpuMs };
}

for (let round = -1; round < rounds; round++) {
  for (let i = 0; i < arms.length; i++) {
    const [label, spawnArgv] = arms[(Math.max(round, 0) + i) % arms.length];
    const { wall, cpuMs } = await once(label, spawnArgv);
    if (round >= 0) {
      ms.get(label).push(wall);
      cpu.get(label).push(cpuMs);
    }
  }
}

const { execFileSync } = await import('node:child_process');
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const relay = median(ms.get('relay'));
console.log(`node ${version}, server ${serverName}, ${rounds} rounds${ten ? `, ${ten} at once` : ''}`);
for (const [label] of arms) {
  const m = median(ms.get(label));
  console.log(`${label.padEnd(28)} ${m.toFixed(1).padStart(8)} ms  ${(m / relay).toFixed(2)}x relay  proxy CPU ${median(cpu.get(label)).toFixed(0).padStart(5)} ms`);
}
