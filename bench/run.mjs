#!/usr/bin/env node
// `npm run bench`: the shim against a direct connection to the same server (tiny-server) and
// against a null relay (bench/null-relay.mjs, the floor for any Node proxy process), in one run,
// with interleaved rounds; plus startup against real SDK servers (server-everything, server-filesystem). Options: --quick (smaller run), --json [FILE] (raw numbers;
// default bench/results.json). Always writes bench/results.md. Exits 0 even when a target fails.
// VANGUARD_BENCH_PEER="command args" adds a fourth arm, `peer`: another stdio proxy, given the
// server's command after its own, measured in every measure and in the same rotation.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ARM_NAMES, CPU_SOURCE, Conn, EVERYTHING, FILESYSTEM, PEER_LINE, SERVER, procCpuTotals } from './harness.mjs';
import { bigResult, latency, startup, startupTen, throughput } from './measures.mjs';
import { RELAY_NOTE, machineLine, markdownTable, noteLines, summarize, textTable } from './report.mjs';
import { issueMarkdown, issueRows, issueText } from './issue-targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonAt = argv.indexOf('--json');
const jsonFile = jsonAt === -1 ? undefined : argv[jsonAt + 1] && !argv[jsonAt + 1].startsWith('--') ? path.resolve(argv[jsonAt + 1]) : path.join(here, 'results.json');

const config = quick
  ? { latency: { warmup: 500, rounds: 40, perRound: 50 }, throughput: { n: 5000, rounds: 2 }, big: { bytes: 8 << 20, rounds: 3 }, startup: { rounds: 5 }, ten: { rounds: 1 } }
  : { latency: { warmup: 2000, rounds: 200, perRound: 50 }, throughput: { n: 20000, rounds: 5 }, big: { bytes: 8 << 20, rounds: 5 }, startup: { rounds: 15 }, ten: { rounds: 2 } };
if (PEER_LINE) config.peer = PEER_LINE; // recorded with the numbers, and named in the notes

