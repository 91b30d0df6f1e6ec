// Turns raw measurements into rows (with targets and PASS/FAIL), a text table and Markdown.
// Targets compare the shim with a direct connection; the relay columns are context only, and so
// are the peer's (a column and a comparison of its own) when the run has a peer arm.
import { median, percentile } from './harness.mjs';

const MB = (kb) => (kb * 1024) / 1e6;
const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const signed = (value, digits = 0) => (Number.isFinite(value) ? `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)}` : 'n/a');
const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'FAIL');

export const HEADER = ['Measure', 'Direct', 'Relay', 'Shim', 'Shim vs direct', 'Target (vs direct)', 'Result', 'Shim vs relay (context)'];
/** The header of a run with a peer arm: its figures after the shim's, the shim against it last. */
export const PEER_HEADER = ['Measure', 'Direct', 'Relay', 'Shim', 'Peer', 'Shim vs direct', 'Target (vs direct)', 'Result', 'Shim vs relay (context)', 'Shim vs peer (context)'];
/** The arms a run measured: the three, and the peer when its numbers are there. */
const armsOf = (raw) => ['direct', 'relay', 'shim', ...(raw.latency.peer ? ['peer'] : [])];

/** Median over rounds of (median of arm a in the round − median of arm b in the round). */
function pairedDiff(samples, a, b) {
  const per = samples.perRound;
  const rounds = Math.floor(samples[a].length / per);
  const roundMedian = (arm, r) => median(samples[arm].slice(r * per, (r + 1) * per));
  return median(Array.from({ length: rounds }, (_, r) => roundMedian(a, r) - roundMedian(b, r)));
}

