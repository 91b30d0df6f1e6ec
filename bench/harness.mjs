// Benchmark harness: a raw NDJSON client over a child's stdio, process stats, and statistics.
// The client is deliberately minimal and identical for the direct and the shimmed path.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER = path.join(root, 'test/fixtures/servers/tiny-server.mjs');
// VANGUARD_BENCH_CLI: benchmark another build of the CLI (e.g. a patched copy) against the same server.
export const CLI = process.env.VANGUARD_BENCH_CLI ? path.resolve(process.env.VANGUARD_BENCH_CLI) : path.join(root, 'bin/vanguard.js');

/** argv for each arm: the server alone, or the server behind `vanguard start` (default policy). */
export const ARMS = {
  direct: [process.execPath, [SERVER]],
  shim: [process.execPath, [CLI, 'start', '--', process.execPath, SERVER]],
};

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
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.stderr.resume(); // audit lines: consumed, never counted
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
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.arm}: no answer to ${method} #${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      const sentAt = performance.now();
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
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

  /** Close stdin and wait for exit (SIGKILL after 5 s). */
  async close() {
    this.child.stdin.end();
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
