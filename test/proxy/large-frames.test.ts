/**
 * The full collection after large frames: counted in bytes of large frames only, at most one
 * waiting at a time, and V8's own collection really found and run.
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { STORE_FROM_BYTES } from '../../src/protocol/framer.js';
import { readFrames } from '../../src/proxy/frame-reader.js';
import { COLLECT_EVERY_BYTES, COLLECT_YOUNG_EVERY_BYTES, GROW_YOUNG_FROM_CALLS, GROWING_LOOK_EVERY_BYTES, LARGE_FRAME_FROM_BYTES, LOOK_EVERY_BYTES, LargeFrameRelease, LetGoRelease, YOUNG_CAP_BYTES, youngCollection, youngGenerationBytes } from '../../src/proxy/large-frames.js';

// V8's legacy statics: the subject of the last successful regex match, kept reachable by V8.
const lastMatchSubject = (): string => (RegExp as unknown as { input: string }).input;

const MiB = 1024 * 1024;

// A young generation the test sets (it stays put unless told), and what was asked of V8.
function counted(): { release: LargeFrameRelease; collections: () => number; runLater: () => void; waiting: () => number; heap: { young: number }; looks: () => number; growth: Array<1 | 2> } {
  let collections = 0;
  let looks = 0;
  const queue: Array<() => void> = [];
  const heap = { young: YOUNG_CAP_BYTES / 2 };
  const growth: Array<1 | 2> = [];
  const release = new LargeFrameRelease(
    COLLECT_EVERY_BYTES,
    () => () => void collections++,
    (run) => void queue.push(run),
    () => {
      looks++;
      return heap.young;
    },
    (factor) => void growth.push(factor),
  );
  return { release, collections: () => collections, waiting: () => queue.length, runLater: () => queue.splice(0).forEach((run) => run()), heap, looks: () => looks, growth };
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

  it('looks at the young generation once per so many bytes of frames of any size', () => {
    const { release, looks, waiting } = counted();
    const small = 300;
    const perLook = Math.ceil(LOOK_EVERY_BYTES / small);
    for (let i = 0; i < perLook * 10; i++) release.handled(small);
    expect(looks()).toBe(10);
    expect(waiting()).toBe(0);
  });

  it('holds the young generation at its cap: growth factor 1 from the cap on, 2 again below it, set only on a change', () => {
    const { release, heap, growth } = counted();
    const look = (): void => release.handled(LOOK_EVERY_BYTES, GROW_YOUNG_FROM_CALLS);
    // (The first look sets the factor whatever it was: holdYoungGeneration set 1 at start.)
    look();
    expect(growth).toEqual([2]);
    look();
    expect(growth).toEqual([2]);
    heap.young = YOUNG_CAP_BYTES;
    look();
    look();
    expect(growth).toEqual([2, 1]);
    heap.young = YOUNG_CAP_BYTES / 2;
    look();
    look();
    expect(growth).toEqual([2, 1, 2]);
  });

  it('holds the young generation where it is, below the cap too, while fewer than GROW_YOUNG_FROM_CALLS calls are in flight', () => {
    const { release, heap, growth } = counted();
    heap.young = YOUNG_CAP_BYTES / 4;
    release.handled(LOOK_EVERY_BYTES, 0);
    expect(growth).toEqual([1]);
    release.handled(LOOK_EVERY_BYTES, GROW_YOUNG_FROM_CALLS - 1);
    expect(growth).toEqual([1]);
    release.handled(LOOK_EVERY_BYTES, GROW_YOUNG_FROM_CALLS);
    expect(growth).toEqual([1, 2]);
    // The calls answered, it is held again where it got to.
    release.handled(LOOK_EVERY_BYTES, 1);
    expect(growth).toEqual([1, 2, 1]);
  });

  it('looks every GROWING_LOOK_EVERY_BYTES of frames while the young generation may grow, so that one doubling to the cap is held before the next', () => {
    const { release, heap, growth, looks } = counted();
    heap.young = YOUNG_CAP_BYTES / 4;
    release.handled(LOOK_EVERY_BYTES, GROW_YOUNG_FROM_CALLS);
    expect(growth).toEqual([2]);
    const small = 300;
    const perLook = Math.ceil(GROWING_LOOK_EVERY_BYTES / small);
    const before = looks();
    for (let i = 0; i < perLook * 3; i++) release.handled(small, GROW_YOUNG_FROM_CALLS);
    expect(looks()).toBe(before + 3);
    // A collection doubled it to the cap: the look within the next GROWING_LOOK_EVERY_BYTES holds it.
    heap.young = YOUNG_CAP_BYTES;
    for (let i = 0; i < perLook - 1; i++) release.handled(small, GROW_YOUNG_FROM_CALLS);
    expect(growth).toEqual([2]);
    release.handled(small, GROW_YOUNG_FROM_CALLS);
    expect(growth).toEqual([2, 1]);
    // Held, small frames are looked at once per LOOK_EVERY_BYTES again.
    const held = looks();
    for (let i = 0; i < perLook * 3; i++) release.handled(small, GROW_YOUNG_FROM_CALLS);
    expect(looks()).toBe(held);
    expect(GROWING_LOOK_EVERY_BYTES * 3).toBeLessThan(LOOK_EVERY_BYTES);
  });

  it('holds the young generation again at the first frame with fewer calls in flight than let it grow', () => {
    const { release, heap, growth } = counted();
    heap.young = YOUNG_CAP_BYTES / 4;
    release.handled(LOOK_EVERY_BYTES, GROW_YOUNG_FROM_CALLS);
    release.handled(300, GROW_YOUNG_FROM_CALLS);
    expect(growth).toEqual([2]);
    release.handled(300, GROW_YOUNG_FROM_CALLS - 1);
    expect(growth).toEqual([2, 1]);
  });

  it("lets go of a large frame's text that V8 keeps as the last regex match's subject", () => {
    const { release } = counted();
    const text = `{"jsonrpc":"2.0","id":1,"result":"${'x'.repeat(LARGE_FRAME_FROM_BYTES)}"}`;
    expect(/"id":(\d+)/.exec(text)?.[1]).toBe('1');
    expect(lastMatchSubject()).toBe(text);
    release.handled(text.length);
    expect(lastMatchSubject()).toBe('');
  });

  it('leaves the last match alone after a small frame (the next frame replaces it anyway)', () => {
    const { release } = counted();
    const text = '{"jsonrpc":"2.0","id":7,"result":{}}';
    expect(/"id":(\d+)/.exec(text)?.[1]).toBe('7');
    release.handled(text.length);
    expect(lastMatchSubject()).toBe(text);
  });

  it('reads the real young generation', () => {
    const young = youngGenerationBytes();
    expect(young).toBeGreaterThan(0);
    expect(young).toBeLessThanOrEqual(64 * MiB);
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

describe('LetGoRelease: the chunks of long lines, collected young as they are let go of', () => {
  it('collects once per COLLECT_YOUNG_EVERY_BYTES let go of, and not before', () => {
    let collections = 0;
    const release = new LetGoRelease(COLLECT_YOUNG_EVERY_BYTES, () => void collections++);
    release.letGo(COLLECT_YOUNG_EVERY_BYTES - 1);
    expect(collections).toBe(0);
    release.letGo(1);
    expect(collections).toBe(1);
    release.letGo(COLLECT_YOUNG_EVERY_BYTES / 2);
    expect(collections).toBe(1);
    release.letGo(COLLECT_YOUNG_EVERY_BYTES / 2);
    expect(collections).toBe(2);
  });

  it("runs V8's young collection (a scavenge), not a full one", async () => {
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) kinds.push((entry.detail as { kind: number }).kind);
    });
    observer.observe({ entryTypes: ['gc'] });
    youngCollection();
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MINOR);
    expect(kinds).not.toContain(constants.NODE_PERFORMANCE_GC_MAJOR);
  });

  it("is told by the reader of every byte of a long line's chunks the framer let go of", async () => {
    const stream = new PassThrough();
    // (The reader reuses its event object: what is kept is each event's size.)
    const frames: number[] = [];
    let letGo = 0;
    const ended = new Promise<void>((resolve) => {
      readFrames(stream, { maxFrameBytes: 64 * MiB, onEvent: (event) => void frames.push(event.kind === 'frame' ? event.bytes.length : -1), onLetGo: (bytes) => (letGo += bytes), onEnd: resolve });
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const chunks = (2 * STORE_FROM_BYTES) / chunk.length;
    stream.write('{"short":1}\n');
    for (let i = 0; i < chunks; i++) stream.write(chunk);
    stream.end('\n');
    await ended;
    expect(letGo).toBe(chunks * chunk.length);
    expect(frames).toEqual([11, chunks * chunk.length]);
  });
});
