/**
 * Reads a stream into frames and hands each to a handler. When the handler reports
 * that a destination is full, reading pauses until it has drained (backpressure).
 */
import type { Readable } from 'node:stream';
import { LineFramer, type FrameEvent } from '../protocol/framer.js';

export interface FrameReaderOptions {
  maxFrameBytes: number;
  /**
   * Handle one event; return a promise to pause reading until it settles. The event is the
   * reader's until then: it is reused for the next line (see FrameSink.reusesEvents), so
   * nothing may keep it, only what it holds (its bytes).
   */
  onEvent(event: FrameEvent): Promise<void> | undefined;
  /**
   * Around the events of one chunk: lets the caller batch its writes. What onChunkEnd
   * returns, a promise, pauses reading until it settles, like onEvent's.
   */
  onChunkStart?(): void;
  onChunkEnd?(): Promise<void> | undefined;
  /** Bytes of input chunks the framer has let go of (a long line's, copied to its store: see framer.ts takeLetGo). */
  onLetGo?(bytes: number): void;
  /**
   * Runs `run` once nothing holds the bytes of the frames handled so far (their outputs are
   * out of the writers' hands). Given, a long line's memory is written over by a later long
   * line once that holds (framer.ts takeLent): only a caller whose writers copy what they are
   * given (pipes, files) may give it. Not given, each long line has memory of its own.
   */
  whenWritten?(run: () => void): void;
  /** Called once when the stream has ended and every frame was handled. */
  onEnd(): void;
}

/** Start reading `stream`. Returns a function that stops reading. */
export function readFrames(stream: Readable, options: FrameReaderOptions): () => void {
  const framer = new LineFramer({ maxFrameBytes: options.maxFrameBytes });
  let stopped = false;
  let ended = false;

  // The events of the chunk being read, handed over one by one as the framer finds them
  // (none held to the chunk's end). Its writes are batched from its first event to its end.
  let started = false;
  let waits: Set<Promise<void>> | undefined;
  let failure: { error: unknown } | undefined;
  // onEvent is done with an event when it returns (a promise it returns waits on writers, not
  // on the event), so the framer hands every frame in one event object of its own.
  const sink = {
    reusesEvents: true,
    push(event: FrameEvent): void {
      if (stopped || failure !== undefined) return;
      if (!started) {
        started = true;
        options.onChunkStart?.();
      }
      try {
        const wait = options.onEvent(event);
        // Writers hand out one shared promise each, so this holds at most one per destination
        // (made only when a destination is full: most chunks need none).
        if (wait) (waits ??= new Set()).add(wait);
      } catch (error) {
        // The chunk is still read to its end (the framer's state stays right), its later
        // events unhandled; the error is thrown once the chunk's writes are out.
        failure = { error };
      }
    },
  };

  const handle = (chunk: Buffer | undefined): void => {
    if (chunk === undefined) framer.end().forEach((event) => sink.push(event));
    else framer.pushEach(chunk, sink);
    const failed = failure;
    const chunkWaits = waits;
    const wrote = started;
    started = false;
    waits = undefined;
    failure = undefined;
    if (!wrote) return;
    const wait = options.onChunkEnd?.();
    if (failed !== undefined) throw failed.error;
    let all = chunkWaits;
    if (wait) (all ??= new Set()).add(wait);
    if (all !== undefined && !stopped) {
      stream.pause();
      void Promise.all(all).then(() => {
        if (!stopped && !ended) stream.resume();
      });
    }
  };

  const whenWritten = options.whenWritten;
  stream.on('data', (chunk: Buffer | string) => {
    handle(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const letGo = framer.takeLetGo();
    if (letGo > 0) options.onLetGo?.(letGo);
    // A long line was handled (at most one per chunk's worth of its store): its memory comes
    // back once its outputs are written. (A chunk that threw above gives nothing back.)
    if (whenWritten !== undefined) {
      const lent = framer.takeLent();
      if (lent !== undefined) whenWritten(() => framer.giveBack(lent));
    }
  });
  stream.once('end', () => {
    ended = true;
    handle(undefined);
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
