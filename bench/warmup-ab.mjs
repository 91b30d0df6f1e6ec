#!/usr/bin/env node
// Warm-up A/B in one interleaved run: how a fresh shim's CPU per sequential call falls as its
// code tiers up. Each argument is name=[node flags ]path/to/bin/vanguard.js (flags for that arm's
// node, e.g. V8 tiering thresholds); the arms take turns of 100 sequential echo calls each, for
// CALLS calls in all, and the table gives each arm's CPU (all threads, so V8's compiler threads
// too) summed up to each checkpoint, in ms, then per call over the last stretch.
//   node bench/warmup-ab.mjs untuned=/tmp/untuned/bin/vanguard.js new=bin/vanguard.js
import { Conn, SERVER } from './harness.mjs';

const arms = process.argv.slice(2).map((a) => {
  const at = a.indexOf('=');
  const words = a.slice(at + 1).split(' ');
  return { name: a.slice(0, at), argv: [process.execPath, [...words.slice(0, -1), words.at(-1), 'start', '--', process.execPath, SERVER]] };
});
const CALLS = Number(process.env.CALLS ?? 6000), TURN = 100;
const CHECKS = [100, 500, 1000, 2000, 3000, 4000, 6000, 10000, 15000].filter((n) => n <= CALLS);
const ECHO = { name: 'echo', arguments: { text: 'hello vanguard' } };
for (const a of arms) { a.conn = new Conn(a.name, a.argv); await a.conn.initialize(); a.cpu0 = a.conn.cpuMs(); a.at = []; }
for (let turn = 0; turn * TURN < CALLS; turn++) {
  for (let i = 0; i < arms.length; i++) {
    const a = arms[(turn + i) % arms.length];
    for (let j = 0; j < TURN; j++) await a.conn.request('tools/call', ECHO);
    if (CHECKS.includes((turn + 1) * TURN)) a.at.push(a.conn.cpuMs() - a.cpu0);
  }
}
console.log(`node ${process.version}; CPU ms summed after N calls; last: µs per call over the last ${CALLS - CHECKS.at(-2)} calls`);
console.log(`${'arm'.padEnd(10)} ${CHECKS.map((n) => String(n).padStart(7)).join('')}    last`);
for (const a of arms) {
  const last = ((a.at.at(-1) - a.at.at(-2)) * 1000) / (CALLS - CHECKS.at(-2));
  console.log(`${a.name.padEnd(10)} ${a.at.map((ms) => ms.toFixed(0).padStart(7)).join('')} ${last.toFixed(0).padStart(7)}`);
}
for (const a of arms) await a.conn.close();
process.exit(0);
