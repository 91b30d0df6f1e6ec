// The rows of issue 13's table, as ratios within one run: each arm against a direct
// connection, and the shim against the relay where the target is stated that way. With a peer
// arm (VANGUARD_BENCH_PEER), each row also gives the peer's figure and says whether the shim is
// ahead of it, and one more row holds issue 13's target of being ahead on every row.
import { median } from './harness.mjs';

const MB = (kb) => (kb * 1024) / 1e6;
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const times = (value) => `${fmt(value)}×`;
const plus = (value, unit, digits = 0) => (Number.isFinite(value) ? `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)} ${unit}` : 'n/a');
const perCall = (cpu) => (cpu.ms * 1000) / cpu.calls;

/** Rows: { measure, relay, shim, target, ok (undefined: reported only) }; with a peer also
 * { peer, vsPeer, ahead (undefined: not comparable) }. */
export function issueRows(raw, s) {
  const withPeer = raw.latency.peer !== undefined;
  /** The peer's cell and the shim against it: ahead when the shim's value is lower (or higher, for throughput). */
  const versus = (peerCell, shimValue, peerValue, { higher = false, show = `${times(shimValue / peerValue)} peer` } = {}) => {
    if (!withPeer) return {};
    if (!Number.isFinite(shimValue) || !Number.isFinite(peerValue)) return { peer: peerCell, vsPeer: 'n/a', ahead: undefined };
    const ahead = higher ? shimValue > peerValue : shimValue < peerValue;
    return { peer: peerCell, vsPeer: `${ahead ? 'ahead' : 'behind'} (${show})`, ahead };
  };
  const rows = [];
  const st = s.startupMs;
  rows.push({ measure: 'startup to the first initialize answer (tiny-server)', relay: times(st.relay / st.direct), ...versus(times(st.peer / st.direct), st.shim, st.peer), shim: `${times(st.shim / st.direct)} (${times(st.shim / st.relay)} relay)`, target: '≤ 1.4× relay', ok: st.shim / st.relay <= 1.4 });
  for (const [name, ms] of Object.entries(s.startupServersMs)) rows.push({ measure: `startup to the first initialize answer (server-${name})`, relay: times(ms.relay / ms.direct), ...versus(times(ms.peer / ms.direct), ms.shim, ms.peer), shim: `${times(ms.shim / ms.direct)} (${times(ms.shim / ms.relay)} relay)`, target: '', ok: undefined });
  // What a client waits for before its model can use a tool: the tools listed, asked for as
  // soon as initialize is answered (reported, no target; Vanguard scans every definition).
  for (const [name, byArmMs] of Object.entries(raw.startupToolsList ?? {})) {
    const ms = Object.fromEntries(Object.entries(byArmMs).map(([arm, v]) => [arm, median(v)]));
    rows.push({ measure: `startup to the first tools/list answer (${name === 'tiny' ? 'tiny-server' : `server-${name}`})`, relay: times(ms.relay / ms.direct), ...versus(times(ms.peer / ms.direct), ms.shim, ms.peer), shim: `${times(ms.shim / ms.direct)} (${times(ms.shim / ms.relay)} relay; ${fmt(ms.shim, 0)} ms)`, target: '', ok: undefined });
  }
  const relayAdded = s.relay.relayP50Paired;
  const shimAdded = s.addedP50Paired;
  const peerAdded = s.peer?.peerP50Paired;
  rows.push({ measure: 'added p50 per small call (paired)', relay: plus(relayAdded, 'µs'), ...versus(plus(peerAdded, 'µs'), shimAdded, peerAdded, { show: `${times(shimAdded / peerAdded)} peer's` }), shim: `${plus(shimAdded, 'µs')} (${times(shimAdded / relayAdded)} relay's)`, target: "≤ 2× relay's added", ok: shimAdded <= 2 * relayAdded });
  const perArm = (cpu) => Object.fromEntries(Object.entries(cpu).map(([arm, c]) => [arm, perCall(c)]));
  const tree = perArm(raw.throughput.treeCpu);
  rows.push({ measure: 'process-tree CPU per pipelined call', relay: `${times(tree.relay / tree.direct)} (${fmt(tree.relay, 1)} µs)`, ...versus(`${times(tree.peer / tree.direct)} (${fmt(tree.peer, 1)} µs)`, tree.shim, tree.peer), shim: `${times(tree.shim / tree.direct)} (${fmt(tree.shim, 1)} µs)`, target: '≤ 5× direct', ok: tree.shim / tree.direct <= 5 });
  const seq = perArm(raw.latency.treeCpu);
  rows.push({ measure: 'process-tree CPU per sequential call', relay: `${times(seq.relay / seq.direct)} (${fmt(seq.relay, 0)} µs)`, ...versus(`${times(seq.peer / seq.direct)} (${fmt(seq.peer, 0)} µs)`, seq.shim, seq.peer), shim: `${times(seq.shim / seq.direct)} (${fmt(seq.shim, 0)} µs)`, target: '', ok: undefined });
  const cps = s.callsPerSec;
  rows.push({ measure: 'pipelined throughput', relay: times(cps.relay / cps.direct), ...versus(times(cps.peer / cps.direct), cps.shim, cps.peer, { higher: true }), shim: times(cps.shim / cps.direct), target: '≥ 0.25× direct', ok: cps.shim / cps.direct >= 0.25 });
  const big = s.bigMs;
  rows.push({ measure: 'one 8 MiB result (scanned)', relay: times(big.relay / big.direct), ...versus(times(big.peer / big.direct), big.shim, big.peer), shim: times(big.shim / big.direct), target: '≤ 2.5× direct', ok: big.shim / big.direct <= 2.5 });
  // Peak RSS. Each arm's tree holds the same server doing the same work, whose own peak swings
  // by tens of MB from one process to the next with its collections (126-161 MB in one stop's
  // runs): what the proxy adds is its tree less its server, measured as such; the tree's sum
  // less the direct arm's (the server alone), which carries two servers' swings, and the
  // servers' own peaks are shown beside it.
  const memoryOf = (arm) => raw.memory.final[arm]?.tree;
  const peak = (arm) => MB(memoryOf(arm)?.hwmKb);
  const serverPeak = (arm) => MB(memoryOf(arm)?.serverHwmKb);
  const own = (arm) => peak(arm) - serverPeak(arm);
  rows.push({ measure: "peak RSS added: the proxy's own processes (its tree less the server)", relay: plus(own('relay'), 'MB', 1), ...versus(plus(own('peer'), 'MB', 1), own('shim'), own('peer'), { show: plus(own('shim') - own('peer'), 'MB', 1) }), shim: plus(own('shim'), 'MB', 1), target: "≤ relay's + 40 MB", ok: own('shim') <= own('relay') + 40 });
  const relayPeak = peak('relay') - peak('direct');
  const shimPeak = peak('shim') - peak('direct');
  const peerPeak = peak('peer') - peak('direct');
  rows.push({ measure: 'peak RSS of the tree, added (sum of VmHWM, less the direct server)', relay: plus(relayPeak, 'MB', 1), ...versus(plus(peerPeak, 'MB', 1), shimPeak, peerPeak, { show: plus(shimPeak - peerPeak, 'MB', 1) }), shim: plus(shimPeak, 'MB', 1), target: '', ok: undefined });
  rows.push({ measure: `the server's own peak in each arm (direct: ${fmt(serverPeak('direct'), 1)} MB)`, relay: `${fmt(serverPeak('relay'), 1)} MB`, ...(withPeer ? { peer: `${fmt(serverPeak('peer'), 1)} MB`, vsPeer: '', ahead: undefined } : {}), shim: `${fmt(serverPeak('shim'), 1)} MB`, target: '', ok: undefined });
  const idle = (arm) => MB(raw.memory.afterInit[arm]?.rssKb);
  rows.push({ measure: 'idle RSS after initialize (proxy process; direct: server)', relay: `${fmt(idle('relay'), 1)} MB`, ...versus(`${fmt(idle('peer'), 1)} MB`, idle('shim'), idle('peer'), { show: plus(idle('shim') - idle('peer'), 'MB', 1) }), shim: `${fmt(idle('shim'), 1)} MB`, target: '', ok: undefined });
  for (const [name, ten] of Object.entries(raw.ten ?? {})) {
    const m = Object.fromEntries(Object.entries(ten).map(([arm, ms]) => [arm, median(ms)]));
    rows.push({ measure: `ten started at once, to all ten answers (${name})`, relay: `${times(m.relay / m.direct)} (${fmt(m.relay, 0)} ms)`, ...versus(`${times(m.peer / m.direct)} (${fmt(m.peer, 0)} ms)`, m.shim, m.peer), shim: `${times(m.shim / m.direct)} (${fmt(m.shim, 0)} ms; ${times(m.shim / m.relay)} relay)`, target: '', ok: undefined });
  }
  if (withPeer) {
    // Issue 13: ahead of the peer on every row, measured in the same run (a row without figures counts as behind).
    const compared = rows.filter((r) => r.vsPeer !== '').length;
    const ahead = rows.filter((r) => r.ahead === true).length;
    rows.push({ measure: 'Vanguard ahead of the peer, rows above', relay: '', peer: '', shim: '', vsPeer: `ahead on ${ahead} of ${compared}`, target: 'ahead on every row', ok: ahead === compared });
  }
  return rows;
}

