// Benchmark harness: a raw NDJSON client over a child's stdio, process stats, and statistics.
// The client is deliberately minimal and identical for the direct and the shimmed path.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER = path.join(root, 'test/fixtures/servers/tiny-server.mjs');
// VANGUARD_BENCH_CLI: benchmark another build of the CLI (e.g. a patched copy) against the same server.
export const CLI = process.env.VANGUARD_BENCH_CLI ? path.resolve(process.env.VANGUARD_BENCH_CLI) : path.join(root, 'bin/vanguard.js');

/** A real SDK-based server, for the startup comparison (stdio is its default transport). */
export const EVERYTHING = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
/** The reference filesystem server, which users put the shim in front of most (it takes the directories it may serve). */
export const FILESYSTEM = path.join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
/** Our null proxy: spawns the server and pipes bytes both ways, parsing nothing. */
export const RELAY = path.join(root, 'bench/null-relay.mjs');

/** VANGUARD_BENCH_PEER: another stdio proxy to measure as a fourth arm, `peer` (e.g. another MCP
 * firewall), as a command line that takes the server's command and arguments after it:
 * VANGUARD_BENCH_PEER="npx -y some-mcp-proxy --". Split as a shell would split simple quoting. */
export const PEER_LINE = process.env.VANGUARD_BENCH_PEER?.trim() || undefined;
export const PEER = PEER_LINE === undefined ? undefined : await splitPeer(PEER_LINE);

/** The peer's argv; loaded only with a peer, so the bench runs without it as before. */
async function splitPeer(line) {
  let splitCommand;
  try {
    ({ splitCommand } = await import('../dist/cli/split-command.js'));
  } catch (error) {
    throw new Error(`peer arm: cannot load dist/cli/split-command.js to split VANGUARD_BENCH_PEER (run npm run build): ${error.message}`);
  }
  const split = splitCommand(line);
  if (!split.ok) throw new Error(`peer arm: VANGUARD_BENCH_PEER=${JSON.stringify(line)} cannot be split: ${split.message}`);
  return split.argv;
}

/** The arms, in their base order (the peer last, when there is one); every measure rotates this order per round. */
export const ARM_NAMES = ['direct', 'relay', 'shim', ...(PEER ? ['peer'] : [])];

/** argv for an arm in front of a server ([command, args]): the server alone, behind the null relay,
 * behind `vanguard start` (default policy), or behind the peer's command line. */
export function armArgv(arm, [command, args] = [process.execPath, [SERVER]]) {
  if (arm === 'direct') return [command, args];
  if (arm === 'relay') return [process.execPath, [RELAY, command, ...args]];
  if (arm === 'shim') return [process.execPath, [CLI, 'start', '--', command, ...args]];
  if (arm === 'peer' && PEER) return [PEER[0], [...PEER.slice(1), command, ...args]];
  throw new Error(`unknown arm ${arm}`);
}

/** argv for each arm in front of tiny-server. */
export const ARMS = Object.fromEntries(ARM_NAMES.map((arm) => [arm, armArgv(arm)]));

