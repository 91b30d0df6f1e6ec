#!/usr/bin/env node
// What a proxy's resident memory is made of, read from /proc/<pid>/smaps at points of the bench's
// session (initialize, the sequential calls, the first 8 MiB result, the rest of them, 2000
// pipelined warm-up calls and the pipelined rounds), for the relay and the shim side by side: the
// peak RSS row compares the two. Every answer is checked as the bench checks it (measures.mjs benchSession).
// The parts:
//   node binary      pages of the node executable in memory (file-backed: shared with every
//                    other node process on the machine, but counted in each one's RSS);
//   other files      other mapped files (libraries, ICU data);
//   malloc main      glibc's main arena ([heap]): the main thread's malloc, Buffers and
//                    external strings below glibc's mmap threshold;
//   malloc threads   glibc's arenas of other threads (each a 64 MiB-aligned reservation, its used
//                    part read-write): V8's worker threads compile (TurboFan's and Maglev's zones)
//                    and collect there;
//   other anon       the rest of the anonymous memory: V8's heap pages and code, thread stacks,
//                    large buffers malloc maps on their own.
// Each point is a snapshot (RSS then, not the peak); VmHWM, the peak so far, is given beside it.
//
//   node bench/rss-parts.mjs [--seq 12000] [--bigs 6] [--bytes 8388608] [--rounds 5] [--calls 20000]
//                            [--flags="<node flags for the shim, split at spaces>"]
import { readFileSync, realpathSync } from 'node:fs';
import { CLI, Conn, RELAY, SERVER, sessionOptions } from './harness.mjs';
import { benchSession } from './measures.mjs';

const { flags: FLAGS, ...SHAPE } = sessionOptions();

const ARENA_ALIGN = 64n * 1024n * 1024n;
const NODE_BINARY = realpathSync(process.execPath);
const PARTS = ['node binary', 'other files', 'malloc main', 'malloc threads', 'other anon'];

/** RSS (MB) of `pid` by part (see the file comment), with VmRSS and VmHWM; null once it is gone. */
function rssParts(pid) {
  let text;
  let status;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  // Each mapping's part (undefined: counted nowhere) and resident kB.
  const mappings = [];
  // A glibc thread arena: read-write at a 64 MiB boundary, the rest of its 64 MiB reserved
  // (---p) right after it. Its read-write part is taken for one once that reserve is seen.
  let arena;
  let current;
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      const start = BigInt(`0x${m[1]}`);
      const end = BigInt(`0x${m[2]}`);
      const [perms, name] = [m[3], m[4]];
      if (arena !== undefined && name === '' && perms === '---p' && start === arena.end && end - arena.start <= ARENA_ALIGN) arena.mapping.part = 'malloc threads';
      let part = 'other anon';
      if (name === '[heap]') part = 'malloc main';
      else if (name.startsWith('/')) part = name === NODE_BINARY ? 'node binary' : 'other files';
      else if (name.startsWith('[anon')) part = 'other anon'; // a mapping glibc or V8 named
      else if (name.startsWith('[')) part = undefined; // stack, vdso, vvar: a few kB
      current = { part, rssKb: 0 };
      mappings.push(current);
      arena = name === '' && perms === 'rw-p' && start % ARENA_ALIGN === 0n ? { start, end, mapping: current } : undefined;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) current.rssKb = Number(rss[1]);
  }
  const parts = Object.fromEntries(PARTS.map((part) => [part, 0]));
  for (const { part, rssKb } of mappings) if (part !== undefined) parts[part] += rssKb / 1024;
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
  return { ...parts, VmRSS: kb('VmRSS'), VmHWM: kb('VmHWM') };
}

const arms = {
  relay: [process.execPath, [RELAY, process.execPath, SERVER]],
  shim: [process.execPath, [...FLAGS, CLI, 'start', '--', process.execPath, SERVER]],
};
const round1 = (n) => Number(n.toFixed(1));
console.log(`node ${process.version}; shim ${CLI}${FLAGS.length ? ` (${FLAGS.join(' ')})` : ''}; MB of each arm's own process`);
for (const [arm, argv] of Object.entries(arms)) {
  const conn = new Conn(arm, argv);
  const rows = [];
  const note = (point) => {
    const parts = rssParts(conn.pid);
    if (parts) rows.push({ point, ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round1(v)])) });
  };
  await conn.initialize();
  note('initialize');
  await benchSession(conn, SHAPE, async (where, i) => {
    if (where === 'sequential') note(`${SHAPE.seq} sequential`);
    else if (where === 'big' && (i === 0 || i === SHAPE.bigs - 1)) note(i === 0 ? `first ${SHAPE.bytes} B result` : `${SHAPE.bigs} results`);
    else if (where === 'round done' && i === SHAPE.rounds - 1) note(`${SHAPE.rounds} x ${SHAPE.calls} pipelined`);
  });
  await conn.close();
  console.log(`\n${arm}`);
  console.table(rows);
}
