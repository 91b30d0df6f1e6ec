/**
 * The reader's gate: while it is shut, no further frame is handled, even one of a chunk
 * already read, and the source is paused; once it opens, the frames are handled in order
 * and the end is reported after the last of them, once.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readFrames } from '../../src/proxy/frame-reader.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the frame reader’s gate', () => {
  it('stops inside a chunk while shut, keeps the order, and reports the end after the last frame', async () => {
    const source = new PassThrough();
    const handled: string[] = [];
    let open: () => void = () => undefined;
    let shut: Promise<void> | undefined;
    let ends = 0;
    readFrames(source, {
      maxFrameBytes: 1024,
      gate: () => (handled.length === 3 && shut === undefined ? (shut = new Promise<void>((resolve) => (open = resolve))) : undefined),
      onEvent(event) {
        if (event.kind === 'frame') handled.push(event.bytes.toString());
        return undefined;
      },
      onEnd: () => (ends += 1),
    });
    // Ten frames in one chunk, a second chunk, then the end (its last line has no newline).
    source.write(Array.from({ length: 10 }, (_, i) => `f${i}\n`).join(''));
    source.write('g0\ng1\n');
    source.end('last');
    await settle();
    expect(handled).toEqual(['f0', 'f1', 'f2']);
    expect(source.isPaused()).toBe(true);
    expect(ends).toBe(0);
    open();
    await settle();
    expect(handled).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'g0', 'g1', 'last']);
    expect(ends).toBe(1);
  });

  it('reads on normally when the gate never shuts', async () => {
    const source = new PassThrough();
    const handled: string[] = [];
    let ended = false;
    readFrames(source, {
      maxFrameBytes: 1024,
      gate: () => undefined,
      onEvent(event) {
        if (event.kind === 'frame') handled.push(event.bytes.toString());
        return undefined;
      },
      onEnd: () => (ended = true),
    });
    source.end('a\nb\nc\n');
    await settle();
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(ended).toBe(true);
  });
});