/** One connection: a spawned process we talk NDJSON to. */
export class Conn {
  /** `arm` names an entry of ARMS; `argv` ([command, args]) overrides it (e.g. for profiling). */
  constructor(arm, argv = ARMS[arm]) {
    const [command, args] = argv;
    this.arm = arm;
    this.spawnedAt = performance.now();
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.nextId = 1;
    this.pending = new Map(); // id -> resolve(line, arrivedAt)
    this.onLine = null; // optional override: (line: Buffer, arrivedAt: number) => void
    this.chunks = [];
    this.stderrTail = ''; // audit lines are consumed and not counted; the tail explains a failure
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text) => (this.stderrTail = (this.stderrTail + text).slice(-2000)));
    // A command that cannot be spawned (not found, not executable) emits 'error' and never 'exit'.
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    void this.exited.then(({ code, signal, error }) => {
      const why = error ? `could not be started (${command}: ${error.message})` : `exited (code ${code}, signal ${signal}) while waiting for answers; its stderr ends with:\n${this.stderrTail.slice(-600)}`;
      this.gone = new Error(`${this.arm} ${why}`);
      for (const fail of this.failers) fail(this.gone);
    });
    this.failers = new Set();
    this.child.stdin.on('error', () => {});
    this.child.stdout.on('data', (chunk) => this.#data(chunk));
  }

  #data(chunk) {
    let start = 0;
    let nl = chunk.indexOf(10);
    while (nl !== -1) {
      const arrivedAt = performance.now();
      let line = chunk.subarray(start, nl);
      if (this.chunks.length > 0) {
        this.chunks.push(line);
        line = Buffer.concat(this.chunks);
        this.chunks = [];
      }
      this.#line(line, arrivedAt);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.chunks.push(chunk.subarray(start));
  }

  #line(line, arrivedAt) {
    try {
      this.#dispatch(line, arrivedAt);
    } catch (error) {
      // A line that is not JSON (a banner or log on stdout) fails what waits, naming the arm.
      const failure = new Error(`${this.arm}: cannot read its stdout line ${JSON.stringify(line.toString('utf8').slice(0, 200))}: ${error.message}`);
      this.broken = failure; // nothing may be waiting yet: the next request fails instead
      for (const fail of this.failers) fail(failure);
    }
  }

  #dispatch(line, arrivedAt) {
    if (this.onLine) return this.onLine(line, arrivedAt);
    const message = JSON.parse(line.toString('utf8'));
    const resolve = this.pending.get(message.id);
    if (!resolve) return;
    this.pending.delete(message.id);
    resolve({ message, arrivedAt, bytes: line.length });
  }

  write(text) {
    return this.child.stdin.write(text);
  }

  /** Send one request; resolves with { message, sentAt, arrivedAt, bytes }. */
  request(method, params, timeoutMs = 30_000) {
    if (this.broken ?? this.gone) return Promise.reject(this.broken ?? this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const fail = (error) => {
        clearTimeout(timer);
        this.pending.delete(id);
        this.failers.delete(fail);
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`${this.arm}: no answer to ${method} #${id} within ${timeoutMs} ms; stderr ends with:\n${this.stderrTail.slice(-600)}`)), timeoutMs);
      this.failers.add(fail);
      const sentAt = performance.now();
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        this.failers.delete(fail);
        resolve({ ...answer, sentAt });
      });
      this.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  async initialize() {
    const answer = await this.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'vanguard-bench', version: '1' },
    });
    this.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    return answer;
  }

  /** /proc/<pid>/status of the spawned process, in kB. */
  memory() {
    return procMemory(this.pid);
  }

  /** CPU time (user + system, all threads) the spawned process has used so far, in ms. */
  cpuMs() {
    return procCpuMs(this.pid);
  }

  /** The same for the whole process tree (the proxy and the server behind it, its helpers). */
  treeCpuMs() {
    return procTreeCpuMs(this.pid);
  }

  /** Summed VmRSS and VmHWM of the process tree, in kB; with `server` ([command, args]), the server's own too (procTreeMemory). */
  treeMemory(server) {
    return procTreeMemory(this.pid, server);
  }

  /** Close stdin and wait for exit (SIGKILL after 5 s). With `signal`, send it instead of closing
   * stdin (relay and shim forward it to the server): quicker where the server takes its time to exit. */
  async close(signal) {
    if (signal) this.child.kill(signal);
    else this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** VmRSS and VmHWM of a process in kB, or null when /proc is not there. */
export function procMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

let ticksPerSecond;
/**
 * CPU time of a process in ms, or NaN: the run time of each of its threads now alive, summed
 * from /proc/<pid>/task/<tid>/schedstat (nanoseconds); where that cannot be read (or reads
 * nothing, as where the kernel keeps no schedstat), utime + stime from /proc/<pid>/stat (clock
 * ticks, 10 ms each, utime and stime rounded down apart). The tick read a CPU figure only to
 * within a tick or two at each end: for a server that takes some 250 ms over the pipelined
 * rounds, 4-8 % either way, the margin some ratios were decided by. A thread that ended
 * between two reads takes its time out of the second: CPU_SOURCE.threadsEnded counts the
 * threads seen once and gone at a later read of the same process, so a report can say so.
 */
export function procCpuMs(pid) {
  const ns = threadsRunNs(pid);
  if (ns !== undefined) {
    noteSource('schedstat');
    return ns / 1e6;
  }
  const ms = statCpuMs(pid);
  if (!Number.isNaN(ms)) noteSource('stat');
  return ms;
}

/**
 * Where procCpuMs read: `source` is 'schedstat' (ns), 'stat' (clock ticks) or 'mixed' (both,
 * in one run), undefined before any read; `threadsEnded` as above.
 */
export const CPU_SOURCE = { source: undefined, threadsEnded: 0 };

function noteSource(source) {
  CPU_SOURCE.source = CPU_SOURCE.source === undefined || CPU_SOURCE.source === source ? source : 'mixed';
}

// The threads each process had at its last read (see procCpuMs).
const threadsSeen = new Map();

/**
 * Each live thread of `pid` with its run time in ns (the first field of its schedstat), or
 * undefined where the process cannot be read. A thread that ends meanwhile is left out.
 */
export function threadRunTimes(pid) {
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const threads = [];
  for (const tid of tasks) {
    try {
      threads.push({ tid, ns: Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) });
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return threads;
}

// The run time of a process's threads now alive, in ns, or undefined where it cannot be read or
// reads no time at all.
function threadsRunNs(pid) {
  const threads = threadRunTimes(pid);
  if (threads === undefined) return undefined;
  let ns = 0;
  const read = new Set();
  for (const thread of threads) {
    ns += thread.ns;
    read.add(thread.tid);
  }
  if (read.size === 0 || !Number.isFinite(ns) || ns <= 0) return undefined;
  const before = threadsSeen.get(pid);
  if (before !== undefined) for (const tid of before) if (!read.has(tid)) CPU_SOURCE.threadsEnded++;
  threadsSeen.set(pid, read);
  return ns;
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (clock-tick resolution), or NaN. */
export function statCpuMs(pid) {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) || 100;
  } catch {
    ticksPerSecond = 100;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3, state
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond; // fields 14, 15
  } catch {
    return NaN;
  }
}

/** Aggregate CPU counters from /proc/stat (clock ticks), to report steal over a run; null without /proc. */
export function procCpuTotals() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest times are already counted in user)
    return { total: ticks.slice(0, 8).reduce((a, b) => a + b, 0), idle: ticks[3] + ticks[4], steal: ticks[7] ?? 0 };
  } catch {
    return null;
  }
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The pids of a process and all its descendants (from /proc/<pid>/task/<tid>/children), or [pid] without /proc. */
export function procTree(pid) {
  const out = [];
  const visit = (p) => {
    out.push(p);
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8');
      } catch {}
      for (const child of children.split(' ').filter(Boolean)) visit(Number(child));
    }
  };
  visit(pid);
  return out;
}

