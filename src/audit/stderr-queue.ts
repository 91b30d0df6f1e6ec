/**
 * The fallback where there is no copier to relay through (Windows; see stderr-relay.ts, which
 * is used elsewhere), and the last resort once every copier has stopped (createFallbackRelay):
 * audit lines for stderr, written off the protocol path. A client that never reads our
 * stderr fills the pipe after ~64 KiB; a write to fd 2 then blocks, and with it every frame
 * and signal the main thread handles. So the blocking write runs in a worker thread, and
 * the main thread only hands it text while the text not yet written stays under a bound.
 * Past the bound, lines are dropped and counted (the audit file, not stderr, is the record
 * that must not lose anything); once the worker catches up, one line says how many went.
 *
 * Not O_NONBLOCK on fd 2: the server inherits the same open file description, and the flag
 * would change how its own stderr writes behave.
 */
import { Worker } from 'node:worker_threads';

/** What the sink needs from a stderr writer. */
export interface StderrQueue {
  /** Queue whole lines; dropped (and counted) when too much is still unwritten. */
  write(lines: string[]): void;
  /** Wait at most `waitMs` for the queued text to be written (exit paths). */
  flush(waitMs?: number): void;
  /** Lines dropped so far because stderr was not being read. */
  dropped(): number;
  close(): void;
}

/** Unwritten text allowed before lines are dropped. */
export const STDERR_QUEUE_BYTES = 1024 * 1024;
/** How long an exit waits for queued stderr lines (a reader that keeps up needs far less). */
export const STDERR_EXIT_WAIT_MS = 500;

// The worker (either module type: built-ins through process.getBuiltinModule). Its writes
// are fs.write, so the blocking write(2) waits on a libuv pool thread, not on the worker's
// own: the worker stays free to be terminated, and an exit never waits to join a thread
// stuck on a pipe nobody reads (process.exit joins worker threads, not pool threads).
// done[0] counts finished batches. EAGAIN (someone set O_NONBLOCK on the shared description)
// is waited out; any other error (EPIPE: the reader went away) ends the writing for good.
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { write } = process.getBuiltinModule('node:fs');
const done = new Int32Array(workerData.shared);
const queue = [];
let writing = false;
let broken = false;
const finish = () => {
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
};
const next = () => {
  if (writing) return;
  const item = queue[0];
  if (item === undefined) return;
  if (broken || item.offset >= item.buffer.length) {
    queue.shift();
    finish();
    next();
    return;
  }
  writing = true;
  write(workerData.fd, item.buffer, item.offset, item.buffer.length - item.offset, null, (error, written) => {
    writing = false;
    if (error) {
      if (error.code === 'EAGAIN') { setTimeout(next, 5); return; }
      broken = true;
    } else item.offset += written;
    next();
  });
};
parentPort.on('message', (text) => {
  queue.push({ buffer: Buffer.from(text, 'utf8'), offset: 0 });
  next();
});
`;

/** Start the writer for `fd` (2). `notice(n)` makes the line that reports n dropped lines. */
export function createStderrQueue(fd: number, notice: (dropped: number) => string, maxBytes = STDERR_QUEUE_BYTES): StderrQueue {
  const shared = new SharedArrayBuffer(4);
  const done = new Int32Array(shared);
  // Own flags only: an inherited --input-type=module would read the source as a module.
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { fd, shared }, execArgv: [] });
  // Neither the worker nor its port keeps the process alive: exits are decided elsewhere.
  worker.unref();
  worker.on('error', () => undefined);
  // Sizes of the batches handed over, oldest first; those the worker finished are removed.
  const sizes: number[] = [];
  let head = 0;
  let posted = 0;
  let settled = 0;
  let pending = 0;
  let droppedLines = 0;
  let reported = 0;
  let closed = false;

  const settle = (): void => {
    const finished = Atomics.load(done, 0);
    for (; settled < finished; settled++) pending -= sizes[head++] as number;
    if (head > 1024 && head * 2 > sizes.length) {
      sizes.splice(0, head);
      head = 0;
    }
  };
  const post = (text: string): void => {
    const bytes = Buffer.byteLength(text, 'utf8');
    sizes.push(bytes);
    posted += 1;
    pending += bytes;
    worker.postMessage(text);
  };

  return {
    write(lines) {
      if (closed || lines.length === 0) return;
      settle();
      // Caught up after dropping: say so first, then carry on.
      if (droppedLines > reported && pending === 0) {
        post(notice(droppedLines - reported));
        reported = droppedLines;
      }
      const text = lines.join('');
      if (pending + Buffer.byteLength(text, 'utf8') > maxBytes) {
        droppedLines += lines.length;
        return;
      }
      post(text);
    },
    flush(waitMs = STDERR_EXIT_WAIT_MS) {
      if (closed) return;
      // Lines dropped and not yet reported are said now, after everything queued: a flush is
      // an exit's, and the write that would have reported them may never come.
      if (droppedLines > reported) {
        post(notice(droppedLines - reported));
        reported = droppedLines;
      }
      // Bounded: a reader that never reads must not hold up the exit.
      const until = Date.now() + waitMs;
      for (let left = waitMs; left > 0; left = until - Date.now()) {
        const finished = Atomics.load(done, 0);
        if (finished >= posted) break;
        Atomics.wait(done, 0, finished, left);
      }
      settle();
    },
    dropped: () => droppedLines,
    close() {
      if (closed) return;
      closed = true;
      void worker.terminate();
    },
  };
}
