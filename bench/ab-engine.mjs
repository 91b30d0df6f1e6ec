#!/usr/bin/env node
// In-process A/B of the engine alone (no child, no pipes, no audit) on pipelined echo calls: a
// window of 5000 client frames decided, then their 5000 answers, each given with its ASCII text
// as the proxy gives it (until stop 40 it was given the bytes alone, which the engine decodes); CPU per call (the frame and its
// answer, GC included) after 4 rounds of warm-up. Each arm runs in a process of its own, arms
// interleaved, PAIRS times (a shared machine's load hits both alike). A copy of an old dist
// needs a node_modules link beside it (ln -s "$PWD/node_modules" /tmp/old/).
//   node bench/ab-engine.mjs old=/tmp/base29/dist new=dist      (env PAIRS, default 8; ROUNDS, default 40)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const W = 5000;
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const arms = process.argv.slice(2).map((a) => { const [name, dir] = a.split('='); return [name, path.resolve(dir)]; });

if (process.env.AB_ENGINE_ARM !== undefined) {
  console.log(await cpuPerCall(process.env.AB_ENGINE_ARM));
} else {
  const pairs = Number(process.env.PAIRS ?? 8);
  const seen = new Map(arms.map(([name]) => [name, []]));
  for (let i = 0; i < pairs; i++) {
    for (const [name, dir] of i % 2 === 0 ? arms : [...arms].reverse()) {
      const ns = Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, AB_ENGINE_ARM: dir }, encoding: 'utf8' }).trim());
      seen.get(name).push(ns);
    }
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  for (const [name, xs] of seen) console.log(`${name.padEnd(6)} median ${median(xs).toFixed(0)} ns CPU per call  (${xs.join(' ')})`);
}

async function cpuPerCall(dir) {
  const { compilePolicy } = await import(`${dir}/config/compile.js`);
  const { withDefaults } = await import(`${dir}/config/merge.js`);
  const { Engine } = await import(`${dir}/engine/engine.js`);
  const { buildDefinitionScan, buildInspector, buildResultScan } = await import(`${dir}/inspect/build.js`);
  const policy = compilePolicy(withDefaults({}), ['bench'], '/work/project', { realpath: () => undefined, home: '/home/dev', nowMs: () => 0 });
  const edge = { realpath: (p) => p };
  const t0 = process.hrtime.bigint();
  const engine = new Engine(policy, { nowUs: () => Number(process.hrtime.bigint() - t0) / 1000, inspect: buildInspector(policy, edge), scanResult: buildResultScan(policy, edge), scanDefinition: buildDefinitionScan(policy, edge), reuseOutcomes: true });
  // Listed first, so no call is held for the shim's own listing.
  engine.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'L', method: 'tools/list' })));
  engine.fromServer(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'L', result: { tools: [{ name: 'echo', description: 'Echo the text back.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }] } })));
  const ECHO = { name: 'echo', arguments: { text: 'hello vanguard' } };
  let next = 1;
  let spent = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const client = [];
    const server = [];
    for (let i = 0; i < W; i++) {
      const id = next++;
      client.push(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: ECHO })));
      server.push(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'hello vanguard' }] } })));
    }
    // Each frame with its text read as latin1, as the proxy's framer hands on an ASCII frame
    // (src/protocol/framer.ts, FrameEvent): the engine's path for the usual frame.
    const clientText = client.map((frame) => frame.latin1Slice());
    const serverText = server.map((frame) => frame.latin1Slice());
    const c0 = round >= 4 ? process.cpuUsage() : undefined;
    for (let i = 0; i < W; i++) if (engine.fromClient(client[i], clientText[i]).outputs[0]?.to !== 'server') throw new Error('a call was not forwarded');
    for (let i = 0; i < W; i++) if (engine.fromServer(server[i], serverText[i]).outputs[0]?.to !== 'client') throw new Error('an answer was not forwarded');
    // (Only the deciding counts: making the frames above is the bench's own work.)
    if (c0 !== undefined) {
      const d = process.cpuUsage(c0);
      spent += d.user + d.system;
    }
  }
  return ((spent * 1000) / ((ROUNDS - 4) * W)).toFixed(0);
}
