/**
 * Backpressure with real Node streams: when the destination stops taking data, the
 * reader stops reading its source, and starts again once the destination has drained.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/proxy/frame-writer.js';
import { readFrames } from '../../src/proxy/frame-reader.js';

// A destination that accepts writes but finishes none until released.
function stalledDestination(): { stream: Writable; release(): void; received(): number } {
  const held: Array<() => void> = [];
  let bytes = 0;
  let released = false;
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (released) callback();
      else held.push(callback);
    },
  });
  return {
    stream,
    received: () => bytes,
    release() {
      released = true;
      held.splice(0).forEach((callback) => callback());
    },
  };
}

// The proxy's batching (proxy.ts): a chunk's frames corked, and after them a wait for a destination left full.
function readCorked(source: PassThrough, writer: FrameWriter, counts: { frames: number; ended: boolean }): void {
  readFrames(source, {
    maxFrameBytes: 1 << 20,
    onEvent(event) {
      if (event.kind !== 'frame') return undefined;
      counts.frames++;
      return writer.write(event.bytes) ? undefined : writer.drained();
    },
    onChunkStart: () => writer.cork(),
    onChunkEnd: () => {
      writer.uncork();
      return writer.full ? writer.drained() : undefined;
    },
    onEnd: () => (counts.ended = true),
  });
}

describe('backpressure', () => {
  it('with a chunk\'s frames corked: pauses the source once a chunk leaves the destination full, resumes after it drains', async () => {
    const source = new PassThrough();
    const destination = stalledDestination();
    const writer = new FrameWriter(destination.stream, () => undefined);
    const counts = { frames: 0, ended: false };
    readCorked(source, writer, counts);
    const line = `${JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'p'.repeat(4000) } })}\n`;
    for (let i = 0; i < 50; i++) {
      source.write(line);
      await new Promise((r) => setImmediate(r));
    }
    source.end();
    await new Promise((r) => setTimeout(r, 100));
    expect(source.isPaused()).toBe(true);
    expect(counts.frames).toBeLessThan(50);
    // Held back: at most the destination's mark and the chunk that passed it.
    expect(destination.received()).toBeLessThanOrEqual(1024 + 2 * line.length);
    destination.release();
    for (let i = 0; i < 200 && !counts.ended; i++) await new Promise((r) => setTimeout(r, 10));
    expect(counts.frames).toBe(50);
    expect(counts.ended).toBe(true);
    expect(destination.received()).toBe(50 * line.length);
  });

  it('with a chunk\'s frames corked: never pauses the source while the destination takes every chunk at once', async () => {
    const source = new PassThrough();
    let bytes = 0;
    const destination = new Writable({ highWaterMark: 1024, write: (chunk: Buffer, _e, callback) => void ((bytes += chunk.length), callback()) });
    const writer = new FrameWriter(destination, () => undefined);
    let pauses = 0;
    const pause = source.pause.bind(source);
    source.pause = () => (pauses++, pause());
    const counts = { frames: 0, ended: false };
    readCorked(source, writer, counts);
    const line = `${JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'p'.repeat(4000) } })}\n`;
    // Chunks of ten frames, each past the destination's mark.
    for (let i = 0; i < 10; i++) {
      source.write(line.repeat(10));
      await new Promise((r) => setImmediate(r));
    }
    source.end();
    for (let i = 0; i < 200 && !counts.ended; i++) await new Promise((r) => setTimeout(r, 10));
    expect(counts.frames).toBe(100);
    expect(bytes).toBe(100 * line.length);
    expect(pauses).toBe(0);
  });

  it('pauses the source while the destination is full, and resumes after it drains', async () => {
    const source = new PassThrough();
    const destination = stalledDestination();
    const writer = new FrameWriter(destination.stream, () => undefined);
    let frames = 0;
    let ended = false;
    readFrames(source, {
      maxFrameBytes: 1 << 20,
      onEvent(event) {
        if (event.kind !== 'frame') return undefined;
        frames++;
        return writer.write(event.bytes) ? undefined : writer.drained();
      },
      onEnd: () => (ended = true),
    });
    const line = `${JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'p'.repeat(4000) } })}\n`;
    for (let i = 0; i < 50; i++) source.write(line);
    source.end();
    await new Promise((r) => setTimeout(r, 100));
    // The first frame filled the destination; the reader paused instead of taking all 50.
    expect(source.isPaused()).toBe(true);
    expect(frames).toBeLessThan(50);
    const beforeRelease = frames;
    destination.release();
    for (let i = 0; i < 200 && !ended; i++) await new Promise((r) => setTimeout(r, 10));
    expect(frames).toBe(50);
    expect(frames).toBeGreaterThan(beforeRelease);
    expect(ended).toBe(true);
    expect(destination.received()).toBe(50 * line.length);
  });

  it('reports a broken destination once and stops writing to it', () => {
    const broken: Error[] = [];
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = new FrameWriter(stream, (error) => broken.push(error));
    writer.write('{"a":1}');
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        expect(broken.map((e) => e.message)).toEqual(['write EPIPE']);
        expect(writer.open).toBe(false);
        expect(writer.write('{"b":2}')).toBe(true);
        resolve();
      }, 20);
    });
  });

  it('written() resolves only once what was written is out, and leaves the batch corked', async () => {
    const destination = stalledDestination();
    const writer = new FrameWriter(destination.stream, () => undefined);
    writer.cork();
    writer.write(Buffer.alloc(4096, 0x61));
    let out = false;
    const written = writer.written().then(() => (out = true));
    // Still corked: the batch is not sent early (flush() would have uncorked it).
    expect(destination.stream.writableCorked).toBe(1);
    writer.uncork();
    await new Promise((r) => setTimeout(r, 20));
    expect(destination.received()).toBeGreaterThanOrEqual(4096);
    expect(out).toBe(false);
    destination.release();
    await written;
    expect(out).toBe(true);
  });
});
