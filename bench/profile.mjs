#!/usr/bin/env node
// Where does the shim's time go? Runs `vanguard start` under `node --cpu-prof`, drives one
// workload through it, and prints the top self-time functions and files of the shim process.
//   node bench/profile.mjs [latency|throughput|big|startup] [--top N] [--keep]
// Run `npm run build` first. The .cpuprofile is kept (path printed) with --keep, for DevTools.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, Conn, SERVER } from './harness.mjs';

const argv = process.argv.slice(2);
const workload = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'throughput';
const top = Number(argv[argv.indexOf('--top') + 1]) || 25;
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-prof-'));
const shimArgv = [process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, CLI, 'start', '--', process.execPath, SERVER]];
const ECHO = { name: 'echo', arguments: { text: 'hello vanguard' } };

const conn = new Conn('shim', shimArgv);
await conn.initialize();
// Listed first, as a client does and as the bench does (measures.mjs): the shim holds a call to
// a tool no listing has shown yet for its own listing, and releasing a burst of held calls would
// be profiled as if every call paid for it.
if (workload !== 'startup') await conn.request('tools/list', {});
if (workload === 'latency') {
  for (let i = 0; i < 20000; i++) await conn.request('tools/call', ECHO);
} else if (workload === 'throughput') {
  // Pumped as the bench's pipelined measure is (measures.mjs): chunks of 500 calls, at most 5000
  // unanswered, since the shim refuses requests past 10 000 in flight and a burst of 20 000
  // would profile those refusals too.
  const CHUNK = 500;
  const WINDOW = 5000;
  for (let round = 0; round < 5; round++) {
    const n = 20000;
    const chunks = [];
    for (let i = 0; i < n; i += CHUNK) {
      let text = '';
      for (let j = 0; j < CHUNK; j++) text += JSON.stringify({ jsonrpc: '2.0', id: conn.nextId++, method: 'tools/call', params: ECHO }) + '\n';
      chunks.push(text);
    }
    let answered = 0;
    let written = 0;
    let refused = 0;
    const pump = () => {
      while (written < chunks.length && written * CHUNK - answered <= WINDOW - CHUNK) conn.write(chunks[written++]);
    };
    const done = new Promise((resolve) => (conn.onLine = (line) => {
      if (line.includes('"error"')) refused++;
      if (++answered === n) resolve();
      else pump();
    }));
    pump();
    await done;
    conn.onLine = null;
    if (refused > 0) throw new Error(`${refused} of ${n} pipelined calls were answered with an error`);
  }
} else if (workload === 'big') {
  for (let i = 0; i < 20; i++) await conn.request('tools/call', { name: 'big', arguments: { bytes: 8 << 20, tag: `big-${i}-` } }, 60_000);
} else if (workload !== 'startup') {
  throw new Error(`unknown workload ${workload}`);
}
await conn.close();

const file = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const short = (url) => url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '').replace(/.*node_modules\//, 'nm/');
const group = (keyOf) => {
  const sums = new Map();
  for (const [node, us] of self) sums.set(keyOf(node.callFrame), (sums.get(keyOf(node.callFrame)) ?? 0) + us);
  return [...sums].sort((a, b) => b[1] - a[1]);
};
const print = (title, rows) => {
  console.log(`\n${title}`);
  for (const [key, us] of rows.slice(0, top)) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
};
console.log(`shim CPU profile, workload "${workload}": ${(total / 1000).toFixed(0)} ms sampled`);
print('Top self time by function:', group((f) => `${f.functionName || '(anonymous)'}  ${short(f.url)}:${f.lineNumber + 1}`));
print('Top self time by file:', group((f) => short(f.url) || f.functionName));
// Native functions (writeString, writeBuffer…) say little alone: show who called them.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
const label = (f) => `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
const nativeTop = group((f) => (f.url ? '' : f.functionName)).filter(([k]) => k && !k.startsWith('(')).slice(0, 4);
for (const [name] of nativeTop) {
  const callers = new Map();
  for (const [node, us] of self) {
    if (node.callFrame.url || node.callFrame.functionName !== name) continue;
    const chain = [];
    for (let p = parent.get(node.id); p && chain.length < 4; p = parent.get(p.id)) if (p.callFrame.url.includes('dist/') || p.callFrame.url.includes('node_modules/')) chain.push(label(p.callFrame));
    const key = chain.join(' < ') || '(node internals only)';
    callers.set(key, (callers.get(key) ?? 0) + us);
  }
  print(`Callers of native ${name} (nearest project/package frames):`, [...callers].sort((a, b) => b[1] - a[1]).slice(0, 5));
}
if (argv.includes('--keep')) console.log(`\nprofile: ${file}`);
else rmSync(dir, { recursive: true, force: true });
