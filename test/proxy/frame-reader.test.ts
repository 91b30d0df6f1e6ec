/**
 * readFrames hands the proxy each frame of a chunk as the framer finds it, between one
 * onChunkStart and one onChunkEnd; a chunk that completes no line starts no batch.
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer, type FrameEvent } from '../../src/protocol/framer.js';
import { readFrames } from '../../src/proxy/frame-reader.js';
import { scaled } from '../test-scale.js';

type Step = string;

function reader(source: PassThrough, steps: Step[]): Promise<void> {
  return new Promise((resolve) => {
    readFrames(source, {
      maxFrameBytes: 64,
      onEvent(event) {
        const text = event.kind === 'frame' ? event.bytes.toString() : `oversize ${event.size}`;
        steps.push(text);
        return undefined;
      },
      onChunkStart: () => void steps.push('start'),
      onChunkEnd: () => void steps.push('end'),
      onEnd: () => {
        steps.push('ended');
        resolve();
      },
    });
  });
}

describe('readFrames', () => {
  it('brackets each chunk that completes lines, in order, oversize and the last unterminated line included', async () => {
    const source = new PassThrough();
    const steps: Step[] = [];
    const done = reader(source, steps);
    source.write('{"a":1}\n{"b":');
    source.write('2}\n');
    source.write('{"c":3');
    source.write('}\n\n   \n{"d":4}\n');
    source.write(`{"big":"${'x'.repeat(100)}"}\n{"e":5}`);
    source.end();
    await done;
    expect(steps).toEqual(['start', '{"a":1}', 'end', 'start', '{"b":2}', 'end', 'start', '{"c":3}', '{"d":4}', 'end', 'start', 'oversize 110', 'end', 'start', '{"e":5}', 'end', 'ended']);
  });
});

/** What an event says, copied out (the reader reuses its frame event). */
function snapshot(event: FrameEvent): string {
  return event.kind === 'frame' ? `frame ${event.bytes.toString('hex')}` : `oversize ${event.size} ${event.head.toString('hex')} ${event.tail.toString('hex')}`;
}

describe('readFrames over a reused event (differential)', () => {
  it('hands on what a framer returning new events finds, for any chunking, with pauses for a full destination between chunks (property)', async () => {
    const line = fc.oneof(fc.constantFrom('', ' \t', '\r', 'a\rb', '{"a":1}', 'x'.repeat(70)), fc.string({ maxLength: 10 }).map((t) => t.replace(/\n/g, '')));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 10 }),
        fc.option(line, { nil: undefined }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (lines, last, points, waits) => {
          const input = Buffer.from(lines.map(([text, end]) => text + end).join('') + (last ?? ''));
          const cuts = [...new Set(points.map((p) => p % (input.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const cut of [...cuts, input.length]) {
            if (cut > prev) chunks.push(input.subarray(prev, cut));
            prev = cut;
          }
          const old = new LineFramer({ maxFrameBytes: 64 });
          const expected = [...chunks.flatMap((c) => old.push(c)), ...old.end()].map(snapshot);
          const source = new PassThrough();
          const got: string[] = [];
          let n = 0;
          const done = new Promise<void>((resolve) => {
            readFrames(source, {
              maxFrameBytes: 64,
              onEvent(event) {
                got.push(snapshot(event));
                // Some events find their destination full: reading pauses until it drains.
                if (!waits[n++ % waits.length]) return undefined;
                return new Promise<void>((drained) => setImmediate(drained));
              },
              onEnd: resolve,
            });
          });
          for (const chunk of chunks) source.write(chunk);
          source.end();
          await done;
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: scaled(150) },
    );
  });
});

describe('readFrames: the text of a frame read from ASCII bytes', () => {
  it('comes with the event for a line wholly inside an ASCII chunk, and not otherwise', async () => {
    const source = new PassThrough();
    const seen: Array<[string, string | undefined]> = [];
    const done = new Promise<void>((resolve) => {
      readFrames(source, {
        maxFrameBytes: 64,
        onEvent(event) {
          if (event.kind === 'frame') seen.push([event.bytes.toString('latin1'), event.text]);
          return undefined;
        },
        onEnd: resolve,
      });
    });
    source.write('{"a":1}\r\n{"b":');
    source.write('2}\n');
    source.write(Buffer.from('{"c":"\u00e9"}\n{"d":4}\n', 'utf8'));
    source.write('{"e":\t5}\n{"f":6}');
    source.end();
    await done;
    expect(seen).toEqual([
      ['{"a":1}', '{"a":1}'],
      // Begun in one chunk and ended in the next: read by the engine.
      ['{"b":2}', undefined],
      // A chunk with a byte that is not ASCII: none of its lines.
      [Buffer.from('{"c":"\u00e9"}', 'utf8').toString('latin1'), undefined],
      ['{"d":4}', undefined],
      ['{"e":\t5}', '{"e":\t5}'],
      // The last line, without its "\n", comes at the end of input.
      ['{"f":6}', undefined],
    ]);
  });
});

describe('readFrames: the memory of a long line given back only once its outputs are written (whenWritten)', () => {
  const SIZE = 1024 * 1024 + 100_000;
  // A long line of `byte` in 64 KiB writes, and its "\n".
  const send = (source: PassThrough, byte: number): void => {
    for (let at = 0; at < SIZE; at += 65536) source.write(Buffer.alloc(Math.min(65536, SIZE - at), byte));
    source.write('\n');
  };
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const all = (bytes: Buffer, byte: number): boolean => bytes.length === SIZE && bytes.every((b) => b === byte);

  it('keeps what a writer still holds as it was, and writes later lines into the memory once told it is out', async () => {
    const source = new PassThrough();
    // What a writer that hands on the very buffer holds (a PassThrough's reader, a queued write).
    const held: Buffer[] = [];
    const waiting: Array<() => void> = [];
    readFrames(source, {
      maxFrameBytes: 64 * 1024 * 1024,
      onEvent(event) {
        if (event.kind === 'frame') held.push(event.bytes);
        return undefined;
      },
      whenWritten: (run) => void waiting.push(run),
      onEnd: () => undefined,
    });
    send(source, 0x61);
    send(source, 0x62);
    await settle();
    // Two long lines, neither written yet: each has memory of its own, and reads as itself.
    expect(held).toHaveLength(2);
    expect(waiting).toHaveLength(2);
    expect(held[1]!.buffer).not.toBe(held[0]!.buffer);
    expect([all(held[0]!, 0x61), all(held[1]!, 0x62)]).toEqual([true, true]);
    // The first is written out: the next long line goes into its memory; the second is untouched.
    waiting.shift()!();
    send(source, 0x63);
    await settle();
    expect(held[2]!.buffer).toBe(held[0]!.buffer);
    expect([all(held[1]!, 0x62), all(held[2]!, 0x63)]).toEqual([true, true]);
    source.end();
  });

  it('gives a long line memory of its own every time without whenWritten', async () => {
    const source = new PassThrough();
    const held: Buffer[] = [];
    readFrames(source, {
      maxFrameBytes: 64 * 1024 * 1024,
      onEvent(event) {
        if (event.kind === 'frame') held.push(event.bytes);
        return undefined;
      },
      onEnd: () => undefined,
    });
    for (const byte of [0x61, 0x62, 0x63]) send(source, byte);
    await settle();
    expect(new Set(held.map((b) => b.buffer)).size).toBe(3);
    expect([all(held[0]!, 0x61), all(held[1]!, 0x62), all(held[2]!, 0x63)]).toEqual([true, true, true]);
    source.end();
  });
});
