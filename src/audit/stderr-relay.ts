/**
 * Audit lines for stderr through a relay process (a copier, its stdout our fd 2: see
 * stderr-copier.ts for which, and why not simply `cat`), so that no
 * thread of ours ever blocks on a stderr nobody reads. A blocking write in a worker thread is
 * not enough: process.exit joins workers, so a shim whose stderr is full could not even exit.
 * One on a libuv pool thread does not hold an exit (checked on Linux with Node 20, 22 and 24;
 * the queue, stderr-queue.ts, writes so), but it holds one of the pool's threads, which the
 * process's other asynchronous file work shares, for as long as nobody reads. The relay
 * blocks instead; our end of the pipe to it is written asynchronously, and the text not yet
 * taken by it is bounded: past the bound, lines are dropped and counted, and one line says how
 * many once it catches up. On close the relay gets a moment to finish, then is killed by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { findCopier, findCopiers, type Copier } from './stderr-copier.js';
import type { StderrQueue } from './stderr-queue.js';
import { STDERR_EXIT_WAIT_MS, STDERR_QUEUE_BYTES } from './stderr-queue.js';

/**
 * The size of the relay's reused buffer, into which batches are encoded as they come (a
 * batch that might not fit in it gets a buffer of its own).
 */
const SLAB_BYTES = 256 * 1024;
/**
 * Held text is written once it is this long: a write much longer than this is not taken by
 * the pipe at once, and the rest waits for the pipe to say it has room.
 */
const SEND_BYTES = 64 * 1024;
/** The most bytes UTF-8 takes for one UTF-16 unit (a lone surrogate is written as U+FFFD, 3 bytes). */
const MAX_BYTES_PER_UNIT = 3;

/** A relay: the stderr queue, and a close that can be awaited. */
export type StderrRelay = StderrQueue & { closed(waitMs?: number): Promise<void> };

/**
 * Start the relay for fd 2 with `copier` (by default the first choice); undefined when it
 * cannot be started. `onStop` hears of a copier that ended before the relay was closed, unless
 * it died of SIGPIPE (nobody reads stderr any more): what it had been given is then lost.
 */
export function createStderrRelay(
  notice: (dropped: number) => string,
  maxBytes = STDERR_QUEUE_BYTES,
  copier: Copier | undefined = findCopier(),
  onStop?: (code: number | null, signal: NodeJS.Signals | null) => void,
): StderrRelay | undefined {
  if (copier === undefined) return undefined;
  let relay: ChildProcess;
  try {
    // No environment: it needs none, and Perl reads some (PERL5OPT, PERL5LIB) that a user may
    // have set for their own work, and that would make it load code or fail to start.
    relay = spawn(copier.file, copier.args, { stdio: ['pipe', 2, 'ignore'], env: {} });
  } catch {
    return undefined;
  }
  const input = relay.stdin;
  if (input === null || relay.pid === undefined) return undefined;
  // Neither keeps the process alive: exits are decided elsewhere.
  relay.unref();
  (input as unknown as { unref?: () => void }).unref?.();
  let broken = false;
  relay.on('error', () => (broken = true));
  input.on('error', () => (broken = true));
  let droppedLines = 0;
  let reported = 0;
  let closing: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) =>
    relay.once('exit', (code, signal) => {
      broken = true;
      if (closing === undefined && signal !== 'SIGPIPE') onStop?.(code, signal);
      resolve();
    }),
  );
  const report = (): void => {
    if (droppedLines > reported && input.writableLength === 0 && !broken) {
      input.write(notice(droppedLines - reported));
      reported = droppedLines;
    }
  };
  input.on('drain', report);

  const stop = (waitMs: number): Promise<void> => {
    closing ??= (async () => {
      send();
      // Lines dropped and not yet reported are said now, after everything held: the drain
      // that would have reported them may come only after the exit.
      if (!broken && droppedLines > reported) {
        input.write(notice(droppedLines - reported));
        reported = droppedLines;
      }
      if (!broken) input.end();
      // Held (not unref'd) while it lasts: a caller awaiting close() keeps the process up.
      relay.ref();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      // Still blocked on a stderr nobody reads: what it holds is given up.
      if (relay.exitCode === null && relay.signalCode === null) relay.kill('SIGKILL');
    })();
    return closing;
  };

  // Batches taken in one run of the event loop's callbacks (several when the sink writes a
  // long queue in parts) are written to the pipe together, once that run is over (a
  // microtask) or once they reach SEND_BYTES: each write wakes the relay, and a write costs
  // the shim and the relay about as much for a few lines as for many.
  //
  // A batch is encoded at once into `slab`, after what it already holds: the bytes held are
  // slab[heldStart, used), and the pipe is handed that part of it (no copy). The slab is
  // written from its start again only when the pipe holds nothing of ours (then nothing can
  // still be reading it); full while the pipe still holds some of it, it is left to those
  // writes and a new one is taken. A batch is measured by encoding it: when it does not fit
  // under the bound, its bytes are given up (`used` stays) and its lines are counted.
  let slab: Buffer | undefined;
  let used = 0;
  let heldStart = 0;
  let sending = false;
  const send = (): void => {
    sending = false;
    if (used === heldStart || broken || slab === undefined) return;
    const part = slab.subarray(heldStart, used);
    heldStart = used;
    input.write(part);
  };
  // Room for `units` UTF-16 units at `used`, if the slab can be made to have it.
  const roomFor = (units: number): Buffer | undefined => {
    const most = units * MAX_BYTES_PER_UNIT;
    if (slab !== undefined && slab.length - used >= most) return slab;
    if (most > SLAB_BYTES) return undefined;
    // What is held goes first, so that it is not in the way (and keeps its place in order).
    send();
    if (slab === undefined || input.writableLength > 0) slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
    heldStart = 0;
    return slab;
  };
  return {
    write(lines) {
      if (broken || closing !== undefined || lines.length === 0) return;
      if (used === heldStart) {
        report();
        // Nothing held, nothing of ours in the pipe: the slab is free from its start.
        if (input.writableLength === 0) used = heldStart = 0;
      }
      const text = lines.length === 1 ? (lines[0] as string) : lines.join('');
      const into = roomFor(text.length);
      // The bound is in bytes, and the pipe takes the bytes as they are.
      const size = into === undefined ? Buffer.byteLength(text, 'utf8') : into.write(text, used, 'utf8');
      if (input.writableLength + (used - heldStart) + size > maxBytes) {
        droppedLines += lines.length;
        return;
      }
      if (into === undefined) {
        // Longer than the slab (and than SEND_BYTES): written now, after what is held.
        send();
        input.write(Buffer.from(text, 'utf8'));
        return;
      }
      used += size;
      if (used - heldStart >= SEND_BYTES) send();
      else if (!sending) {
        sending = true;
        queueMicrotask(send);
      }
    },
    // Synchronous callers (an exit under way) cannot wait for a pipe, but what is held is
    // handed to it now; close() waits.
    flush: send,
    dropped: () => droppedLines,
    close() {
      void stop(STDERR_EXIT_WAIT_MS);
    },
    // (`waitMs`: how long the relay gets to finish; the first close's wait is the one kept.
    // Tests of what arrives give it longer than an exit would, on a busy machine.)
    closed: (waitMs = STDERR_EXIT_WAIT_MS) => stop(waitMs),
  };
}

