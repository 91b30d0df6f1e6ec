/**
 * Reads a stream into frames and hands each to a handler. When the handler reports
 * that a destination is full, reading pauses until it has drained (backpressure).
 */
import type { Readable } from 'node:stream';
import { LineFramer, type FrameEvent } from '../protocol/framer.js';

export interface FrameReaderOptions {
  maxFrameBytes: number;
  /** Handle one event; return a promise to pause reading until it settles. */
  onEvent(event: FrameEvent): Promise<void> | undefined;
  /**
   * Around the events of one chunk: lets the caller batch its writes. What onChunkEnd
   * returns, a promise, pauses reading until it settles, like onEvent's.
   */
  onChunkStart?(): void;
  onChunkEnd?(): Promise<void> | undefined;
  /** Bytes of input chunks the framer has let go of (a long line's, copied to its store: see framer.ts takeLetGo). */
  onLetGo?(bytes: number): void;
  /** Called once when the stream has ended and every frame was handled. */
  onEnd(): void;
}

/** Start reading `stream`. Returns a function that stops reading. */
export function readFrames(stream: Readable, options: FrameReaderOptions): () => void {
  const framer = new LineFramer({ maxFrameBytes: options.maxFrameBytes });
  let stopped = false;
  let ended = false;

  const handle = (events: FrameEvent[]): void => {
    if (events.length === 0) return;
    // Writers hand out one shared promise each, so this holds at most one per destination
    // (made only when a destination is full: most chunks need none).
    let waits: Set<Promise<void>> | undefined;
    options.onChunkStart?.();
    try {
      for (const event of events) {
        if (stopped) break;
        const wait = options.onEvent(event);
        if (wait) (waits ??= new Set()).add(wait);
      }
    } finally {
      const wait = options.onChunkEnd?.();
      if (wait) (waits ??= new Set()).add(wait);
    }
    if (waits !== undefined && !stopped) {
      stream.pause();
      void Promise.all(waits).then(() => {
        if (!stopped && !ended) stream.resume();
      });
    }
  };

  stream.on('data', (chunk: Buffer | string) => {
    const events = framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const letGo = framer.takeLetGo();
    if (letGo > 0) options.onLetGo?.(letGo);
    handle(events);
  });
  stream.once('end', () => {
    ended = true;
    handle(framer.end());
    if (!stopped) options.onEnd();
  });
  stream.on('error', () => {
    // A broken input is treated like its end.
    if (ended) return;
    ended = true;
    if (!stopped) options.onEnd();
  });
  return () => {
    stopped = true;
    stream.pause();
  };
}
