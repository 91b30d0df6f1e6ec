// The measurements. Each runs the arms (direct, relay, shim, and peer when VANGUARD_BENCH_PEER
// gives one) in interleaved rounds, rotating which goes first, so drift and noise on a shared
// machine hit every arm alike.
import { performance } from 'node:perf_hooks';
import { ARM_NAMES, Conn, armArgv } from './harness.mjs';

/** Round r runs the arms rotated by r: direct relay shim, relay shim direct, shim direct relay, …
 * (with a peer: direct relay shim peer, relay shim peer direct, …). */
export const order = (round) => ARM_NAMES.map((_, i) => ARM_NAMES[(round + i) % ARM_NAMES.length]);
const byArm = (make) => Object.fromEntries(ARM_NAMES.map((arm) => [arm, make(arm)]));

/** CPU ms used by each arm's own process (the server for direct, the proxy for relay, shim and peer). */
const cpuOf = (conns) => byArm((arm) => conns[arm].cpuMs());
const cpuSince = (conns, before, calls) => byArm((arm) => ({ ms: conns[arm].cpuMs() - before[arm], calls }));
/** The same for each arm's whole process tree (direct: the server; the others: proxy, server and helpers). */
const treeCpuOf = (conns) => byArm((arm) => conns[arm].treeCpuMs());
const treeCpuSince = (conns, before, calls) => byArm((arm) => ({ ms: conns[arm].treeCpuMs() - before[arm], calls }));
export const ECHO_ARGS = { text: 'hello vanguard' };
const ECHO_TEXT = JSON.stringify(ECHO_ARGS);

function checkEcho(answer, arm) {
  if (answer.message.result?.content?.[0]?.text !== ECHO_TEXT) {
    throw new Error(`${arm}: unexpected echo answer ${JSON.stringify(answer.message).slice(0, 200)}`);
  }
}

/** 1. Sequential tools/call round trips; samples in µs, and CPU used by each arm's process over the timed rounds. */
export async function latency(conns, { warmup, rounds, perRound }) {
  const samples = { ...byArm(() => []), perRound };
  for (const arm of ARM_NAMES) {
    for (let i = 0; i < warmup; i++) checkEcho(await conns[arm].request('tools/call', { name: 'echo', arguments: ECHO_ARGS }), arm);
  }
  const cpuBefore = cpuOf(conns);
  const treeBefore = treeCpuOf(conns);
  for (let round = 0; round < rounds; round++) {
    for (const arm of order(round)) {
      for (let i = 0; i < perRound; i++) {
        const answer = await conns[arm].request('tools/call', { name: 'echo', arguments: ECHO_ARGS });
        checkEcho(answer, arm);
        samples[arm].push((answer.arrivedAt - answer.sentAt) * 1000);
      }
    }
  }
  samples.cpu = cpuSince(conns, cpuBefore, rounds * perRound);
  samples.treeCpu = treeCpuSince(conns, treeBefore, rounds * perRound);
  return samples;
}

// The shim refuses requests beyond 10 000 in flight (SESSION_LIMITS.maxPendingClient), answering
// them itself with an error; a pipelined run keeps at most WINDOW calls unanswered so it measures
// forwarding, not refusals. Chunks of CHUNK calls are written as the window allows.
const CHUNK = 500;
const WINDOW = 5000;

