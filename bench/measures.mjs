// The measurements. Each runs both arms in interleaved rounds, alternating which goes first,
// so drift and noise on a shared machine hit the direct and the shimmed path alike.
import { performance } from 'node:perf_hooks';
import { Conn } from './harness.mjs';

const order = (round) => (round % 2 === 0 ? ['direct', 'shim'] : ['shim', 'direct']);
const ECHO_ARGS = { text: 'hello vanguard' };
const ECHO_TEXT = JSON.stringify(ECHO_ARGS);

function checkEcho(answer, arm) {
  if (answer.message.result?.content?.[0]?.text !== ECHO_TEXT) {
    throw new Error(`${arm}: unexpected echo answer ${JSON.stringify(answer.message).slice(0, 200)}`);
  }
}

/** 1. Sequential tools/call round trips; samples in µs. */
export async function latency(conns, { warmup, rounds, perRound }) {
  const samples = { direct: [], shim: [] };
  for (const arm of ['direct', 'shim']) {
    for (let i = 0; i < warmup; i++) checkEcho(await conns[arm].request('tools/call', { name: 'echo', arguments: ECHO_ARGS }), arm);
  }
  for (let round = 0; round < rounds; round++) {
    for (const arm of order(round)) {
      for (let i = 0; i < perRound; i++) {
        const answer = await conns[arm].request('tools/call', { name: 'echo', arguments: ECHO_ARGS });
        checkEcho(answer, arm);
        samples[arm].push((answer.arrivedAt - answer.sentAt) * 1000);
      }
    }
  }
  return samples;
}

/** Send `n` echo calls at once, without waiting; time until the last answer. */
function pipelined(conn, n, timeoutMs = 60_000) {
  const base = conn.nextId;
  conn.nextId += n;
  const payload = [];
  for (let i = 0; i < n; i += 500) {
    let text = '';
    for (let j = i; j < Math.min(n, i + 500); j++) {
      text += JSON.stringify({ jsonrpc: '2.0', id: base + j, method: 'tools/call', params: { name: 'echo', arguments: ECHO_ARGS } }) + '\n';
    }
    payload.push(text);
  }
  const seen = new Uint8Array(n);
  const result = { n, answered: 0, duplicates: 0, stray: 0, errors: 0, ms: NaN, callsPerSec: NaN };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.onLine = null;
      reject(new Error(`${conn.arm}: only ${result.answered}/${n} pipelined calls answered within ${timeoutMs} ms`));
    }, timeoutMs);
    const start = performance.now();
    conn.onLine = (line, arrivedAt) => {
      const message = JSON.parse(line.toString('utf8'));
      const index = message.id - base;
      if (!Number.isInteger(index) || index < 0 || index >= n) return void result.stray++;
      if (seen[index]) return void result.duplicates++;
      seen[index] = 1;
      if (message.error || message.result?.content?.[0]?.text !== ECHO_TEXT) result.errors++;
      if (++result.answered === n) {
        clearTimeout(timer);
        conn.onLine = null;
        result.ms = arrivedAt - start;
        result.callsPerSec = n / (result.ms / 1000);
        resolve(result);
      }
    };
    for (const text of payload) conn.write(text);
  });
}

/** 2. Pipelined throughput, `rounds` runs per arm. */
export async function throughput(conns, { n, rounds }) {
  const runs = { direct: [], shim: [] };
  for (const arm of ['direct', 'shim']) await pipelined(conns[arm], Math.min(n, 2000)); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const arm of order(round)) runs[arm].push(await pipelined(conns[arm], n));
  }
  return runs;
}

/** 3. One large result: request to the full line received, in ms. */
export async function bigResult(conns, { bytes, rounds }) {
  const ms = { direct: [], shim: [] };
  for (let round = -1; round < rounds; round++) {
    for (const arm of order(round + 1)) {
      const answer = await conns[arm].request('tools/call', { name: 'big', arguments: { bytes } }, 60_000);
      const length = answer.message.result?.content?.[0]?.text?.length;
      if (length !== bytes) throw new Error(`${arm}: big result has ${length} bytes of text, expected ${bytes}`);
      if (round >= 0) ms[arm].push(answer.arrivedAt - answer.sentAt); // round -1 is the warm-up
    }
  }
  return ms;
}

/** 5. Spawn to the first initialize answer, in ms, on fresh processes. */
export async function startup({ rounds }, track) {
  const ms = { direct: [], shim: [] };
  for (let round = 0; round < rounds; round++) {
    for (const arm of order(round)) {
      const conn = track(new Conn(arm));
      const answer = await conn.initialize();
      if (!answer.message.result?.serverInfo) throw new Error(`${arm}: bad initialize answer`);
      ms[arm].push(answer.arrivedAt - conn.spawnedAt);
      await conn.close();
    }
  }
  return ms;
}
