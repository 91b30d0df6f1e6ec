/**
 * holdEarlyOutput (src/proxy/early-output.ts) over seeded schedules: chunks of random sizes
 * written before and after the hand-over, turns of the event loop in between, the bound
 * reached or not, the output ended before, at or after the hand-over, and readers that read
 * by 'data' or by 'readable' (as a stream consumer may). Whatever the schedule, the reader
 * gets exactly the bytes written, in order, and the end once.
 */
import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdEarlyOutput } from '../../src/proxy/early-output.js';

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Everything the reader gets until the end, read by 'data' events or by read() on 'readable'.
function readAll(stream: Readable, byReadable: boolean): Promise<{ bytes: Buffer; ends: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ends = 0;
    if (byReadable) {
      stream.on('readable', () => {
        for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) chunks.push(chunk);
      });
    } else stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      ends++;
      // A second 'end' would arrive after this turn.
      setImmediate(() => resolve({ bytes: Buffer.concat(chunks), ends }));
    });
    stream.once('error', reject);
  });
}

describe('holdEarlyOutput on generated schedules', () => {
  it('hands the reader every byte written, in order, and the end once', async () => {
    const next = generator(64);
    for (let run = 0; run < 300; run++) {
      const bound = [16, 100, 1024, 64 * 1024][next(4)]!;
      const pipe = new PassThrough({ highWaterMark: [16, 1024, 16 * 1024][next(3)]! });
      const take = holdEarlyOutput(pipe, bound);
      const written: Buffer[] = [];
      let counter = 0;
      const write = (): void => {
        const chunk = Buffer.alloc(1 + next(next(4) === 0 ? 3000 : 40));
        for (let i = 0; i < chunk.length; i++) chunk[i] = (counter++ * 7) & 0xff;
        written.push(chunk);
        pipe.write(chunk);
      };
      const before = next(12);
      const endAt = next(3); // 0: before the hand-over, 1: right after it, 2: later
      for (let i = 0; i < before; i++) {
        write();
        if (next(3) === 0) await turn();
      }
      if (endAt === 0) {
        pipe.end();
        if (next(2) === 0) await turn();
      }
      if (next(2) === 0) await turn();
      const stream = take();
      expect(take()).toBe(stream);
      const all = readAll(stream, next(3) === 0);
      if (endAt === 1) pipe.end();
      else if (endAt === 2) {
        for (let i = next(6); i > 0; i--) {
          write();
          if (next(2) === 0) await turn();
        }
        pipe.end();
      }
      const got = await all;
      expect(got.ends, `run ${run}`).toBe(1);
      expect(got.bytes.equals(Buffer.concat(written)), `run ${run}: ${got.bytes.length} bytes read of ${Buffer.concat(written).length}`).toBe(true);
    }
  });
});