const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'FAIL');

/** The rows as Markdown. */
export function issueMarkdown(rows) {
  if (rows.some((r) => r.peer !== undefined)) {
    return [
      '| vs direct, same run | relay | peer | Vanguard | Vanguard vs peer | Target | Result |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- |',
      ...rows.map((r) => `| ${r.measure} | ${r.relay} | ${r.peer} | ${r.shim} | ${r.vsPeer} | ${r.target} | ${r.ok === undefined ? '' : `**${verdict(r.ok)}**`} |`),
    ].join('\n');
  }
  return [
    '| vs direct, same run | relay | Vanguard | Target | Result |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows.map((r) => `| ${r.measure} | ${r.relay} | ${r.shim} | ${r.target} | ${r.ok === undefined ? '' : `**${verdict(r.ok)}**`} |`),
  ].join('\n');
}

/** The rows as plain text. */
export function issueText(rows) {
  const withPeer = rows.some((r) => r.peer !== undefined);
  const cells = rows.map((r) => (withPeer ? [r.measure, r.relay, r.peer, r.shim, r.vsPeer, r.target, verdict(r.ok)] : [r.measure, r.relay, r.shim, r.target, verdict(r.ok)]));
  const head = withPeer ? ['vs direct, same run', 'relay', 'peer', 'Vanguard', 'Vanguard vs peer', 'target', 'result'] : ['vs direct, same run', 'relay', 'Vanguard', 'target', 'result'];
  const all = [head, ...cells];
  const left = new Set([0, head.indexOf('target')]);
  const widths = head.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  return all.map((row) => row.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}
