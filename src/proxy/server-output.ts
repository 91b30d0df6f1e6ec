/**
 * Watching the server's stdout for progress: how many bytes have arrived, whether reading
 * is paused on the client, whether it has ended. The lifecycle decisions that must tell a
 * server still delivering answers from a silent pipe are made from this, never from a
 * short wall-clock deadline.
 */
import type { Readable } from 'node:stream';

/**
 * After the server exited, only a pipe that stays silent this long while we are ready to
 * read it (not paused on the client, nothing buffered) is taken to be held open by
 * something the server left behind.
 */
export const LEFTOVER_IDLE_MS = 1_000;

/** Progress of one stream being read. */
export class OutputWatch {
  private bytes = 0;
  private ended = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly stream: Readable,
    /** Resolves once the stream has ended and every frame in it was handled. */
    end: Promise<void>,
  ) {
    stream.on('data', (chunk: Buffer) => (this.bytes += chunk.length));
    this.done = end.then(() => {
      this.ended = true;
    });
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** A probe: has output arrived since the last call, or is reading waiting on the client? */
  movingProbe(): () => boolean {
    let seen = this.bytes;
    return () => {
      const moved = this.bytes !== seen || this.stream.isPaused();
      seen = this.bytes;
      return moved;
    };
  }

  /**
   * Resolves when the stream has been read to its end, however slowly the client takes it;
   * or, with `true`, once it has been silent for a whole LEFTOVER_IDLE_MS while ready to be read.
   */
  async settle(idleMs = LEFTOVER_IDLE_MS): Promise<boolean> {
    while (!this.ended) {
      const before = this.bytes;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, idleMs)))]);
      clearTimeout(timer);
      // A timer may fire first after the loop was held up; one more turn lets any input
      // already waiting in the pipe be read before the pipe is called silent.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.ended) return false;
      if (this.bytes === before && !this.stream.isPaused() && this.stream.readableLength === 0) return true;
    }
    return false;
  }
}
