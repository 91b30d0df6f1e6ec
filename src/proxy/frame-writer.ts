/**
 * Writes frames (one JSON text per line) to a stream, honouring backpressure: `write`
 * says whether the stream wants a pause, and `drained` resolves when it is ready again.
 */
import type { Writable } from 'node:stream';

const NEWLINE = Buffer.from('\n');
// Below this, frame and newline are joined (one small copy, one write); above it, a copy
// would cost more than a second write.
const JOIN_BELOW_BYTES = 64 * 1024;
// The smallest block held frames are encoded into (see FrameWriter.block).
const MIN_BLOCK_BYTES = 16 * 1024;
// The largest block kept from one chunk for the next (see FrameWriter.spare).
const KEEP_BLOCK_BYTES = 64 * 1024;

export class FrameWriter {
  private broken = false;
  private corked = false;
  private drainPromise: Promise<void> | undefined;
  /**
   * Small frames written while corked are encoded here as they come, each with its newline,
   * and leave as one buffer at uncork: `held` bytes of `block`. The frames themselves (strings,
   * views of the chunk read) are let go of at once rather than held to the chunk's end, and
   * the block's bytes are outside the JS heap: under pipelined calls a chunk's hundreds of
   * frames no longer outlive a young collection there, to be copied and promoted.
   */
  private block: Buffer | undefined;
  /**
   * The last chunk's block, when the stream copies what it is given (`streamCopies`), took all
   * of the block at once (nothing of it waits to be written: a pipe write libuv could not finish
   * keeps the stream's length above 0 until it has), and it is at most KEEP_BLOCK_BYTES: the
   * next chunk's frames are encoded into it rather than into a new one. Sequential calls come
   * one frame to a chunk, and a new block for each (a 16 KiB buffer, its memory from malloc)
   * cost more than encoding the frame. A stream that hands on the very buffer (a PassThrough)
   * never gets a block again: its reader may still hold the last one.
   */
  private spare: Buffer | undefined;
  private held = 0;
  /** Bytes held for the last chunk: the next block's size. */
  private lastHeld = 0;
  /** Waiters that asked for room while frames were held here: answered once those are written. */
  private flushWait: Promise<void> | undefined;
  private releaseFlushWait: (() => void) | undefined;
  /** Whether a frame was written since the last cork (see `full`). */
  private wroteSinceCork = false;

  constructor(
    private readonly stream: Writable,
    /** Called once if the stream fails (EPIPE: the reader went away). */
    onBroken: (error: Error) => void,
    /**
     * The stream has copied what it was given by the time it counts it written, as OS pipes,
     * files and terminals do (not a PassThrough or a Transform, whose reader is handed the very
     * buffer): a block it took all of may then be used again (see `spare`).
     */
    private readonly streamCopies = false,
  ) {
    stream.on('error', (error) => {
      if (this.broken) return;
      this.broken = true;
      onBroken(error);
    });
  }

  /** False once the stream has failed or ended: nothing more can be delivered. */
  get open(): boolean {
    return !this.broken && !this.stream.destroyed && !this.stream.writableEnded;
  }

  /** Write one frame and its newline. Returns false when the caller should pause. */
  write(frame: Buffer | string): boolean {
    if (!this.open) return true;
    this.wroteSinceCork = true;
    // Corked, small frames are held here and leave as one buffer at uncork: one write to the
    // stream for a chunk's many frames rather than one or two each (and a writev of as many
    // pieces). What this returns is whether the stream was below its high-water mark before
    // them: the frames held are the chunk's, and go out with it whatever this says (the
    // reader pauses only between chunks), so whether to pause is asked once they are out
    // (`full`, after uncork): most often the OS took them all at once, and there is no
    // reason to stop reading.
    if (this.corked && frame.length < JOIN_BELOW_BYTES) {
      this.hold(frame);
      return this.stream.writableLength < this.stream.writableHighWaterMark;
    }
    // A large frame: what is held goes first, then the frame and its newline, without a copy.
    this.writeParts();
    if (typeof frame === 'string') return this.stream.write(`${frame}\n`);
    if (this.corked || frame.length >= JOIN_BELOW_BYTES) {
      this.stream.write(frame);
      return this.stream.write(NEWLINE);
    }
    // Uncorked, a small frame is joined to its newline so it still costs one system call.
    return this.stream.write(Buffer.concat([frame, NEWLINE], frame.length + 1));
  }