/**
 * A relay that outlives its copier: when one stops before the session ends (it could not run,
 * or was killed), the next of `copiers` takes over, and the first line it is given says what
 * happened (`stopped`), since what the stopped one held and what came before its exit was
 * seen are lost. Each copier is tried once. When none is left, `last` (if given) makes the
 * writer that takes over for the rest of the session: the sink gives the in-process queue
 * (stderr-queue.ts), which waits out a non-blocking fd 2 as Perl does. Where `cat` is the
 * only copier (Alpine, distroless), the first full pipe after a Node server made fd 2
 * non-blocking ends it, and without this stderr was silent from then on. Undefined when no
 * copier can be started at all (the caller then uses the queue from the start).
 */
export function createFallbackRelay(
  notice: (dropped: number) => string,
  stopped: (file: string, code: number | null, signal: NodeJS.Signals | null) => string,
  copiers: Iterable<Copier> = findCopiers(),
  maxBytes = STDERR_QUEUE_BYTES,
  last?: () => StderrQueue | undefined,
): StderrRelay | undefined {
  // Taken one at a time, as each is needed (each is looked for on disk only then).
  const left = copiers[Symbol.iterator]();
  let current: StderrRelay | undefined;
  // The writer of last resort, once no copier is left (it is not replaced in turn).
  let lastWriter: StderrQueue | undefined;
  let closing = false;
  // Every stop so far: each copier that takes over is given them all, since those given to a
  // copier that stopped in turn may never have been written.
  const stops: string[] = [];
  const start = (): StderrRelay | undefined => {
    for (let step = left.next(); step.done !== true; step = left.next()) {
      const copier = step.value;
      const relay = createStderrRelay(notice, maxBytes, copier, (code, signal) => {
        if (closing || relay !== current) return;
        stops.push(stopped(copier.file, code, signal));
        current = start();
        if (current === undefined) lastWriter = last?.();
        (current ?? lastWriter)?.write([...stops]);
      });
      if (relay !== undefined) return relay;
    }
    return undefined;
  };
  current = start();
  if (current === undefined) return undefined;
  return {
    write: (lines) => (current ?? lastWriter)?.write(lines),
    flush: () => (current ?? lastWriter)?.flush(),
    dropped: () => (current ?? lastWriter)?.dropped() ?? 0,
    close: () => {
      closing = true;
      current?.close();
      lastWriter?.flush();
      lastWriter?.close();
    },
    closed: (waitMs) => {
      closing = true;
      if (current !== undefined) return current.closed(waitMs);
      lastWriter?.flush(waitMs);
      lastWriter?.close();
      return Promise.resolve();
    },
  };
}
