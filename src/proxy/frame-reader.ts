/**
 * Reads a stream into frames and hands each to a handler. When the handler reports
 * that a destination is full, reading pauses until it has drained (backpressure). When
 * the caller's gate says the next frame must wait (the engine holds as many calls as it
 * keeps), no further frame is handled, even of the chunk already read, and reading
 * pauses until the gate opens: nothing is refused for arriving early.
 */
import type { Readable } from 'node:stream';
import { LineFramer, type FrameEvent } from '../protocol/framer.js';

export interface FrameReaderOptions {
  maxFrameBytes: number;
  /** Handle one event; return a promise to pause reading until it settles. */
  onEvent(event: FrameEvent): Promise<void> | undefined;
  /** Asked before each event: a promise means handle nothing more until it settles. */
  gate?(): Promise<void> | undefined;
  /** Around the events of one chunk: lets the caller batch its writes. */
  onChunkStart?(): void;
  onChunkEnd?(): void;
  /** Called once when the stream has ended and every frame was handled. */
  onEnd(): void;
}

/** Start reading `stream`. Returns a function that stops reading. */
export function readFrames(stream: Readable, options: FrameReaderOptions): () => void {
  const framer = new LineFramer({ maxFrameBytes: options.maxFrameBytes });
  let stopped = false;
  let ended = false;
  let endReported = false;
  // Events read but not yet handled (only while the gate is shut): at most one chunk's
  // frames plus the framer's last line, as the stream is paused meanwhile.
  let queue: FrameEvent[] = [];
  let next = 0;
  // Set while the gate is shut: events wait in the queue, and the stream stays paused.
  let gated = false;

  const reportEnd = (): void => {
    if (endReported || stopped || !ended || next < queue.length) return;
    endReported = true;
    options.onEnd();
  };

  const pump = (): void => {
    if (gated || next >= queue.length) return;
    // Writers hand out one shared promise each, so this holds at most one per destination.
    const waits = new Set<Promise<void>>();
    options.onChunkStart?.();
    try {
      while (next < queue.length && !stopped) {
        const shut = options.gate?.();
        if (shut) {
          gated = true;
          waits.add(shut);
          break;
        }
        const event = queue[next] as FrameEvent;
        next++;
        const wait = options.onEvent(event);
        if (wait) waits.add(wait);
      }
    } finally {
      options.onChunkEnd?.();
    }
    if (next >= queue.length) {
      queue = [];
      next = 0;
    }
    if (waits.size === 0 || stopped) return;
    stream.pause();
    const opens = gated;
    void Promise.all(waits).then(() => {
      if (stopped) return;
      if (opens) {
        gated = false;
        pump();
      }
      // Shut again, or still shut for a wait begun meanwhile: its own settling resumes.
      if (gated) return;
      if (!ended) stream.resume();
      reportEnd();
    });
  };

  const handle = (events: FrameEvent[]): void => {
    if (events.length === 0) return;
    if (queue.length === 0) queue = events;
    else for (const event of events) queue.push(event);
    pump();
  };

  stream.on('data', (chunk: Buffer | string) => handle(framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
  stream.once('end', () => {
    ended = true;
    handle(framer.end());
    reportEnd();
  });
  stream.on('error', () => {
    // A broken input is treated like its end.
    if (ended) return;
    ended = true;
    reportEnd();
  });
  return () => {
    stopped = true;
    stream.pause();
  };
}