/** Summary numbers, table rows and their header from the raw results. */
export function summarize(raw) {
  const { latency, throughput, big, memory, startup } = raw;
  const ARMS = armsOf(raw);
  const each = (f) => Object.fromEntries(ARMS.map((arm) => [arm, f(arm)]));
  const memoryMb = (when, key) => each((arm) => MB(memory[when][arm]?.[key]));
  const cpuPerCallUs = (cpu) => each((arm) => (cpu[arm].ms * 1000) / cpu[arm].calls);
  const s = {
    p50: each((arm) => percentile(latency[arm], 50)),
    p99: each((arm) => percentile(latency[arm], 99)),
    callsPerSec: each((arm) => median(throughput[arm].map((run) => run.callsPerSec))),
    bigMs: each((arm) => median(big[arm])),
    startupMs: each((arm) => median(startup.tiny[arm])),
    // Startup with each real server of the run (server-everything, server-filesystem), by name.
    startupServersMs: Object.fromEntries(Object.keys(startup).filter((name) => name !== 'tiny').map((name) => [name, each((arm) => median(startup[name][arm]))])),
    peakMb: memoryMb('final', 'hwmKb'),
    rssIdleMb: memoryMb('afterInit', 'rssKb'),
    rssAfterLatencyMb: memoryMb('afterLatency', 'rssKb'),
    rssAfterBigMb: memoryMb('afterBig', 'rssKb'),
    rssAfterThroughputMb: memoryMb('afterThroughput', 'rssKb'),
    cpuLatencyUs: cpuPerCallUs(latency.cpu),
    cpuPipelinedUs: cpuPerCallUs(throughput.cpu),
    pipelineProblems: each((arm) => throughput[arm].reduce((sum, r) => sum + r.duplicates + r.stray + r.errors + (r.n - r.answered), 0)),
  };
  // vs direct: what the targets use.
  s.addedP50 = s.p50.shim - s.p50.direct;
  s.addedP50Paired = pairedDiff(latency, 'shim', 'direct');
  s.addedP99 = s.p99.shim - s.p99.direct;
  s.throughputRatio = s.callsPerSec.shim / s.callsPerSec.direct;
  s.bigRatio = s.bigMs.shim / s.bigMs.direct;
  s.startupOverhead = s.startupMs.shim - s.startupMs.direct;
  // Vanguard against another proxy arm: below 0 (times below 1) is Vanguard ahead. Against the
  // relay, its own cost beyond the floor of any separate Node proxy process; against the peer
  // (when there is one), the same split.
  const against = (other) => ({
    addedP50: s.p50.shim - s.p50[other],
    addedP50Paired: pairedDiff(latency, 'shim', other),
    [`${other}P50Paired`]: pairedDiff(latency, other, 'direct'),
    addedP99: s.p99.shim - s.p99[other],
    throughputRatio: s.callsPerSec.shim / s.callsPerSec[other],
    bigRatio: s.bigMs.shim / s.bigMs[other],
    peakOverMb: s.peakMb.shim - s.peakMb[other],
    startupOverhead: s.startupMs.shim - s.startupMs[other],
  });
  s.relay = against('relay');
  if (ARMS.includes('peer')) s.peer = against('peer');

  // `versus(other)` is the shim against another proxy arm (the relay; the peer too when there is one).
  const peer = ARMS.includes('peer');
  const row = (measure, values, digits, vsDirect, target, ok, versus) => [
    measure,
    ...ARMS.map((arm) => fmt(values[arm], digits)),
    vsDirect,
    target,
    verdict(ok),
    versus('relay'),
    ...(peer ? [versus('peer')] : []),
  ];
  const rssRow = (measure, values) => row(measure, values, 1, `${signed(values.shim - values.direct, 1)} MB`, '', undefined, (o) => `${signed(values.shim - values[o], 1)} MB`);
  const rows = [
    row('tools/call latency p50 (µs)', s.p50, 0, `${signed(s.addedP50)} µs`, 'added ≤ 150 µs', s.addedP50 <= 150, (o) => `${signed(s[o].addedP50)} µs`),
    row('tools/call latency p99 (µs)', s.p99, 0, `${signed(s.addedP99)} µs`, '', undefined, (o) => `${signed(s[o].addedP99)} µs`),
    row('CPU per call, sequential (µs)', s.cpuLatencyUs, 0, 'proxy process', '', undefined, (o) => `${signed(s.cpuLatencyUs.shim - s.cpuLatencyUs[o])} µs`),
    row('pipelined throughput (calls/s)', s.callsPerSec, 0, `${fmt(s.throughputRatio * 100, 1)} %`, '≥ 50 % of direct', s.throughputRatio >= 0.5, (o) => `${fmt(s[o].throughputRatio * 100, 1)} % of ${o}`),
    row('CPU per call, pipelined (µs)', s.cpuPipelinedUs, 1, 'proxy process', '', undefined, (o) => `${signed(s.cpuPipelinedUs.shim - s.cpuPipelinedUs[o], 1)} µs`),
    row('8 MiB result (ms)', s.bigMs, 1, `${fmt(s.bigRatio, 2)}×`, '≤ 2× direct', s.bigRatio <= 2, (o) => `${fmt(s[o].bigRatio, 2)}× ${o}`),
    row('peak RSS, VmHWM (MB)', s.peakMb, 1, 'shim process', 'shim ≤ 80 MB', s.peakMb.shim <= 80, (o) => `${signed(s[o].peakOverMb, 1)} MB`),
    rssRow('RSS after initialize (MB)', s.rssIdleMb),
    rssRow('RSS after latency calls (MB)', s.rssAfterLatencyMb),
    rssRow('RSS after 8 MiB result (MB)', s.rssAfterBigMb),
    rssRow('RSS after throughput (MB)', s.rssAfterThroughputMb),
    row('startup to initialize answer (ms)', s.startupMs, 1, `${signed(s.startupOverhead, 1)} ms`, 'overhead ≤ 150 ms', s.startupOverhead <= 150, (o) => `${signed(s[o].startupOverhead, 1)} ms`),
  ];
  for (const [name, ms] of Object.entries(s.startupServersMs)) rows.push(row(`startup, server-${name} (ms)`, ms, 1, `${signed(ms.shim - ms.direct, 1)} ms`, '', undefined, (o) => `${signed(ms.shim - ms[o], 1)} ms`));
  return { summary: s, rows, header: peer ? PEER_HEADER : HEADER };
}

