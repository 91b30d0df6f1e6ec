#!/usr/bin/env node
// First-call A/B in one interleaved run: builds of the CLI (label=bin/vanguard.js) under one Node,
// each started fresh per round; after the initialize answer, wait --delay ms, then time one
// echo call (ms) and the shim's CPU for it (ms). --delay 0 is a call right behind the answer
// (it then builds what it needs itself); 2000 is a call after the idle warm-up.
//   node bench/first-call-ab.mjs [--node PATH] [--rounds N] [--delay MS] label=BIN ...
import { Conn, SERVER, median } from './harness.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : argv.splice(at, 2)[1];
};
const node = option('--node', process.execPath);
const rounds = Number(option('--rounds', '8'));
const delay = Number(option('--delay', '2000'));
const arms = argv.map((word) => word.split('='));
const ms = new Map(arms.map(([label]) => [label, []]));
const cpu = new Map(arms.map(([label]) => [label, []]));
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < arms.length; i++) {
    const [label, bin] = arms[(round + i) % arms.length];
    const conn = new Conn(label, [node, [bin, 'start', '--', node, SERVER]]);
    await conn.initialize();
    await new Promise((resolve) => setTimeout(resolve, delay));
    const before = conn.cpuMs();
    const answer = await conn.request('tools/call', { name: 'echo', arguments: { text: 'Please summarise the notes from the meeting.' } });
    ms.get(label).push(answer.arrivedAt - answer.sentAt);
    cpu.get(label).push(conn.cpuMs() - before);
    await conn.close('SIGTERM');
  }
}
console.log(`node ${node === process.execPath ? process.version : node}, first call ${delay} ms after initialize, ${rounds} rounds`);
for (const [label] of arms) console.log(`${label.padEnd(10)} ${median(ms.get(label)).toFixed(1).padStart(8)} ms  shim CPU ${median(cpu.get(label)).toFixed(1).padStart(7)} ms`);
