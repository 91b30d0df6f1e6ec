/**
 * The full collection after large frames: counted in bytes of large frames only, at most one
 * waiting at a time, and V8's own collection really found and run.
 */
import { describe, expect, it } from 'vitest';
import { COLLECT_EVERY_BYTES, LARGE_FRAME_FROM_BYTES, LargeFrameRelease } from '../../src/proxy/large-frames.js';

const MiB = 1024 * 1024;

function counted(): { release: LargeFrameRelease; collections: () => number; runLater: () => void; waiting: () => number } {
  let collections = 0;
  const queue: Array<() => void> = [];
  const release = new LargeFrameRelease(
    COLLECT_EVERY_BYTES,
    () => () => void collections++,
    (run) => void queue.push(run),
  );
  return { release, collections: () => collections, waiting: () => queue.length, runLater: () => queue.splice(0).forEach((run) => run()) };
}

describe('LargeFrameRelease', () => {
  it('does not collect for small frames, however many', () => {
    const { release, collections, runLater, waiting } = counted();
    for (let i = 0; i < 100_000; i++) release.handled(LARGE_FRAME_FROM_BYTES - 1);
    runLater();
    expect(waiting()).toBe(0);
    expect(collections()).toBe(0);
  });

  it('collects once, on a later turn, after large frames add up to the threshold', () => {
    const { release, collections, runLater, waiting } = counted();
    release.handled(COLLECT_EVERY_BYTES / 2);
    expect(waiting()).toBe(0);
    release.handled(COLLECT_EVERY_BYTES / 2);
    // Not during the frame's own turn: its outputs are written first.
    expect(collections()).toBe(0);
    expect(waiting()).toBe(1);
    runLater();
    expect(collections()).toBe(1);
  });

  it('keeps one collection waiting while more large frames arrive, and counts afresh after it', () => {
    const { release, collections, runLater, waiting } = counted();
    for (let i = 0; i < 5; i++) release.handled(8 * MiB);
    expect(waiting()).toBe(1);
    runLater();
    expect(collections()).toBe(1);
    release.handled(COLLECT_EVERY_BYTES - 1);
    runLater();
    expect(collections()).toBe(1);
    release.handled(LARGE_FRAME_FROM_BYTES);
    runLater();
    expect(collections()).toBe(2);
  });

  it('runs V8 full collection by default, which frees unreachable large objects', async () => {
    const release = new LargeFrameRelease();
    let big: Uint8Array | undefined = new Uint8Array(16 * MiB).fill(1);
    const ref = new WeakRef(big);
    big = undefined;
    release.handled(COLLECT_EVERY_BYTES);
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    expect(ref.deref()).toBeUndefined();
    expect(big).toBeUndefined();
  });
});