/** Send `n` echo calls without waiting for answers (at most WINDOW outstanding); time until the last answer. */
export function pipelined(conn, n, timeoutMs = 60_000) {
  const base = conn.nextId;
  conn.nextId += n;
  const payload = [];
  for (let i = 0; i < n; i += CHUNK) {
    let text = '';
    for (let j = i; j < Math.min(n, i + CHUNK); j++) {
      text += JSON.stringify({ jsonrpc: '2.0', id: base + j, method: 'tools/call', params: { name: 'echo', arguments: ECHO_ARGS } }) + '\n';
    }
    payload.push(text);
  }
  const seen = new Uint8Array(n);
  const result = { n, answered: 0, duplicates: 0, stray: 0, errors: 0, firstError: undefined, ms: NaN, callsPerSec: NaN };
  let written = 0; // chunks
  return new Promise((resolve, reject) => {
    const fail = (error) => {
      clearTimeout(timer);
      conn.onLine = null;
      conn.failers.delete(fail);
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`${conn.arm}: only ${result.answered}/${n} pipelined calls answered within ${timeoutMs} ms`)), timeoutMs);
    conn.failers.add(fail);
    const start = performance.now();
    conn.onLine = (line, arrivedAt) => {
      const message = JSON.parse(line.toString('utf8'));
      const index = message.id - base;
      if (!Number.isInteger(index) || index < 0 || index >= n) return void result.stray++;
      if (seen[index]) return void result.duplicates++;
      seen[index] = 1;
      if (message.error || message.result?.content?.[0]?.text !== ECHO_TEXT) {
        result.errors++;
        result.firstError ??= JSON.stringify(message.error ?? message.result).slice(0, 200);
      }
      if (++result.answered === n) {
        clearTimeout(timer);
        conn.onLine = null;
        conn.failers.delete(fail);
        result.ms = arrivedAt - start;
        result.callsPerSec = n / (result.ms / 1000);
        resolve(result);
      } else {
        while (written < payload.length && written * CHUNK - result.answered <= WINDOW - CHUNK) conn.write(payload[written++]);
      }
    };
    while (written < payload.length && written * CHUNK <= WINDOW - CHUNK) conn.write(payload[written++]);
  });
}

/** pipelined(), failing unless every id was answered exactly once with the echo: a refused call would make the figures another workload's. */
async function pipelinedChecked(conn, n) {
  const r = await pipelined(conn, n);
  const problems = r.duplicates + r.stray + r.errors + (r.n - r.answered);
  if (problems > 0) throw new Error(`${conn.arm}: ${r.answered}/${r.n} pipelined calls answered, ${r.duplicates} twice, ${r.stray} stray, ${r.errors} not the echo (${r.firstError})`);
  return r;
}

/**
 * The bench's sequence on one connection after initialize, for the tools that look at one arm
 * over it (bench/rounds.mjs, bench/rss-parts.mjs): `seq` sequential echo calls, `bigs` results of
 * `bytes`, 2000 pipelined warm-up calls (as throughput's), then `rounds` of `calls` pipelined
 * calls. Every answer is checked as the bench checks it. `at` is told where the session is:
 * at('sequential') after those calls, at('big', i, answer) after each result, and
 * at('round', r) and at('round done', r) around each round.
 */
export async function benchSession(conn, { seq, bigs, bytes, rounds, calls }, at = async () => {}) {
  for (let i = 0; i < seq; i++) checkEcho(await conn.request('tools/call', { name: 'echo', arguments: ECHO_ARGS }), conn.arm);
  await at('sequential');
  for (let i = 0; i < bigs; i++) {
    const answer = await conn.request('tools/call', { name: 'big', arguments: { bytes, tag: `${conn.arm}-${i}-` } }, 60_000);
    const length = answer.message.result?.content?.[0]?.text?.length;
    if (length !== bytes) throw new Error(`${conn.arm}: big result has ${length} bytes of text, expected ${bytes}`);
    await at('big', i, answer);
  }
  await pipelinedChecked(conn, Math.min(calls, 2000));
  for (let round = 0; round < rounds; round++) {
    await at('round', round);
    await pipelinedChecked(conn, calls);
    await at('round done', round);
  }
}

