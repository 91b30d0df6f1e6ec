/**
 * Writes frames (one JSON text per line) to a stream, honouring backpressure: `write`
 * says whether the stream wants a pause, and `drained` resolves when it is ready again.
 */
import type { Writable } from 'node:stream';

const NEWLINE = Buffer.from('\n');

export class FrameWriter {
  private broken = false;

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
    // Two writes rather than a concatenation: a large frame is not copied again.
    this.stream.write(frame);
    return this.stream.write(NEWLINE);
  }

  /** Resolves when the stream has room again (or can no longer be written). */
  drained(): Promise<void> {
    if (!this.open || !this.stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  /** Resolves when everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.write('', () => resolve());
    });
  }

  /** End the stream (the child's stdin: EOF for the server). */
  end(): void {
    if (this.open) this.stream.end();
  }
}
