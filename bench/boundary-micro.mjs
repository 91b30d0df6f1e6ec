#!/usr/bin/env node
// In-process micro-benchmark of the per-frame cost of the boundary checks of issue 8
// (loose answer matching, id readings from the bytes, one-line output), before and after,
// in one run: `node bench/boundary-micro.mjs <dist-before> [<dist-after>]` (default: ./dist).
// Each case is run on engines from both builds, interleaved, and reports ns per frame.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [beforeDist, afterDist = 'dist'] = process.argv.slice(2);
if (!beforeDist) throw new Error('usage: boundary-micro.mjs <dist-before> [<dist-after>]');
const load = async (dist) => {
  const url = (p) => pathToFileURL(path.resolve(dist, p)).href;
  const { Engine } = await import(url('engine/engine.js'));
  const { compilePolicy } = await import(url('config/compile.js'));
  return { Engine, policy: compilePolicy({ tools: { deny: ['write_*'] } }, ['bench']) };
};
const builds = { before: await load(beforeDist), after: await load(afterDist) };

const text = (n, unit) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const answer = (id, result) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result }));
const rows = Array.from({ length: 400 }, (_, i) => ({ id: i, name: `row ${i}`, note: 'ok' }));
const CASES = {
  'client ping (raw forward)': { client: () => Buffer.from('{"jsonrpc":"2.0","id":1,"method":"resources/list","params":{}}') },
  'client tools/call 1 KiB (re-serialised)': { client: () => Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: text(1000, 'abc ') } } })) },
  'server answer 1 KiB ASCII': { request: 'tools/call', server: (id) => answer(id, { content: [{ type: 'text', text: text(1000, 'abc ') }] }) },
  'server answer 64 KiB typographic (E2 80 xx)': { request: 'tools/call', server: (id) => answer(id, { content: [{ type: 'text', text: text(64 * 1024 / 3, '“a”…') }] }) },
  'server answer 40 KiB with nested "id" keys': { request: 'tools/call', server: (id) => answer(id, { content: [{ type: 'text', text: 'x' }], structuredContent: { rows } }) },
  'server answer 1 MiB ASCII (envelope path)': { request: 'tools/call', server: (id) => answer(id, { content: [{ type: 'text', text: text(1 << 20, 'abcd') }] }) },
  'server tools/list 20 tools': { request: 'tools/list', server: (id) => answer(id, { tools: Array.from({ length: 20 }, (_, i) => ({ name: `t${i}`, description: text(200, 'desc '), inputSchema: { type: 'object' } })) }) },
};

function run(build, c, iterations) {
  let t = 0;
  const engine = new build.Engine(build.policy, { nowUs: () => (t += 1) });
  const frames = c.server ? Array.from({ length: iterations }, (_, i) => c.server(i)) : Array.from({ length: iterations }, () => c.client());
  const requests = c.server ? Array.from({ length: iterations }, (_, i) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: i, method: c.request, params: { name: 'echo', arguments: {} } }))) : [];
  // Requests are registered outside the timed part: only the answer is measured.
  for (const r of requests) engine.fromClient(r);
  // CPU time, not wall time: on a shared machine the process is often descheduled.
  const start = process.cpuUsage();
  for (const f of frames) (c.server ? engine.fromServer(f) : engine.fromClient(f));
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / iterations;
}

// The machine is shared: the fastest of many interleaved rounds is the least disturbed.
const fastest = (xs) => Math.min(...xs);
console.log('case | before ns/frame | after ns/frame | added (CPU ns per frame, fastest of 15 interleaved rounds each)');
for (const [name, c] of Object.entries(CASES)) {
  const size = (c.server ? c.server(0) : c.client()).length;
  const iterations = Math.max(40, Math.min(8000, Math.floor(8e7 / size)));
  const samples = { before: [], after: [] };
  for (let round = 0; round < 15; round++) for (const which of ['before', 'after']) samples[which].push(run(builds[which], c, iterations));
  const b = fastest(samples.before);
  const a = fastest(samples.after);
  console.log(`${name} (${size} B) | ${b.toFixed(0)} | ${a.toFixed(0)} | ${(a - b).toFixed(0)} (${((a / b - 1) * 100).toFixed(1)}%)`);
}