/** 2. Pipelined throughput, `rounds` runs per arm, and CPU used by each arm's process over them. */
export async function throughput(conns, { n, rounds }) {
  const runs = byArm(() => []);
  for (const arm of ARM_NAMES) await pipelined(conns[arm], Math.min(n, 2000)); // warm-up
  const cpuBefore = cpuOf(conns);
  const treeBefore = treeCpuOf(conns);
  for (let round = 0; round < rounds; round++) {
    for (const arm of order(round)) runs[arm].push(await pipelined(conns[arm], n));
  }
  runs.cpu = cpuSince(conns, cpuBefore, rounds * n);
  runs.treeCpu = treeCpuSince(conns, treeBefore, rounds * n);
  return runs;
}

/** 3. One large result: request to the full line received, in ms. */
export async function bigResult(conns, { bytes, rounds }) {
  const ms = byArm(() => []);
  for (let round = -1; round < rounds; round++) {
    for (const arm of order(round + 1)) {
      // A tag of its own per request: no cache can serve a repeat of the same 8 MiB.
      const answer = await conns[arm].request('tools/call', { name: 'big', arguments: { bytes, tag: `${arm}-${round}-` } }, 60_000);
      const length = answer.message.result?.content?.[0]?.text?.length;
      if (length !== bytes) throw new Error(`${arm}: big result has ${length} bytes of text, expected ${bytes}`);
      if (round >= 0) ms[arm].push(answer.arrivedAt - answer.sentAt); // round -1 is the warm-up
    }
  }
  return ms;
}

/** 5. Spawn to the first initialize answer, in ms, on fresh processes, for each server
 * ({ name: [command, args] }); servers and arms interleaved. Round -1 is an untimed warm-up
 * (file cache, module compile cache), so every timed start is process-cold but not disk-cold. */
export async function startup({ rounds }, track, servers, toolsList = undefined) {
  const ms = Object.fromEntries(Object.keys(servers).map((name) => [name, byArm(() => [])]));
  if (toolsList) for (const name of Object.keys(servers)) toolsList[name] = byArm(() => []);
  for (let round = -1; round < rounds; round++) {
    for (const [name, server] of Object.entries(servers)) {
      for (const arm of order(round + 1)) {
        const conn = track(new Conn(`${arm} (${name})`, armArgv(arm, server)));
        const answer = await conn.initialize();
        if (!answer.message.result?.serverInfo) throw new Error(`${arm} (${name}): bad initialize answer ${JSON.stringify(answer.message).slice(0, 200)}`);
        if (round >= 0) ms[name][arm].push(answer.arrivedAt - conn.spawnedAt);
        // `toolsList`: as a client does at once after initialize (its model cannot use a tool
        // before), the tools listed; ms from the spawn to that answer. (Sent after the
        // initialize answer has arrived: the figure above is not changed by it.)
        if (toolsList) {
          const listed = await conn.request('tools/list', {});
          if (!Array.isArray(listed.message.result?.tools)) throw new Error(`${arm} (${name}): bad tools/list answer ${JSON.stringify(listed.message).slice(0, 200)}`);
          if (round >= 0) toolsList[name][arm].push(listed.arrivedAt - conn.spawnedAt);
        }
        await conn.close('SIGTERM'); // not timed; server-everything takes ~0.4 s to exit on EOF
      }
    }
  }
  return ms;
}

/** 6. Ten of an arm started at once (as a client opening with ten servers configured): ms
 * from the first spawn to the last of the ten initialize answers, per round; arms interleaved. */
export async function startupTen({ rounds, count = 10 }, track, server) {
  const ms = byArm(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const arm of order(round)) {
      const began = performance.now();
      const conns = Array.from({ length: count }, () => track(new Conn(`${arm} (ten at once)`, armArgv(arm, server))));
      const answers = await Promise.all(conns.map((conn) => conn.initialize()));
      for (const answer of answers) if (!answer.message.result?.serverInfo) throw new Error(`${arm} (ten at once): bad initialize answer`);
      ms[arm].push(Math.max(...answers.map((a) => a.arrivedAt)) - began);
      await Promise.all(conns.map((conn) => conn.close('SIGTERM')));
    }
  }
  return ms;
}