const live = new Set();
const track = (conn) => {
  live.add(conn);
  void conn.exited.then(() => live.delete(conn));
  return conn;
};
const killAll = () => live.forEach((conn) => conn.child.kill('SIGKILL'));
// A peer arm is a fourth arm in every measure (a slow one: about 7.5 of a full run's minutes with mcpwall).
const giveUpMinutes = PEER_LINE ? 15 : 10;
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${giveUpMinutes} minutes`);
  killAll();
  process.exit(1);
}, giveUpMinutes * 60_000);
watchdog.unref();

function machine(seconds, cpuBefore) {
  let commit;
  try {
    const git = (...args) => execFileSync('git', args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no', '--', 'src') ? '+local changes' : '');
  } catch {}
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    platform: `${os.platform()} ${os.release()}`,
    memGb: (os.totalmem() / 1e9).toFixed(1),
    load: os.loadavg().map((l) => l.toFixed(2)).join('/'),
    date: new Date().toISOString(),
    commit,
    mode: quick ? 'quick' : 'full',
    seconds: seconds.toFixed(1),
    ...cpuShares(cpuBefore, procCpuTotals()),
  };
}

/** Machine-wide steal and busy shares (%) between two /proc/stat readings. */
function cpuShares(before, after) {
  if (!before || !after) return {};
  const total = after.total - before.total;
  return { stealPct: ((100 * (after.steal - before.steal)) / total).toFixed(1), busyPct: ((100 * (total - (after.idle - before.idle))) / total).toFixed(1) };
}

async function main() {
  const began = performance.now();
  const cpuBefore = procCpuTotals();
  const step = (what) => process.stderr.write(`bench: ${what} (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);
  // Each arm started once and stopped first: the per-user caches are then as after any earlier
  // start (the first start after a build compiles the shim's bundle and writes its caches,
  // every later one reads them), so the idle RSS below is a usual start's.
  for (const arm of ARM_NAMES) {
    const priming = track(new Conn(arm));
    await priming.initialize();
    await priming.close();
  }
  const conns = Object.fromEntries(ARM_NAMES.map((arm) => [arm, track(new Conn(arm))]));
  for (const arm of ARM_NAMES) {
    const answer = await conns[arm].initialize();
    if (!answer.message.result?.serverInfo) throw new Error(`${arm}: bad initialize answer ${JSON.stringify(answer.message).slice(0, 200)}`);
  }
  // (Each tree's server, tiny-server in every arm, is told apart: see issue-targets.mjs, peak RSS.)
  const snapshot = () => Object.fromEntries(ARM_NAMES.map((arm) => [arm, { ...conns[arm].memory(), tree: conns[arm].treeMemory([process.execPath, [SERVER]]) }]));
  const memory = { afterInit: snapshot() };

  step('latency');
  const lat = await latency(conns, config.latency);
  memory.afterLatency = snapshot();
  step('8 MiB results');
  const big = await bigResult(conns, config.big);
  memory.afterBig = snapshot();
  step('pipelined throughput');
  const tput = await throughput(conns, config.throughput);
  memory.afterThroughput = snapshot();
  memory.final = snapshot();
  await Promise.all(ARM_NAMES.map((arm) => conns[arm].close()));
  step('startup');
  const servers = { tiny: [process.execPath, [SERVER]] };
  if (existsSync(EVERYTHING)) servers.everything = [process.execPath, [EVERYTHING]];
  else process.stderr.write(`bench: ${EVERYTHING} not installed (npm install); skipping the server-everything startup row\n`);
  // Serving one directory (the system's temporary one: it exists everywhere and is not read).
  if (existsSync(FILESYSTEM)) servers.filesystem = [process.execPath, [FILESYSTEM, os.tmpdir()]];
  else process.stderr.write(`bench: ${FILESYSTEM} not installed (npm install); skipping the server-filesystem startup row\n`);
  const startupToolsList = {};
  const start = await startup(config.startup, track, servers, startupToolsList);
  step('ten at once');
  const ten = {};
  for (const [name, server] of Object.entries(servers)) ten[name] = await startupTen(config.ten, track, server);

  // Where the CPU figures were read from (harness.mjs procCpuMs), named with them.
  config.cpuSource = CPU_SOURCE.source;
  config.cpuThreadsEnded = CPU_SOURCE.threadsEnded;
  const raw = { latency: lat, throughput: tput, big, memory, startup: start, startupToolsList, ten };
  const { summary, rows, header } = summarize(raw);
  const info = machine((performance.now() - began) / 1000, cpuBefore);
  const text = textTable(rows, header);
  const notes = noteLines(config, raw, summary);
  const issue = issueRows(raw, summary);
  const title = `Vanguard vs direct and vs a null relay${PEER_LINE ? ` and vs a peer (\`${PEER_LINE}\`)` : ''} (tiny-server)`;
  const md = `### Benchmark: ${title}\n\n${markdownTable(rows, header)}\n\n### The issue 13 targets, as ratios in this run\n\n${issueMarkdown(issue)}\n\n${machineLine(info)}.\n${notes.join('\n')}\n\n${RELAY_NOTE}\n`;

  console.log(`\nVanguard benchmark — ${machineLine(info)}\n`);
  console.log(text);
  console.log(`\nIssue 13 targets (ratios in this run):\n${issueText(issue)}`);
  console.log(`\n${notes.join('\n')}`);
  const result = header.indexOf('Result');
  const failed = [...rows.filter((row) => row[result] === 'FAIL').map((row) => row[0]), ...issue.filter((row) => row.ok === false).map((row) => `issue 13: ${row.measure}`)];
  console.log(failed.length ? `\nFAIL: ${failed.join('; ')}` : '\nAll targets PASS');
  console.log(`\nMarkdown (also in bench/results.md):\n\n${md}`);
  writeFileSync(path.join(here, 'results.md'), md);
  if (jsonFile) {
    writeFileSync(jsonFile, JSON.stringify({ machine: info, config, summary, raw }, null, 1) + '\n');
    console.log(`Raw numbers: ${jsonFile}`);
  }
}

try {
  await main();
} catch (error) {
  // Every failure names its arm first ("peer: …", "peer (tiny): …"); a peer's is said plainly.
  const message = error instanceof Error ? error.message : String(error);
  if (PEER_LINE && /^peer\b/.test(message)) console.error(`bench: the peer arm (VANGUARD_BENCH_PEER=${JSON.stringify(PEER_LINE)}) failed: ${message}`);
  else console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  killAll();
  process.exitCode = 1;
}