/** CPU ms of a process and its descendants now alive (a child that exited is not counted). */
export function procTreeCpuMs(pid) {
  return procTree(pid).reduce((sum, p) => sum + (procCpuMs(p) || 0), 0);
}

/**
 * Sum of VmRSS and of VmHWM (kB) over a process and its descendants: the peak is an upper bound.
 * `server` ([command, args]): the same sums over the processes of the tree started as that
 * command line exactly (the server, in any arm), as serverRssKb and serverHwmKb, so that what
 * the proxy's own processes hold can be told from what the server holds.
 */
export function procTreeMemory(pid, server) {
  const serverLine = server === undefined ? undefined : [server[0], ...server[1]].join('\0');
  let rssKb = 0;
  let hwmKb = 0;
  let serverRssKb = 0;
  let serverHwmKb = 0;
  for (const p of procTree(pid)) {
    const m = procMemory(p);
    if (!m) continue;
    rssKb += m.rssKb || 0;
    hwmKb += m.hwmKb || 0;
    if (serverLine !== undefined && procCommandLine(p) === serverLine) {
      serverRssKb += m.rssKb || 0;
      serverHwmKb += m.hwmKb || 0;
    }
  }
  return server === undefined ? { rssKb, hwmKb } : { rssKb, hwmKb, serverRssKb, serverHwmKb };
}

/** A process's command line, its arguments joined by NUL (as /proc has it, without the last), or undefined. */
function procCommandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The options of a run over the bench's own session (bench/rounds.mjs, bench/rss-parts.mjs): its
 * shape as whole numbers (`--seq` sequential calls, `--bigs` results of `--bytes`, `--rounds` of
 * `--calls` pipelined calls), any `extra` whole-number options ({ name: default }), and `--flags`,
 * node flags for the shim split at spaces (so a value cannot hold one).
 */
export function sessionOptions(extra = {}) {
  const numbers = { seq: '12000', bigs: '6', bytes: String(8 << 20), rounds: '5', calls: '20000', ...extra };
  const options = Object.fromEntries(Object.entries(numbers).map(([name, value]) => [name, { type: 'string', default: value }]));
  const { values } = parseArgs({ options: { ...options, flags: { type: 'string', default: '' } } });
  const read = {};
  for (const name of Object.keys(numbers)) {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, not ${values[name]}`);
    read[name] = n;
  }
  return { ...read, flags: values.flags.split(' ').filter(Boolean) };
}
