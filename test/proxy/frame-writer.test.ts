/**
 * The frame writer holds small frames written while corked and writes them as one buffer at
 * uncork. The bytes, their order and what `write` says about backpressure must be what
 * writing each frame to the corked stream gave (the reference below), and a waiter for room
 * must wait until the destination has really drained.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { FrameWriter } from '../../src/proxy/frame-writer.js';

// A destination that keeps what it gets; `hold` keeps writes unfinished until release().
function destination(highWaterMark: number, hold = false): { stream: Writable; bytes(): Buffer; writes(): number; release(): void } {
  const chunks: Buffer[] = [];
  const held: Array<() => void> = [];
  let writes = 0;
  let holding = hold;
  const keep = (chunk: Buffer, callback: () => void): void => {
    chunks.push(Buffer.from(chunk));
    if (holding) held.push(callback);
    else callback();
  };
  const stream = new Writable({
    highWaterMark,
    // As net.Socket: strings reach the stream as they are (its length counts UTF-16 units).
    decodeStrings: false,
    write(chunk: Buffer | string, encoding, callback) {
      writes++;
      keep(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk, callback);
    },
    writev(entries, callback) {
      writes++;
      for (const { chunk, encoding } of entries) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
      if (holding) held.push(callback);
      else callback();
    },
  });
  return {
    stream,
    bytes: () => Buffer.concat(chunks),
    writes: () => writes,
    release() {
      holding = false;
      held.splice(0).forEach((callback) => callback());
    },
  };
}

// What the writer did before frames were held: each frame written to the corked stream.
function referenceWrite(stream: Writable, frame: Buffer | string): boolean {
  if (typeof frame === 'string') return stream.write(`${frame}\n`);
  stream.write(frame);
  return stream.write(Buffer.from('\n'));
}

// A destination as a pipe under libuv: a write taken at once has been copied out; one made
// while `holding` keeps pointing at the writer's memory, which is read only when it is
// written (at release(), which hands on what the stream kept meanwhile too).
function pipeLike(): { stream: Writable; bytes(): string; writes(): number; hold(on: boolean): void; release(): void } {
  const copied: Buffer[] = [];
  const views: Buffer[] = [];
  const callbacks: Array<() => void> = [];
  let holding = false;
  let writes = 0;
  const take = (parts: Buffer[], callback: () => void): void => {
    writes++;
    if (holding) {
      views.push(...parts);
      callbacks.push(callback);
    } else {
      copied.push(...parts.map((part) => Buffer.from(part)));
      callback();
    }
  };
  const stream = new Writable({
    highWaterMark: 1 << 20,
    decodeStrings: false,
    write(chunk: Buffer | string, encoding, callback) {
      take([typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk], callback);
    },
    writev(entries, callback) {
      take(
        entries.map(({ chunk, encoding }) => (typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Buffer))),
        callback,
      );
    },
  });
  return {
    stream,
    bytes: () => Buffer.concat(copied).toString(),
    writes: () => writes,
    hold(on) {
      holding = on;
    },
    release() {
      holding = false;
      while (callbacks.length > 0) {
        copied.push(...views.splice(0).map((view) => Buffer.from(view)));
        callbacks.splice(0).forEach((callback) => callback());
      }
    },
  };
}

const FRAMES: Array<Buffer | string> = [
  '{"jsonrpc":"2.0","id":1,"result":{}}',
  Buffer.from('{"jsonrpc":"2.0","id":2,"result":{"text":"é ü 中文"}}'),
  '{"text":"emoji 😀 and a lone surrogate \ud800 here"}',
  Buffer.from(`{"big":"${'b'.repeat(70 * 1024)}"}`),
  `{"long":"${'é'.repeat(40 * 1024)}"}`,
  `{"longer":"${'s'.repeat(70 * 1024)}"}`,
  Buffer.from('{"after":"the large ones"}'),
  '',
];

describe('FrameWriter, corked', () => {
  it('writes the same bytes in the same order as frame-by-frame writes, in fewer writes', () => {
    for (let start = 0; start < FRAMES.length; start++) {
      const frames = [...FRAMES.slice(start), ...FRAMES.slice(0, start)];
      const fast = destination(1 << 20);
      const writer = new FrameWriter(fast.stream, () => undefined);
      const slow = destination(1 << 20);
      writer.cork();
      slow.stream.cork();
      for (const frame of frames) {
        writer.write(frame);
        referenceWrite(slow.stream, frame);
      }
      writer.uncork();
      slow.stream.uncork();
      expect(fast.bytes().equals(slow.bytes())).toBe(true);
      expect(fast.writes()).toBeLessThanOrEqual(slow.writes());
    }
  });

  it('chunks of every size, growing and shrinking, leave as one write each with the same bytes', () => {
    const fast = destination(1 << 30);
    const slow = destination(1 << 30);
    const writer = new FrameWriter(fast.stream, () => undefined);
    // Frames per chunk: few, then many more than the last chunk held (the block grows), then few.
    const counts = [1, 3, 400, 2000, 5, 1, 3000, 0, 7];
    let n = 0;
    for (const count of counts) {
      const before = fast.writes();
      writer.cork();
      slow.stream.cork();
      for (let i = 0; i < count; i++, n++) {
        // ASCII, two- and three-byte characters, a surrogate pair, a lone surrogate and buffers, of varied lengths.
        const frame =
          n % 5 === 0 ? Buffer.from(`{"id":${n},"b":"${'z'.repeat(n % 97)}"}`) : `{"id":${n},"t":"${['a', 'é', '中', '😀', '\ud800'][n % 5]!.repeat(n % 173)}"}`;
        writer.write(frame);
        referenceWrite(slow.stream, frame);
      }
      writer.uncork();
      slow.stream.uncork();
      expect(fast.writes() - before).toBe(count === 0 ? 0 : 1);
      expect(writer.pendingBytes).toBe(0);
    }
    expect(fast.bytes().equals(slow.bytes())).toBe(true);
  });

  it('after a chunk, is full exactly when frame-by-frame writes left the destination at its high-water mark or past it', () => {
    for (const size of [1, 50, 300, 1023, 1024, 5000, 70 * 1024]) {
      for (const hold of [true, false]) {
        const fast = destination(1024, hold);
        const slow = destination(1024, hold);
        const writer = new FrameWriter(fast.stream, () => undefined);
        const full: boolean[] = [];
        const reference: boolean[] = [];
        for (let chunk = 0; chunk < 3; chunk++) {
          writer.cork();
          slow.stream.cork();
          // Within a chunk: whether the destination had room before the chunk's held frames.
          const before = slow.stream.writableLength < 1024;
          for (let i = 0; i < 6; i++) {
            const frame = i % 2 === 0 ? 'x'.repeat(size) : Buffer.from('y'.repeat(size));
            const said = writer.write(frame);
            referenceWrite(slow.stream, frame);
            if (frame.length < 64 * 1024) expect(said).toBe(before);
          }
          writer.uncork();
          slow.stream.uncork();
          full.push(writer.full);
          reference.push(slow.stream.writableLength >= slow.stream.writableHighWaterMark);
        }
        expect(full).toEqual(reference);
        expect(fast.stream.writableLength).toBe(slow.stream.writableLength);
        // A destination that finishes every write at once is never full after a chunk.
        if (!hold) expect(full.every((f) => !f)).toBe(true);
        else if (size * 6 >= 1024) expect(full.every((f) => f)).toBe(true);
      }
    }
  });

  it('a waiter for room waits for the held frames to be written and the destination to drain', async () => {
    const dest = destination(1024, true);
    const writer = new FrameWriter(dest.stream, () => undefined);
    writer.cork();
    expect(writer.write('a'.repeat(600))).toBe(true);
    // Held, not yet in the destination: it is not full yet, but the writer counts them.
    expect(writer.write('b'.repeat(600))).toBe(true);
    expect(writer.full).toBe(true);
    let drained = false;
    const wait = writer.drained();
    expect(writer.drained()).toBe(wait);
    void wait.then(() => (drained = true));
    writer.uncork();
    await new Promise((r) => setTimeout(r, 20));
    // Written, but the destination has not finished it: still waiting.
    expect(dest.bytes().length).toBe(1202);
    expect(writer.full).toBe(true);
    expect(drained).toBe(false);
    dest.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(true);
    expect(writer.full).toBe(false);
  });

  it('a waiter is answered at once when the held frames fit', async () => {
    const dest = destination(1 << 20);
    const writer = new FrameWriter(dest.stream, () => undefined);
    writer.cork();
    writer.write('small');
    const wait = writer.drained();
    writer.uncork();
    await expect(wait).resolves.toBeUndefined();
    expect(dest.bytes().toString()).toBe('small\n');
  });

  it('frames held while corked go before an end made on the stream itself (the server stopped mid-chunk)', async () => {
    const dest = destination(1 << 20);
    const writer = new FrameWriter(dest.stream, () => undefined);
    writer.cork();
    writer.write('{"id":1}');
    writer.write(Buffer.from('{"id":2}'));
    // As terminateChild does: the stream is ended directly, not through the writer.
    writer.writeHeld();
    dest.stream.end();
    writer.uncork();
    await new Promise((resolve) => dest.stream.once('finish', resolve));
    expect(dest.bytes().toString()).toBe('{"id":1}\n{"id":2}\n');
  });

  it('uses a block again only once the stream has written all of it: bytes a write still holds are never overwritten', () => {
    const pipe = pipeLike();
    const writer = new FrameWriter(pipe.stream, () => undefined, true);
    const expected: string[] = [];
    // Chunks of one frame (sequential calls), taken at once, then held, then taken at once again.
    for (let n = 0; n < 30; n++) {
      pipe.hold(n >= 10 && n < 20);
      writer.cork();
      const frame = `{"jsonrpc":"2.0","id":${n},"result":{"text":"${String.fromCharCode(97 + (n % 26)).repeat(20 + n)}"}}`;
      writer.write(n % 2 === 0 ? frame : Buffer.from(frame));
      expected.push(`${frame}\n`);
      writer.uncork();
      // What the held writes point at is read now, as the OS would once the pipe has room.
      if (n === 19) pipe.release();
    }
    expect(pipe.bytes()).toBe(expected.join(''));
    expect(pipe.writes()).toBeGreaterThanOrEqual(20);
  });

  it('with a large frame and writeHeld in the middle of chunks while writes are held, writes the same bytes', () => {
    const pipe = pipeLike();
    const writer = new FrameWriter(pipe.stream, () => undefined, true);
    const expected: string[] = [];
    const large = `{"large":"${'B'.repeat(70 * 1024)}"}`;
    for (let n = 0; n < 40; n++) {
      pipe.hold(n % 7 >= 3 && n % 7 < 6);
      writer.cork();
      const frame = (k: number): string => `{"id":${n},"k":${k},"x":"${String.fromCharCode(97 + ((n + k) % 26)).repeat(5 + n)}"}`;
      writer.write(frame(0));
      expected.push(`${frame(0)}\n`);
      if (n % 3 === 0) {
        writer.write(large);
        expected.push(`${large}\n`);
      }
      if (n % 4 === 0) writer.writeHeld();
      writer.write(Buffer.from(frame(1)));
      expected.push(`${frame(1)}\n`);
      writer.uncork();
      if (n % 7 === 5) pipe.release();
    }
    pipe.release();
    expect(pipe.bytes()).toBe(expected.join(''));
  });

  it('never uses a block again for a stream that hands on the very buffer (a PassThrough), by default', async () => {
    const through = new PassThrough();
    const kept: Buffer[] = [];
    // A reader that keeps what it is handed, without copying, and one that reads it all later.
    through.on('data', (chunk: Buffer) => kept.push(chunk));
    const writer = new FrameWriter(through, () => undefined);
    const expected: string[] = [];
    for (let n = 0; n < 5; n++) {
      writer.cork();
      const frame = `{"id":${n},"x":"${String.fromCharCode(97 + n).repeat(10)}"}`;
      writer.write(frame);
      expected.push(`${frame}\n`);
      writer.uncork();
    }
    through.end();
    await new Promise((resolve) => through.once('end', resolve));
    expect(Buffer.concat(kept).toString()).toBe(expected.join(''));
  });

  it('for a stream that copies, chunks of one frame taken at once share one block (one allocation, not one each)', () => {
    const { stream, bytes } = destination(1 << 20);
    const writer = new FrameWriter(stream, () => undefined, true);
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const expected: string[] = [];
      for (let n = 0; n < 30; n++) {
        writer.cork();
        const frame = `{"jsonrpc":"2.0","id":${n},"method":"tools/call"}`;
        writer.write(frame);
        expected.push(`${frame}\n`);
        writer.uncork();
      }
      expect(allocations).toHaveBeenCalledTimes(1);
      expect(bytes().toString()).toBe(expected.join(''));
    } finally {
      allocations.mockRestore();
    }
  });
});
