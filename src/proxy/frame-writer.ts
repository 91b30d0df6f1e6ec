/**
 * Writes frames (one JSON text per line) to a stream, honouring backpressure: `write`
 * says whether the stream wants a pause, and `drained` resolves when it is ready again.
 */
import type { Writable } from 'node:stream';

const NEWLINE = Buffer.from('\n');
// Below this, frame and newline are joined (one small copy, one write); above it, a copy
// would cost more than a second write.
const JOIN_BELOW_BYTES = 64 * 1024;

export class FrameWriter {
  private broken = false;
  private corked = false;
  private drainPromise: Promise<void> | undefined;

  constructor(
    private readonly stream: Writable,
    /** Called once if the stream fails (EPIPE: the reader went away). */
    onBroken: (error: Error) => void,
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
    if (typeof frame === 'string') return this.stream.write(`${frame}\n`);
    // Corked, the two writes leave as one writev: no copy, one system call. Uncorked, a
    // small frame is joined to its newline so it still costs one system call.
    if (this.corked || frame.length >= JOIN_BELOW_BYTES) {
      this.stream.write(frame);
      return this.stream.write(NEWLINE);
    }
    return this.stream.write(Buffer.concat([frame, NEWLINE], frame.length + 1));
  }

  /**
   * Hold writes until `uncork`, so the frames decided from one chunk of input leave in
   * one system call rather than one each.
   */
  cork(): void {
    if (this.corked || !this.open) return;
    this.corked = true;
    this.stream.cork();
  }

  uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.stream.uncork();
  }

  /** Resolves when the stream has room again (or can no longer be written). One promise is shared by every waiter. */
  drained(): Promise<void> {
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
