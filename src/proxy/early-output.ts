/**
 * The server's stdout from its start until the proxy reads it. The server starts before the
 * proxy is wired (it boots while the policy loads), and Node drains a child's untouched stdout
 * when it exits, so what a quick server wrote would be lost: it is taken in at once, up to a
 * bound (past it the pipe is paused and the server waits, as for any slow reader), and put
 * back in front of the pipe's own buffer when the proxy takes the stream. From then on every
 * chunk comes straight from the server's pipe, with no stream in between (a pass-through
 * stream here cost a second stream's bookkeeping and a deferred callback on every chunk).
 */
import { PassThrough, type Readable } from 'node:stream';

/** What is taken in before the proxy reads, at most (the pipe is paused past it). */
export const EARLY_OUTPUT_BYTES = 64 * 1024;

/**
 * Start holding `pipe`'s output. The function returned hands the stream over, the same one
 * on every call: the pipe itself with what was held put back in front, or, when the server's
 * output had already ended, a stream of what it wrote that then ends.
 */
export function holdEarlyOutput(pipe: Readable, bound = EARLY_OUTPUT_BYTES): () => Readable {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  const collect = (chunk: Buffer): void => {
    chunks.push(chunk);
    bytes += chunk.length;
    if (bytes >= bound) pipe.pause();
  };
  const end = (): void => {
    ended = true;
  };
  pipe.on('data', collect);
  pipe.once('end', end);
  let taken: Readable | undefined;
  return () => {
    if (taken !== undefined) return taken;
    pipe.off('data', collect);
    pipe.off('end', end);
    if (ended) {
      const rest = new PassThrough({ highWaterMark: bound });
      for (const chunk of chunks) rest.write(chunk);
      rest.end();
      taken = rest;
    } else {
      // Paused, the chunks wait in the pipe's buffer, oldest first; resumed, they are the
      // first the reader's listener (added in this same turn) gets, on the next tick.
      pipe.pause();
      for (let i = chunks.length - 1; i >= 0; i--) pipe.unshift(chunks[i]);
      pipe.resume();
      taken = pipe;
    }
    chunks.length = 0;
    return taken;
  };
}
