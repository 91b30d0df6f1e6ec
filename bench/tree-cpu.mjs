// CPU per pipelined call of every process of the shim's tree (the shim, the server, the audit relay),
// over 200 000 calls pumped as the bench pumps them (chunks of 500, at most 5000 unanswered): the
// run time of every thread (harness.mjs procCpuMs, in nanoseconds where /proc has schedstat), and
// the context switches of every thread per 1000 calls: voluntary ones (the process slept, as a
// server waiting on the proxy for input does) and involuntary ones (it was preempted).
// Interleave builds by hand for an A/B: node bench/tree-cpu.mjs OLD/bin/vanguard.js; node bench/tree-cpu.mjs bin/vanguard.js; ...
// `direct` and `relay` measure the server alone and behind the null relay, the same way.
//   node bench/tree-cpu.mjs [path/to/bin/vanguard.js | direct | relay]
import { readdirSync, readFileSync } from 'node:fs';
const { CLI, Conn, SERVER, armArgv, procCpuMs } = await import('./harness.mjs');
const cli = process.argv[2] ?? CLI;
const argv = cli === 'direct' || cli === 'relay' ? armArgv(cli) : [process.execPath, [cli, 'start', '--', process.execPath, SERVER]];
const ECHO = { name: 'echo', arguments: { text: 'hello vanguard' } };
const conn = new Conn('shim', argv);
await conn.initialize();
for (let i = 0; i < 5; i++) await conn.request('tools/call', ECHO);
const kids = (pid) => { try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; } };
const tree = (pid) => [pid, ...kids(pid).flatMap(tree)];
const cpu = procCpuMs;
// Context switches of every thread of `pid` so far: [voluntary (it slept: waited for input or a
// lock), involuntary (preempted)]. A thread that ends during the run drops out of the second count.
const switches = (pid) => readdirSync(`/proc/${pid}/task`).reduce(([slept, preempted], tid) => {
  try {
    const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    return [slept + Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1]), preempted + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)[1])];
  } catch {
    return [slept, preempted]; // a thread that ended meanwhile
  }
}, [0, 0]);
const comm = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/[\0\s]+/g, ' ').slice(0, 60);
const pids = tree(conn.pid); const before = pids.map(cpu); const switchesBefore = pids.map(switches);
const CHUNK = 500, WINDOW = 5000, R = 10, N = 20000;
for (let round = 0; round < R; round++) {
  const chunks = [];
  for (let i = 0; i < N; i += CHUNK) { let text = ''; for (let j = 0; j < CHUNK; j++) text += JSON.stringify({ jsonrpc: '2.0', id: conn.nextId++, method: 'tools/call', params: ECHO }) + '\n'; chunks.push(text); }
  let answered = 0, written = 0;
  const pump = () => { while (written < chunks.length && written * CHUNK - answered <= WINDOW - CHUNK) conn.write(chunks[written++]); };
  await new Promise((resolve, reject) => (conn.onLine = (line) => { if (line.includes('"error"')) reject(new Error(`an error answer: ${line.slice(0, 200)}`)); if (++answered === N) resolve(); else pump(); }, pump()));
}
const per1000 = (count) => ((count * 1000) / (R * N)).toFixed(1);
pids.forEach((p, i) => {
  const [slept, preempted] = switches(p);
  console.log(((cpu(p) - before[i]) * 1000 / (R * N)).toFixed(2), 'µs/call;', per1000(slept - switchesBefore[i][0]), 'sleeps and', per1000(preempted - switchesBefore[i][1]), 'preemptions per 1000 calls;', comm(p));
});
await conn.close();
