#!/usr/bin/env node
// A/B of builds in one run: each argument is name=path/to/bin/vanguard.js (or name=relay, name=direct);
// all arms run interleaved, rotating order per round: WARM sequential warm-up calls each, ROUNDS
// rounds of 50 sequential echo calls (p50, added p50 as the median of per-round differences to the
// LAST arm, and the proxy's CPU per call), then TROUNDS pipelined runs of N calls (CPU per call,
// calls/s). For an old build: copy dist/ and bin/ (with a node_modules link) elsewhere first.
// `warm cpu/call` is the proxy's CPU per call over the WARM calls (cold code still tiering up).
// An arm may carry flags for its node before the path: 'name=--max-semi-space-size=4 bin/vanguard.js'.
//   node bench/ab-builds.mjs old=/tmp/old/bin/vanguard.js new=bin/vanguard.js relay=relay
//   BIG=20 node bench/ab-builds.mjs old=... new=... relay=relay direct=direct   (8 MiB results only)
import { Conn, SERVER, RELAY } from './harness.mjs';
const arms = process.argv.slice(2).map((a) => { const at = a.indexOf('='); const words = a.slice(at + 1).split(' '); return { name: a.slice(0, at), cli: words.at(-1), flags: words.slice(0, -1) }; });
const argvOf = (cli, flags) => cli === 'relay' ? [process.execPath, [...flags, RELAY, process.execPath, SERVER]] : cli === 'direct' ? [process.execPath, [SERVER]] : [process.execPath, [...flags, cli, 'start', '--', process.execPath, SERVER]];
for (const a of arms) { a.conn = new Conn(a.name, argvOf(a.cli, a.flags)); await a.conn.initialize(); a.lat = []; a.cpuW = a.conn.cpuMs(); }
const ECHO = { name: 'echo', arguments: { text: 'hello vanguard' } };
// BIG=n: only one-8-MiB-result rounds (n of them, a warm-up first), each request with a tag of
// its own (no cache can serve a repeat): median ms from request to the full answer, its ratio to
// the first arm named direct (if any), and the proxy's CPU per result.
if (process.env.BIG) {
  const rounds = Number(process.env.BIG), bytes = Number(process.env.BYTES ?? 8 << 20);
  const rot0 = (r) => arms.map((_, i) => arms[(r + i) % arms.length]);
  for (const a of arms) a.big = [];
  for (let r = -1; r < rounds; r++) {
    for (const a of rot0(r + 1)) {
      if (r === 0) a.cpuBig = a.conn.cpuMs();
      const tag = `${a.name}-${r}-${Math.random().toString(36).replace(/[^a-z]/g, '')}-`;
      const x = await a.conn.request('tools/call', { name: 'big', arguments: { bytes, tag } }, 60_000);
      if (x.message.result?.content?.[0]?.text?.length !== bytes) throw new Error(`${a.name}: short big result`);
      if (r >= 0) a.big.push(x.arrivedAt - x.sentAt);
    }
  }
  const med = (v) => { const s = [...v].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
  const direct = arms.find((a) => a.cli === 'direct');
  for (const a of arms) {
    const ratio = direct ? `  ${(med(a.big) / med(direct.big)).toFixed(2)}x direct` : '';
    console.log(`${a.name.padEnd(10)} big ${(bytes / 1048576).toFixed(0)} MiB median ${med(a.big).toFixed(1).padStart(7)} ms${ratio}  cpu/result ${((a.conn.cpuMs() - a.cpuBig) / rounds).toFixed(1)} ms`);
  }
  for (const a of arms) await a.conn.close();
  process.exit(0);
}
const WARM = Number(process.env.WARM ?? 2000), ROUNDS = Number(process.env.ROUNDS ?? 60), PER = 50, N = Number(process.env.N ?? 20000), TR = Number(process.env.TROUNDS ?? 3);
const rot = (r) => arms.map((_, i) => arms[(r + i) % arms.length]);
// Warm-up interleaved too, in rounds of PER calls, so that every arm's cold phase sees the same load.
for (let r = 0; r < Math.ceil(WARM / PER); r++) for (const a of rot(r)) for (let i = 0; i < PER; i++) await a.conn.request('tools/call', ECHO);
for (const a of arms) a.warmCpu = (a.conn.cpuMs() - a.cpuW) * 1000 / (Math.ceil(WARM / PER) * PER);
for (const a of arms) a.cpu0 = a.conn.cpuMs();
for (let r = 0; r < ROUNDS; r++) for (const a of rot(r)) { const m = []; for (let i = 0; i < PER; i++) { const x = await a.conn.request('tools/call', ECHO); m.push((x.arrivedAt - x.sentAt) * 1000); } a.lat.push(m); }
for (const a of arms) a.seqCpu = (a.conn.cpuMs() - a.cpu0) * 1000 / (ROUNDS * PER);
const med = (v) => { const s = [...v].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
async function pipe(conn, n) {
  const t0 = performance.now(); let left = n; const done = new Promise((res) => (conn.onLine = () => --left === 0 && res()));
  const base = conn.nextId; conn.nextId += n; let sent = 0;
  // window of 5000 in flight, chunks of 500
  await new Promise((resolve) => { const pump = () => { while (sent < n && sent - (n - left) < 5000) { let t = ''; for (let j = 0; j < 500 && sent < n; j++, sent++) t += JSON.stringify({ jsonrpc: '2.0', id: base + sent, method: 'tools/call', params: ECHO }) + '\n'; conn.write(t); } if (sent >= n) resolve(); else setTimeout(pump, 1); }; pump(); });
  await done; conn.onLine = null; return performance.now() - t0;
}
for (const a of arms) await pipe(a.conn, 2000);
for (const a of arms) { a.cpu1 = a.conn.cpuMs(); a.ms = []; }
for (let r = 0; r < TR; r++) for (const a of rot(r)) a.ms.push(await pipe(a.conn, N));
const ref = arms[arms.length - 1];
for (const a of arms) {
  const pipeCpu = (a.conn.cpuMs() - a.cpu1) * 1000 / (TR * N);
  const added = med(a.lat.map((m, r) => med(m) - med(ref.lat[r])));
  console.log(`${a.name.padEnd(10)} p50 ${med(a.lat.flat()).toFixed(0).padStart(5)} µs  added vs ${ref.name} ${added.toFixed(0).padStart(5)} µs  warm cpu/call ${a.warmCpu.toFixed(1).padStart(6)} µs  seq cpu/call ${a.seqCpu.toFixed(1).padStart(6)} µs  pipelined cpu/call ${pipeCpu.toFixed(1).padStart(6)} µs  calls/s ${(N / (med(a.ms) / 1000)).toFixed(0)}`);
}
for (const a of arms) await a.conn.close();
process.exit(0);