export function textTable(rows, header = HEADER) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(rows, header = HEADER) {
  const line = (row) => `| ${row.join(' | ')} |`;
  const rule = `|${header.map((_, c) => (c === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [line(header), rule, ...rows.map((row) => line(row.map((cell) => cell.replace(/\b(PASS|FAIL)\b/, '**$1**'))))].join('\n');
}

export function machineLine(machine) {
  return `Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ${machine.platform}, ${machine.memGb} GB RAM, load ${machine.load}`
    + `${machine.stealPct === undefined ? '' : `, CPU steal ${machine.stealPct} % and busy ${machine.busyPct} % during the run`}, ${machine.date}`
    + `${machine.commit ? `, commit ${machine.commit}` : ''}, ${machine.mode} run (${machine.seconds} s)`;
}

/** How to read the relay columns: one paragraph, for results.md. */
export const RELAY_NOTE = 'How to read relay vs direct: **relay** is `bench/null-relay.mjs`, a 15-line Node proxy that spawns the same server '
  + 'and pipes bytes both ways without parsing anything. Any separate-process stdio proxy written in Node pays at least what it pays: '
  + 'one more Node process to boot (startup), two more pipe hops and two more event-loop wake-ups per call (latency, CPU), '
  + 'and one more copy of every byte (throughput, big results, RSS). So relay − direct is the floor that no Vanguard optimisation can remove '
  + 'short of running in-process, and shim − relay (the last column) is what Vanguard\'s own work costs: framing, JSON parsing, policy, audit. '
  + 'The targets stay against direct; the relay columns only split each gap into floor and Vanguard. Wall-clock numbers on a VM with CPU steal '
  + 'swing between runs, and the per-hop latency floor is itself larger when the machine is idle (each hop waits for a sleeping vCPU to wake) than when it is busy; '
  + 'all arms run interleaved so they see the same conditions, and the pipelined CPU per call is the steadiest view of the work each process does. '
  + 'CPU and RSS are for the arm\'s own process: the server itself for direct, the proxy alone (not the server behind it) for relay and shim.';

// How each source procCpuMs reads is named in the notes (harness.mjs CPU_SOURCE).
const CPU_SOURCES = {
  schedstat: '/proc/<pid>/task/*/schedstat, in nanoseconds',
  stat: 'utime + stime from /proc/<pid>/stat, in 10 ms clock ticks',
  mixed: 'schedstat in nanoseconds where it could be read, utime + stime in 10 ms ticks elsewhere',
};

export function noteLines(config, raw, s) {
  const ARMS = armsOf(raw);
  const peer = ARMS.includes('peer');
  const checked = (arm) => {
    const runs = raw.throughput[arm];
    const answered = runs.reduce((sum, r) => sum + r.answered, 0);
    return `${arm} ${answered}/${runs.length * config.throughput.n}`;
  };
  const problems = ARMS.reduce((sum, arm) => sum + s.pipelineProblems[arm], 0);
  const lines = [
    `Samples: ${raw.latency.direct.length} sequential echo calls per arm in ${config.latency.rounds} interleaved rounds of ${config.latency.perRound} (after ${config.latency.warmup} warm-up); `
      + `${config.throughput.rounds} × ${config.throughput.n} pipelined calls per arm (at most 5000 in flight, under the shim's 10 000 cap); ${config.big.rounds} × 8 MiB results per arm; `
      + `${config.startup.rounds} cold starts per arm and server (tiny-server; server-everything: \`node node_modules/@modelcontextprotocol/server-everything/dist/index.js\`, stdio; server-filesystem: \`node node_modules/@modelcontextprotocol/server-filesystem/dist/index.js <the temporary directory>\`), each start then asking tools/list at once, as a client does (timed to its answer separately). `
      + 'Arm order rotates every round. Medians; shim = `vanguard start` with the default policy, audit to stderr at info (read by the bench, not counted).',
    `Added p50 as the median of per-round differences (less sensitive to drift; medians, so they need not add up): shim − direct ${signed(s.addedP50Paired)} µs; `
      + `relay − direct ${signed(s.relay.relayP50Paired)} µs (the floor); shim − relay ${signed(s.relay.addedP50Paired)} µs (Vanguard's own)`
      + (peer ? `; peer − direct ${signed(s.peer.peerP50Paired)} µs; shim − peer ${signed(s.peer.addedP50Paired)} µs.` : '.'),
    `CPU per call = the run time of every thread of the arm's own process (${CPU_SOURCES[config.cpuSource] ?? CPU_SOURCES.schedstat}) over the timed calls, divided by the calls (direct: the server itself; `
      + 'relay and shim: the proxy only, not the server behind it; the tree rows: the arm\'s process and every process under it)'
      + (config.cpuThreadsEnded > 0 ? `. WARNING: ${config.cpuThreadsEnded} threads ended between two reads of their process; the CPU rows may read low.` : '.'),
    problems === 0
      ? `Pipelined: every id answered exactly once, no errors (${ARMS.map(checked).join(', ')}).`
      : `WARNING: pipelined runs had ${problems} missing, duplicate, stray or error answers (${ARMS.map((arm) => `${arm} ${s.pipelineProblems[arm]}`).join(', ')}); `
        + `first error: ${ARMS.map((arm) => raw.throughput[arm].find((r) => r.firstError)?.firstError).find(Boolean) ?? 'none'}. Throughput numbers are not comparable.`,
  ];
  if (peer) {
    lines.push(`Peer: \`${config.peer ?? 'VANGUARD_BENCH_PEER'}\` with the server's command and arguments after it, measured in the same interleaved rounds as the other arms; `
      + 'its CPU and RSS columns are its own process (if that is a launcher such as npx, the launcher), its tree figures the whole tree. '
      + 'In the last column the shim is ahead of the peer where a difference is below 0, the 8 MiB ratio below 1× and throughput above 100 %.');
  }
  return lines;
}
