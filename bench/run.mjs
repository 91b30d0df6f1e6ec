#!/usr/bin/env node
// `npm run bench`: the shim against a direct connection to the same server (tiny-server),
// in one run, with interleaved rounds. Options: --quick (smaller run), --json [FILE] (raw numbers;
// default bench/results.json). Always writes bench/results.md. Exits 0 even when a target fails.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Conn } from './harness.mjs';
import { bigResult, latency, startup, throughput } from './measures.mjs';
import { machineLine, markdownTable, sizesLine, summarize, textTable } from './report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonAt = argv.indexOf('--json');
const jsonFile = jsonAt === -1 ? undefined : argv[jsonAt + 1] && !argv[jsonAt + 1].startsWith('--') ? path.resolve(argv[jsonAt + 1]) : path.join(here, 'results.json');

const config = quick
  ? { latency: { warmup: 200, rounds: 4, perRound: 200 }, throughput: { n: 5000, rounds: 2 }, big: { bytes: 8 << 20, rounds: 3 }, startup: { rounds: 4 } }
  : { latency: { warmup: 500, rounds: 10, perRound: 300 }, throughput: { n: 20000, rounds: 3 }, big: { bytes: 8 << 20, rounds: 5 }, startup: { rounds: 10 } };

const live = new Set();
const track = (conn) => {
  live.add(conn);
  void conn.exited.then(() => live.delete(conn));
  return conn;
};
const killAll = () => live.forEach((conn) => conn.child.kill('SIGKILL'));
const watchdog = setTimeout(() => {
  console.error('bench: gave up after 5 minutes');
  killAll();
  process.exit(1);
}, 300_000);
watchdog.unref();

function machine(seconds) {
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
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
  };
}

async function main() {
  const began = performance.now();
  const step = (what) => process.stderr.write(`bench: ${what} (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);
  const conns = { direct: track(new Conn('direct')), shim: track(new Conn('shim')) };
  await conns.direct.initialize();
  await conns.shim.initialize();
  const snapshot = () => ({ direct: conns.direct.memory(), shim: conns.shim.memory() });
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
  await Promise.all([conns.direct.close(), conns.shim.close()]);
  step('startup');
  const start = await startup(config.startup, track);

  const raw = { latency: lat, throughput: tput, big, memory, startup: start };
  const { summary, rows } = summarize(raw);
  const info = machine((performance.now() - began) / 1000);
  const text = textTable(rows);
  const md = `### Benchmark: Vanguard vs direct (tiny-server)\n\n${markdownTable(rows)}\n\n${machineLine(info)}.\n${sizesLine(config, raw)}\n`;

  console.log(`\nVanguard benchmark — ${machineLine(info)}\n`);
  console.log(text);
  if (summary.pipelineProblems.some((n) => n > 0)) {
    console.log(`\nWARNING: pipelined runs had missing/duplicate/stray/error answers: direct ${summary.pipelineProblems[0]}, shim ${summary.pipelineProblems[1]}`);
  }
  const failed = rows.filter((row) => row[5] === 'FAIL').map((row) => row[0]);
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
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  killAll();
  process.exitCode = 1;
}