  /**
   * Hand the frames held here to the stream now (still corked): before anything else acts on
   * the stream directly, such as ending it, so they go first as they would have.
   */
  writeHeld(): void {
    this.writeParts();
  }

  // Encode one small frame and its newline after those held (a larger block when it does not fit).
  private hold(frame: Buffer | string): void {
    let block = this.block;
    let at = this.held;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the exact count is needed only near the end.
    const room = block === undefined ? 0 : block.length - at;
    if (room <= (typeof frame === 'string' ? frame.length * 3 : frame.length)) {
      const bytes = (typeof frame === 'string' ? Buffer.byteLength(frame, 'utf8') : frame.length) + 1;
      if (bytes > room) block = this.grow(at + bytes);
    }
    at += typeof frame === 'string' ? block!.write(frame, at, 'utf8') : frame.copy(block!, at);
    block![at++] = 0x0a;
    this.held = at;
  }

  // A block for at least `bytes`, with what is held copied in: the first of a chunk is sized
  // for what the last chunk held, a later one twice the size.
  private grow(bytes: number): Buffer {
    const old = this.block;
    const size = Math.max(MIN_BLOCK_BYTES, old === undefined ? this.lastHeld + (this.lastHeld >> 2) : 2 * old.length, bytes);
    const spare = this.spare;
    this.spare = undefined;
    const block = old === undefined && spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    if (old !== undefined) old.copy(block, 0, 0, this.held);
    this.block = block;
    return block;
  }

  // The held frames, each with its newline, as one buffer written to the stream.
  private writeParts(): void {
    const block = this.block;
    if (block !== undefined) {
      const held = this.held;
      this.block = undefined;
      this.held = 0;
      this.lastHeld = held;
      if (this.open) this.stream.write(held === block.length ? block : block.subarray(0, held));
    }
    const release = this.releaseFlushWait;
    this.flushWait = undefined;
    this.releaseFlushWait = undefined;
    release?.();
  }

  /**
   * Hold writes until `uncork`, so the frames decided from one chunk of input leave in
   * one system call rather than one each.
   */
  cork(): void {
    this.wroteSinceCork = false;
    if (this.corked || !this.open) return;
    this.corked = true;
    this.stream.cork();
  }

  uncork(): void {
    if (!this.corked) return;
    const block = this.block;
    this.writeParts();
    this.corked = false;
    this.stream.uncork();
    // Taken at once: the stream holds nothing of the block (see `spare`).
    if (this.streamCopies && block !== undefined && block.length <= KEEP_BLOCK_BYTES && this.stream.writableLength === 0) this.spare = block;
  }

  /**
   * True when the chunk since the last cork wrote here and what is not out yet reaches the
   * stream's high-water mark: the reader of that chunk should wait (`drained`) before it reads
   * more. Asked after uncork, once a chunk's frames are in the stream. A chunk that wrote
   * nothing here does not wait for this stream: the server's reader must not wait for the
   * server to read its input (the server may be waiting for its output to be read).
   */
  get full(): boolean {
    return this.wroteSinceCork && this.open && this.stream.writableLength + this.held >= this.stream.writableHighWaterMark;
  }

  /** The bytes written here and not yet taken by the stream's reader, those still held included. */
  get pendingBytes(): number {
    return this.open ? this.stream.writableLength + this.held : 0;
  }

  /** Resolves when the stream has room again (or can no longer be written). One promise is shared by every waiter. */
  drained(): Promise<void> {
    // Frames held here are not in the stream yet: whether it needs to drain is known once they are.
    if (this.held > 0) return (this.flushWait ??= new Promise<void>((resolve) => (this.releaseFlushWait = resolve)).then(() => this.drained()));
    if (!this.open || !this.stream.writableNeedDrain) return Promise.resolve();
    this.drainPromise ??= new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        this.drainPromise = undefined;
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
    return this.drainPromise;
  }

  /**
   * Resolves once everything written so far has been handed to the OS (or can no longer be),
   * leaving the batching as it is: the frames' buffers are let go of by then.
   */
  written(): Promise<void> {
    // Frames held here go to the stream at uncork: the marker write must follow them.
    if (this.held > 0) return (this.flushWait ??= new Promise<void>((resolve) => (this.releaseFlushWait = resolve))).then(() => this.written());
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.write('', () => resolve());
    });
  }

  /** Resolves when everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    this.uncork();
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.write('', () => resolve());
    });
  }

  /** End the stream (the child's stdin: EOF for the server). */
  end(): void {
    this.uncork();
    if (this.open) this.stream.end();
  }
}
