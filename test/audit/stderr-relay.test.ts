/**
 * The stderr relay (a copier process: Perl, or `cat`) with real pipes: every batch arrives byte for byte as
 * its lines' UTF-8, in order, whether it was written while the pipe held nothing (through the
 * relay's reused buffer) or while earlier batches were still on their way, and however large;
 * while nobody reads, lines past the bound are dropped and counted, and once the reader
 * catches up one line says how many went.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectDropsReported } from './helpers.js';

const relayModule = pathToFileURL(path.join(import.meta.dirname, '..', '..', 'dist', 'audit', 'stderr-relay.js')).href;
const queueModule = pathToFileURL(path.join(import.meta.dirname, '..', '..', 'dist', 'audit', 'stderr-queue.js')).href;
const copierModule = pathToFileURL(path.join(import.meta.dirname, '..', '..', 'dist', 'audit', 'stderr-copier.js')).href;
// How long the relay gets to finish in the tests of what arrives (passed into their scripts):
// the exit's own bound (STDERR_EXIT_WAIT_MS, 500 ms) is about a shim's exit, and on a busy machine
// `cat` can need longer to hand megabytes to a reader. The test of a close before stderr has
// drained keeps that bound.
const LONG_WAIT_MS = 20_000;

// Runs `script` (an ES module) and gives its stdout and stderr as bytes; stderr is read only
// once stdout has said `go` when `holdStderr` is set.
async function run(script: string, holdStderr = false): Promise<{ out: Buffer; err: Buffer }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  if (holdStderr) child.stderr.pause();
  child.stdout.on('data', (chunk: Buffer) => {
    out.push(chunk);
    if (holdStderr && Buffer.concat(out).includes('go\n')) child.stderr.resume();
  });
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  // 'close', not 'exit': the pipes may still hold what the child wrote last.
  await new Promise((resolve) => child.on('close', resolve));
  return { out: Buffer.concat(out), err: Buffer.concat(err) };
}

it('delivers every batch as its UTF-8 bytes, in order, written at once or after others', async () => {
  const script = `
    import { createStderrRelay } from '${relayModule}';
    const relay = createStderrRelay((n) => 'DROPPED ' + n + '\\n', 64 << 20);
    const kinds = ['plain ascii', 'é and ü', '😀 pair', 'lone \\ud800 half', 'quote " back \\\\', '\\u2028 sep', 'x'.repeat(900)];
    const line = (i) => '{"n":' + i + ',"text":"' + kinds[i % kinds.length] + '"}\\n';
    const expected = [];
    let n = 0;
    const batch = (size) => {
      const lines = [];
      for (let i = 0; i < size; i++) lines.push(line(n++));
      expected.push(Buffer.from(lines.join(''), 'utf8'));
      relay.write(lines);
    };
    const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
    // One line, then batches one after the other (later ones while earlier are on their way).
    batch(1);
    for (let i = 0; i < 40; i++) batch(128);
    await pause();
    // After a pause (the pipe holds nothing): long, then shorter, then long again.
    for (const size of [400, 3, 128, 1, 700, 2]) { batch(size); await pause(); }
    // Larger than the reused buffer.
    batch(2000);
    await pause();
    batch(5);
    await relay.closed(${LONG_WAIT_MS});
    // No exit: stdout is a pipe, and an exit would cut what it still holds.
    process.stdout.write(Buffer.concat(expected));
  `;
  const { out, err } = await run(script);
  expect(out.length).toBeGreaterThan(1_000_000);
  // (The length first: a failure then says whether bytes went missing or changed.)
  expect(err.length).toBe(out.length);
  expect(err.equals(out)).toBe(true);
}, 30_000);

it('writes exactly the batches it kept, in order, when it drops others while stderr is not read', async () => {
  // Batches of varied sizes and characters (multi-byte, lone surrogates, lines longer than
  // the relay's reused buffer) are encoded as they come, so a batch that does not fit under
  // the bound has been encoded before it is refused: none of its bytes may reach stderr, and
  // those kept before and after it must arrive whole while earlier writes are still pending.
  const script = `
    import { createStderrRelay } from '${relayModule}';
    const relay = createStderrRelay((n) => 'DROPPED ' + n + '\\n', 600 * 1024);
    const kinds = ['plain', 'é ü ß', '😀😀', 'lone \\udc00 \\ud800 halves', '\\u2028\\u2029', '日本語のテキスト'];
    const kept = [];
    let n = 0;
    let keptLines = 0;
    const batch = (size, width) => {
      const lines = [];
      for (let i = 0; i < size; i++, n++) lines.push('{"n":' + n + ',"t":"' + kinds[n % kinds.length].repeat(width) + '"}\\n');
      const before = relay.dropped();
      relay.write(lines);
      if (relay.dropped() === before) {
        kept.push(Buffer.from(lines.join(''), 'utf8'));
        keptLines += size;
      } else if (relay.dropped() !== before + size) throw new Error('a batch was dropped in part');
    };
    for (let round = 0; round < 30; round++) {
      batch(128, 1 + (round % 7));
      batch(1, 20000 * (round % 3));
      batch(3, 500);
    }
    const dropped = relay.dropped();
    process.stdout.write('kept ' + keptLines + ' dropped ' + dropped + '\\ngo\\n');
    // Once the parent reads: the notice, then one more batch, then everything kept as expected.
    setTimeout(async () => {
      batch(2, 3);
      await relay.closed(${LONG_WAIT_MS});
      const notice = Buffer.from('DROPPED ' + dropped + '\\n');
      const expected = Buffer.concat([...kept.slice(0, -1), notice, kept.at(-1)]);
      process.stdout.write('expected ' + expected.toString('base64') + '\\n');
    }, 1500);
  `;
  const { out, err } = await run(script, true);
  const text = out.toString();
  const [, keptLines, dropped] = /kept (\d+) dropped (\d+)/.exec(text) ?? [];
  expect(Number(dropped)).toBeGreaterThan(0);
  expect(Number(keptLines)).toBeGreaterThan(0);
  const expected = Buffer.from(/expected (\S+)/.exec(text)?.[1] ?? '', 'base64');
  expect(expected.length).toBeGreaterThan(600 * 1024);
  expect(err.length).toBe(expected.length);
  expect(err.equals(expected)).toBe(true);
}, 30_000);

it('delivers every byte when fd 2 has been made non-blocking by another process sharing it, and its reader lags', async () => {
  // fd 2 is one open file shared with the server and often the client: a Node process that
  // touches its process.stderr sets O_NONBLOCK on it for everyone (libuv), as every Node MCP
  // server does. Here the script does it itself. `cat` got EAGAIN once the reader fell behind
  // and exited: 268 550 of 2 020 890 bytes arrived, and nothing said so.
  const script = `
    import { readFileSync } from 'node:fs';
    import { createStderrRelay } from '${relayModule}';
    const nonBlocking = () => process.platform !== 'linux' ? 'unknown' : String((parseInt(/^flags:\\s*(\\d+)/m.exec(readFileSync('/proc/self/fdinfo/2', 'utf8'))[1], 8) & 0o4000) !== 0);
    const before = nonBlocking();
    const relay = createStderrRelay((n) => 'DROPPED ' + n + '\\n', 64 << 20);
    process.stderr;
    const expected = [];
    for (let i = 0; i < 2000; i++) {
      const line = 'line ' + i + ' ' + 'é'.repeat(i % 7) + 'x'.repeat(1000) + '\\n';
      expected.push(line);
      relay.write([line]);
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Past anything the pipe holds, while the parent does not read.
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.stdout.write('before ' + before + ' after ' + nonBlocking() + ' dropped ' + relay.dropped() + '\\ngo\\n');
    await relay.closed(${LONG_WAIT_MS});
    process.stdout.write('expected ' + Buffer.from(expected.join('')).toString('base64') + '\\n');
  `;
  const { out, err } = await run(script, true);
  const text = out.toString();
  if (process.platform === 'linux') expect(text).toContain('before false after true');
  expect(text).toContain(' dropped 0\n');
  const expected = Buffer.from(/expected (\S+)/.exec(text)?.[1] ?? '', 'base64');
  expect(expected.length).toBeGreaterThan(2_000_000);
  expect(err.length).toBe(expected.length);
  expect(err.equals(expected)).toBe(true);
}, 30_000);

it('is not changed by the Perl settings of the environment it is started from', async () => {
  // A user's PERL5OPT naming a module that is not there stops perl before it copies a byte.
  const script = `
    process.env.PERL5OPT = '-MNo::Such::Vanguard::Module';
    process.env.PERL5LIB = '/nonexistent';
    const { createStderrRelay } = await import('${relayModule}');
    const relay = createStderrRelay((n) => 'DROPPED ' + n + '\\n');
    relay.write(['one\\n', 'two\\n']);
    await relay.closed(${LONG_WAIT_MS});
  `;
  const { err } = await run(script);
  expect(err.toString()).toBe('one\ntwo\n');
}, 30_000);

it('drops and counts lines while stderr is not read, and says how many once it drains', async () => {
  const script = droppingScript(`
    // Once the parent reads, the pipe drains; the notice follows, then the last line.
    setTimeout(async () => { relay.write(['last\\n']); await relay.closed(${LONG_WAIT_MS}); process.exit(0); }, 1500);
  `);
  const { out, err } = await run(script, true);
  expectDropsReported(out.toString(), err.toString('utf8'), 2000);
}, 30_000);

it('hands what it holds to the pipe on flush(), so an exit right after still writes it', async () => {
  const script = `
    import { createStderrRelay } from '${relayModule}';
    const relay = createStderrRelay((n) => 'DROPPED ' + n + '\\n');
    relay.write(['first\\n', 'second\\n']);
    relay.write(['third\\n']);
    relay.flush();
    // As the shim's exit handler does: no turn of the event loop after the flush.
    process.exit(0);
  `;
  const { err } = await run(script);
  expect(err.toString()).toBe('first\nsecond\nthird\n');
}, 30_000);

it('says how many lines it dropped when it closes before stderr has drained', async () => {
  // A shim that exits while stderr is still behind: the notice cannot wait for a drain that
  // comes after the exit, so it goes with the last bytes the relay is given.
  const script = droppingScript(`
    await relay.closed();
    process.exit(0);
  `);
  const { out, err } = await run(script, true);
  expectDropsReported(out.toString(), err.toString('utf8'), 2000, true);
}, 30_000);

// A script whose relay (bound 64 KiB) is given 2000 lines of 1 KB while the parent does not
// read its stderr, says on stdout how many it dropped and `go`, then runs `then`.
function droppingScript(then: string): string {
  return `
    import { createStderrRelay } from '${relayModule}';
    const relay = createStderrRelay((n) => 'DROPPED ' + n + '\\n', 64 * 1024);
    const line = (i) => 'line ' + i + ' ' + 'x'.repeat(1000) + '\\n';
    for (let i = 0; i < 2000; i++) relay.write([line(i)]);
    process.stdout.write('dropped ' + relay.dropped() + '\\ngo\\n');
${then}`;
}

describe('a relay whose copier stops before the session ends', () => {
  // Copiers that stop at once, without reading: by exiting with 2, by SIGKILL, by SIGPIPE.
  const exits = "{ file: '/bin/sh', args: ['-c', 'exit 2'] }";
  const killed = "{ file: '/bin/sh', args: ['-c', 'kill -KILL $$'] }";
  const piped = "{ file: '/bin/sh', args: ['-c', 'kill -PIPE $$'] }";
  // `lastResort`: the in-process queue takes over when no copier is left.
  const script = (copiers: string, lastResort = false) => `
    import { createFallbackRelay } from '${relayModule}';
    import { findCopiers } from '${copierModule}';
    const copiers = ${copiers};
    import { createStderrQueue } from '${queueModule}';
    const relay = createFallbackRelay((n) => 'DROPPED ' + n + '\\n', (file, code, signal) => 'STOPPED ' + file + ' ' + code + ' ' + signal + '\\n', copiers, 1 << 20, ${lastResort ? "() => createStderrQueue(2, (n) => 'DROPPED ' + n + '\\n')" : 'undefined'});
    relay.write(['before\\n']);
    // Time for the first copier's exit to be seen (nothing else waits on it).
    await new Promise((resolve) => setTimeout(resolve, 500));
    relay.write(['after\\n']);
    await relay.closed(${LONG_WAIT_MS});
    process.stdout.write('closed\\n');
  `;

  it('hands over to the next copier, whose first line says which stopped and how', async () => {
    const { out, err } = await run(script(`[${exits}, ...findCopiers()]`));
    expect(out.toString()).toBe('closed\n');
    expect(err.toString()).toBe('STOPPED /bin/sh 2 null\nafter\n');
  }, 30_000);

  it('hands over when the copier is killed, and tries each copier once', async () => {
    const { out, err } = await run(script(`[${killed}, ${exits}, ...findCopiers()]`));
    expect(out.toString()).toBe('closed\n');
    expect(err.toString()).toBe('STOPPED /bin/sh null SIGKILL\nSTOPPED /bin/sh 2 null\nafter\n');
  }, 30_000);

  it('does not hand over when the copier died of SIGPIPE (nobody reads stderr), nor when none is left and no last writer is given', async () => {
    const none = await run(script(`[${exits}]`));
    expect(none.out.toString()).toBe('closed\n');
    expect(none.err.toString()).toBe('');
    const pipe = await run(script(`[${piped}, ...findCopiers()]`, true));
    expect(pipe.out.toString()).toBe('closed\n');
    expect(pipe.err.toString()).toBe('');
  }, 30_000);

  it('hands over to the last writer (the in-process queue) when no copier is left, and says which stopped', async () => {
    const { out, err } = await run(script(`[${killed}, ${exits}]`, true));
    expect(out.toString()).toBe('closed\n');
    expect(err.toString()).toBe('STOPPED /bin/sh null SIGKILL\nSTOPPED /bin/sh 2 null\nafter\n');
  }, 30_000);

  it('where `cat` is the only copier and a non-blocking fd 2 ends it, the queue takes over and loses nothing after', async () => {
    // Alpine and distroless images have no perl: `cat` exits at its first EAGAIN once a Node
    // server has made fd 2 non-blocking (see stderr-copier.ts), and stderr used to stay silent.
    const cat = ['/bin/cat', '/usr/bin/cat'].find((file) => existsSync(file));
    if (cat === undefined) throw new Error('no cat to test with');
    const alone = `
    import { readFileSync } from 'node:fs';
    import { createFallbackRelay } from '${relayModule}';
    import { createStderrQueue } from '${queueModule}';
    const notice = (n) => 'DROPPED ' + n + '\\n';
    const relay = createFallbackRelay(notice, (file, code, signal) => 'STOPPED ' + file + ' ' + code + ' ' + signal + '\\n', [{ file: '${cat}', args: [] }], 64 << 20, () => createStderrQueue(2, notice, 64 << 20));
    process.stderr;
    const nonBlocking = process.platform !== 'linux' ? 'unknown' : String((parseInt(/^flags:\\s*(\\d+)/m.exec(readFileSync('/proc/self/fdinfo/2', 'utf8'))[1], 8) & 0o4000) !== 0);
    // Far more than the pipes and cat's buffer hold, while the parent does not read: cat stops.
    for (let i = 0; i < 2000; i++) relay.write(['early ' + i + ' ' + 'x'.repeat(1000) + '\\n']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const late = [];
    for (let i = 0; i < 2000; i++) {
      const line = 'late ' + i + ' ' + 'é'.repeat(i % 7) + 'y'.repeat(1000) + '\\n';
      late.push(line);
      relay.write([line]);
    }
    // Still not read: the queue meets a full, non-blocking pipe too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.stdout.write('nonblocking ' + nonBlocking + ' dropped ' + relay.dropped() + '\\ngo\\n');
    await relay.closed(${LONG_WAIT_MS});
    process.stdout.write('late ' + Buffer.from(late.join('')).toString('base64') + '\\n');
    `;
    const { out, err } = await run(alone, true);
    const text = out.toString();
    if (process.platform === 'linux') expect(text).toContain('nonblocking true dropped 0\n');
    const late = Buffer.from(/late (\S+)/.exec(text)?.[1] ?? '', 'base64');
    expect(late.length).toBeGreaterThan(2_000_000);
    // What cat had not written when it stopped is lost (the stop line says so); from the stop
    // line on, every byte.
    const stop = Buffer.from(`STOPPED ${cat} 1 null\n`);
    const at = err.indexOf(stop);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(err.subarray(at + stop.length).equals(late)).toBe(true);
  }, 60_000);
});
