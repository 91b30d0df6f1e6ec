// Turns raw measurements into rows (with targets and PASS/FAIL), a text table and Markdown.
import { median, percentile } from './harness.mjs';

const MB = (kb) => (kb * 1024) / 1e6;
const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'FAIL');

/** Summary numbers and table rows from the raw results. */
export function summarize(raw) {
  const { latency, throughput, big, memory, startup } = raw;
  const p = (arm, q) => percentile(latency[arm], q);
  const tput = (arm) => median(throughput[arm].map((run) => run.callsPerSec));
  const s = {
    p50: { direct: p('direct', 50), shim: p('shim', 50) },
    p99: { direct: p('direct', 99), shim: p('shim', 99) },
    callsPerSec: { direct: tput('direct'), shim: tput('shim') },
    bigMs: { direct: median(big.direct), shim: median(big.shim) },
    startupMs: { direct: median(startup.direct), shim: median(startup.shim) },
    peakMb: { direct: MB(memory.final.direct.hwmKb), shim: MB(memory.final.shim.hwmKb) },
    rssIdleMb: { direct: MB(memory.afterInit.direct.rssKb), shim: MB(memory.afterInit.shim.rssKb) },
    rssAfterLatencyMb: { direct: MB(memory.afterLatency.direct.rssKb), shim: MB(memory.afterLatency.shim.rssKb) },
    rssAfterBigMb: { direct: MB(memory.afterBig.direct.rssKb), shim: MB(memory.afterBig.shim.rssKb) },
    rssAfterThroughputMb: { direct: MB(memory.afterThroughput.direct.rssKb), shim: MB(memory.afterThroughput.shim.rssKb) },
    pipelineProblems: ['direct', 'shim'].map((arm) => throughput[arm].reduce((sum, r) => sum + r.duplicates + r.stray + r.errors + (r.n - r.answered), 0)),
  };
  s.addedP50 = s.p50.shim - s.p50.direct;
  s.addedP99 = s.p99.shim - s.p99.direct;
  s.throughputRatio = s.callsPerSec.shim / s.callsPerSec.direct;
  s.bigRatio = s.bigMs.shim / s.bigMs.direct;
  s.startupOverhead = s.startupMs.shim - s.startupMs.direct;

  const rows = [
    ['tools/call latency p50 (µs)', fmt(s.p50.direct), fmt(s.p50.shim), `+${fmt(s.addedP50)} µs`, 'added ≤ 150 µs', verdict(s.addedP50 <= 150)],
    ['tools/call latency p99 (µs)', fmt(s.p99.direct), fmt(s.p99.shim), `+${fmt(s.addedP99)} µs`, '', ''],
    ['pipelined throughput (calls/s)', fmt(s.callsPerSec.direct), fmt(s.callsPerSec.shim), `${fmt(s.throughputRatio * 100, 1)} %`, '≥ 50 % of direct', verdict(s.throughputRatio >= 0.5)],
    ['8 MiB result (ms)', fmt(s.bigMs.direct, 1), fmt(s.bigMs.shim, 1), `${fmt(s.bigRatio, 2)}×`, '≤ 2× direct', verdict(s.bigRatio <= 2)],
    ['peak RSS, VmHWM (MB)', fmt(s.peakMb.direct, 1), fmt(s.peakMb.shim, 1), 'shim process', 'shim ≤ 80 MB', verdict(s.peakMb.shim <= 80)],
    ['RSS after initialize (MB)', fmt(s.rssIdleMb.direct, 1), fmt(s.rssIdleMb.shim, 1), '', '', ''],
    ['RSS after latency calls (MB)', fmt(s.rssAfterLatencyMb.direct, 1), fmt(s.rssAfterLatencyMb.shim, 1), '', '', ''],
    ['RSS after 8 MiB result (MB)', fmt(s.rssAfterBigMb.direct, 1), fmt(s.rssAfterBigMb.shim, 1), '', '', ''],
    ['RSS after throughput (MB)', fmt(s.rssAfterThroughputMb.direct, 1), fmt(s.rssAfterThroughputMb.shim, 1), '', '', ''],
    ['startup to initialize answer (ms)', fmt(s.startupMs.direct, 1), fmt(s.startupMs.shim, 1), `+${fmt(s.startupOverhead, 1)} ms`, 'overhead ≤ 150 ms', verdict(s.startupOverhead <= 150)],
  ];
  return { summary: s, rows };
}

const HEADER = ['Measure', 'Direct', 'Shim', 'Shim vs direct', 'Target', 'Result'];

export function textTable(rows) {
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(rows) {
  const line = (row) => `| ${row.join(' | ')} |`;
  const rule = `|${HEADER.map((_, c) => (c === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [line(HEADER), rule, ...rows.map((row) => line(row.map((cell) => cell.replace(/\b(PASS|FAIL)\b/, '**$1**'))))].join('\n');
}

export function machineLine(machine) {
  return `Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ${machine.platform}, ${machine.memGb} GB RAM, load ${machine.load}, ${machine.date}${machine.commit ? `, commit ${machine.commit}` : ''}, ${machine.mode} run (${machine.seconds} s)`;
}

export function sizesLine(config, raw) {
  return `Samples: ${raw.latency.direct.length} sequential echo calls per arm in ${config.latency.rounds} interleaved rounds (after ${config.latency.warmup} warm-up); `
    + `${config.throughput.rounds} × ${config.throughput.n} pipelined calls per arm; ${config.big.rounds} × 8 MiB results per arm; ${config.startup.rounds} cold starts per arm. Medians; shim = \`vanguard start\` with the default policy, audit to stderr at info.`;
}
