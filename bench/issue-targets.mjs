// The rows of issue 13's table, as ratios within one run: each arm against a direct
// connection, and the shim against the relay where the target is stated that way.
import { median } from './harness.mjs';

const MB = (kb) => (kb * 1024) / 1e6;
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const times = (value) => `${fmt(value)}×`;
const plus = (value, unit, digits = 0) => (Number.isFinite(value) ? `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)} ${unit}` : 'n/a');
const perCall = (cpu) => (cpu.ms * 1000) / cpu.calls;

/** Rows: { measure, relay, shim, target, ok (undefined: reported only) }. */
export function issueRows(raw, s) {
  const rows = [];
  const st = s.startupMs;
  rows.push({ measure: 'startup to the first initialize answer (tiny-server)', relay: times(st.relay / st.direct), shim: `${times(st.shim / st.direct)} (${times(st.shim / st.relay)} relay)`, target: '≤ 1.4× relay', ok: st.shim / st.relay <= 1.4 });
  for (const [name, ms] of Object.entries(s.startupServersMs)) rows.push({ measure: `startup to the first initialize answer (server-${name})`, relay: times(ms.relay / ms.direct), shim: `${times(ms.shim / ms.direct)} (${times(ms.shim / ms.relay)} relay)`, target: '', ok: undefined });
  const relayAdded = s.relay.relayP50Paired;
  const shimAdded = s.addedP50Paired;
  rows.push({ measure: 'added p50 per small call (paired)', relay: plus(relayAdded, 'µs'), shim: `${plus(shimAdded, 'µs')} (${times(shimAdded / relayAdded)} relay's)`, target: "≤ 2× relay's added", ok: shimAdded <= 2 * relayAdded });
  const tree = { direct: perCall(raw.throughput.treeCpu.direct), relay: perCall(raw.throughput.treeCpu.relay), shim: perCall(raw.throughput.treeCpu.shim) };
  rows.push({ measure: 'process-tree CPU per pipelined call', relay: `${times(tree.relay / tree.direct)} (${fmt(tree.relay, 1)} µs)`, shim: `${times(tree.shim / tree.direct)} (${fmt(tree.shim, 1)} µs)`, target: '≤ 5× direct', ok: tree.shim / tree.direct <= 5 });
  const seq = { direct: perCall(raw.latency.treeCpu.direct), relay: perCall(raw.latency.treeCpu.relay), shim: perCall(raw.latency.treeCpu.shim) };
  rows.push({ measure: 'process-tree CPU per sequential call', relay: `${times(seq.relay / seq.direct)} (${fmt(seq.relay, 0)} µs)`, shim: `${times(seq.shim / seq.direct)} (${fmt(seq.shim, 0)} µs)`, target: '', ok: undefined });
  const cps = s.callsPerSec;
  rows.push({ measure: 'pipelined throughput', relay: times(cps.relay / cps.direct), shim: times(cps.shim / cps.direct), target: '≥ 0.25× direct', ok: cps.shim / cps.direct >= 0.25 });
  rows.push({ measure: 'one 8 MiB result (scanned)', relay: times(s.bigMs.relay / s.bigMs.direct), shim: times(s.bigMs.shim / s.bigMs.direct), target: '≤ 2.5× direct', ok: s.bigMs.shim / s.bigMs.direct <= 2.5 });
  const peak = (arm) => MB(raw.memory.final[arm]?.tree?.hwmKb);
  const relayPeak = peak('relay') - peak('direct');
  const shimPeak = peak('shim') - peak('direct');
  rows.push({ measure: 'peak RSS of the tree, added (sum of VmHWM)', relay: plus(relayPeak, 'MB', 1), shim: plus(shimPeak, 'MB', 1), target: "≤ relay's + 40 MB", ok: shimPeak <= relayPeak + 40 });
  const idle = (arm) => MB(raw.memory.afterInit[arm]?.rssKb);
  rows.push({ measure: 'idle RSS after initialize (proxy process; direct: server)', relay: `${fmt(idle('relay'), 1)} MB`, shim: `${fmt(idle('shim'), 1)} MB`, target: '', ok: undefined });
  for (const [name, ten] of Object.entries(raw.ten ?? {})) {
    const m = { direct: median(ten.direct), relay: median(ten.relay), shim: median(ten.shim) };
    rows.push({ measure: `ten started at once, to all ten answers (${name})`, relay: `${times(m.relay / m.direct)} (${fmt(m.relay, 0)} ms)`, shim: `${times(m.shim / m.direct)} (${fmt(m.shim, 0)} ms; ${times(m.shim / m.relay)} relay)`, target: '', ok: undefined });
  }
  return rows;
}

const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'FAIL');

/** The rows as Markdown. */
export function issueMarkdown(rows) {
  return [
    '| vs direct, same run | relay | Vanguard | Target | Result |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows.map((r) => `| ${r.measure} | ${r.relay} | ${r.shim} | ${r.target} | ${r.ok === undefined ? '' : `**${verdict(r.ok)}**`} |`),
  ].join('\n');
}

/** The rows as plain text. */
export function issueText(rows) {
  const cells = rows.map((r) => [r.measure, r.relay, r.shim, r.target, verdict(r.ok)]);
  const all = [['vs direct, same run', 'relay', 'Vanguard', 'target', 'result'], ...cells];
  const widths = all[0].map((_, c) => Math.max(...all.map((row) => row[c].length)));
  return all.map((row) => row.map((cell, c) => (c === 0 || c === 3 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}
