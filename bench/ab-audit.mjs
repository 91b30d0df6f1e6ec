#!/usr/bin/env node
// In-process A/B of the audit record's cost between builds, interleaved in one run: each
// argument is name=path/to/dist. Every arm gets an audit sink as `vanguard start` makes it
// (redacted arguments, the shipped secret rules after the built-in shapes, stderr through the
// relay process: run with 2>/dev/null) and ROUNDS rounds of 128 x BATCHES records, alternating
// order; each record is fresh, its arguments parsed from text as the proxy's are. Prints the
// median and best ns per record (record + the batch's flush: line making and the relay write;
// LINE=1: the line's making alone), in wall time and in the process's CPU time (all threads).
// MIX=echo: only the pipelined bench's call (echo "hello vanguard"); MIX=typical (default)
// cycles through a few typical calls, with the answers' debug records skipped as at `info`.
//   node bench/ab-audit.mjs old=/tmp/base23/dist new=dist 2>/dev/null
import path from 'node:path';
import { performance } from 'node:perf_hooks';
const arms = process.argv.slice(2).map((a) => { const [name, dir] = a.split('='); return { name, dir: path.resolve(dir) }; });
const ROUNDS = Number(process.env.ROUNDS ?? 30), BATCHES = Number(process.env.BATCHES ?? 40);
const TYPICAL = process.env.MIX === 'echo'
  ? [['echo', '{"text":"hello vanguard"}']]
  : [
    ['echo', '{"text":"hello vanguard"}'],
    ['read_file', '{"path":"/srv/data/reports/2026-q3.md"}'],
    ['run_command', '{"command":"git log --oneline -n 20"}'],
    ['query', '{"sql":"SELECT id, name FROM users WHERE created_at > \'2026-01-01\' LIMIT 50"}'],
    ['fetch_url', '{"url":"https://api.github.com/repos/modelcontextprotocol/servers/issues?state=open"}'],
    ['send_message', '{"channel":"#eng","text":"Deploy finished; all checks green. Thanks everyone!"}'],
  ];
for (const a of arms) {
  const { createAuditSink } = await import(path.join(a.dir, 'audit/sink.js'));
  const { shippedRules } = await import(path.join(a.dir, 'inspect/build.js'));
  const { buildSecretRedactor } = await import(path.join(a.dir, 'inspect/secret-redactor.js'));
  const redact = buildSecretRedactor(shippedRules().rules);
  const { createArgumentProcessor } = await import(path.join(a.dir, 'audit/arguments.js'));
  const { createSecretRedactor } = await import(path.join(a.dir, 'audit/secret-patterns.js'));
  const { decisionMessage, decisionText } = await import(path.join(a.dir, 'audit/record.js'));
  const redactText = createSecretRedactor(redact);
  const processArgs = createArgumentProcessor({ mode: 'redacted', redactKeys: [], redactText });
  const redactValue = createArgumentProcessor({ mode: 'redacted', redactKeys: [], redactText });
  const head = '{"level":30,"time":"2026-12-04T18:38:57.351Z","server":"tiny-server","session":"5f188dac-a576-4dd8-8ce1-ebfa646968cb"';
  a.line = (d) => decisionText(head, d, processArgs, redactValue, redactText, decisionMessage(d, redactText));
  a.sink = createAuditSink({ serverName: 'tiny-server', sessionId: '5f188dac-a576-4dd8-8ce1-ebfa646968cb', stderr: true, arguments: 'redacted', redactKeys: [], chain: false, redactSecrets: redact });
  a.id = 1; a.ns = []; a.cpu = [];
}
// LINE=1: only the line's making (decisionMessage and decisionText, as the sink calls them).
const LINE = process.env.LINE === '1';
const one = LINE ? (a, k) => {
  const [tool, args] = TYPICAL[k % TYPICAL.length];
  const id = a.id++;
  a.out = a.line({ direction: 'client', method: 'tools/call', id, tool, args: JSON.parse(args), verdict: 'forward', rules: ['default'], decisionUs: 40 + (id % 17) });
} : (a, k) => {
  const [tool, args] = TYPICAL[k % TYPICAL.length];
  const id = a.id++;
  a.sink.record({ direction: 'client', method: 'tools/call', id, tool, args: JSON.parse(args), verdict: 'forward', rules: ['default'], decisionUs: 40 + (id % 17) });
  a.sink.record({ direction: 'server', id, verdict: 'forward', rules: [], decisionUs: 12 });
};
const round = (a) => {
  const n = 128 * BATCHES;
  const c = process.cpuUsage();
  const s = performance.now();
  for (let i = 0; i < n; i++) one(a, i);
  a.sink.flush();
  const used = process.cpuUsage(c);
  a.cpu.push(((used.user + used.system) * 1e3) / n);
  return ((performance.now() - s) * 1e6) / n;
};
// Warm-up, and a turn of the loop between rounds so that the relay's pipe is drained.
const turn = () => new Promise((resolve) => setTimeout(resolve, 20));
for (let w = 0; w < 5; w++) for (const a of arms) { round(a); await turn(); }
for (const a of arms) a.cpu = [];
for (let r = 0; r < ROUNDS; r++) for (const a of r % 2 ? arms : [...arms].reverse()) { a.ns.push(round(a)); await turn(); }
const q = (v, p) => { const s = [...v].sort((x, y) => x - y); return s[Math.floor((s.length - 1) * p)]; };
for (const a of arms) console.log(`${a.name.padEnd(8)} ns/record p50 ${q(a.ns, 0.5).toFixed(0).padStart(5)}  best ${q(a.ns, 0).toFixed(0).padStart(5)}  p90 ${q(a.ns, 0.9).toFixed(0).padStart(5)}   process CPU ns/record p50 ${q(a.cpu, 0.5).toFixed(0).padStart(5)}  best ${q(a.cpu, 0).toFixed(0).padStart(5)}`);
for (const a of arms) await a.sink.close();
