import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameToString, LineFramer, OVERSIZE_KEEP_BYTES, type FrameEvent } from '../../src/protocol/framer.js';

const BIG = 64 * 1024 * 1024;

/** Splits `buf` at the given (unsorted, possibly repeated) indexes. */
function splitAt(buf: Buffer, points: number[]): Buffer[] {
  const cuts = [...new Set(points.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const cut of cuts) {
    chunks.push(buf.subarray(prev, cut));
    prev = cut;
  }
  chunks.push(buf.subarray(prev));
  return chunks;
}

/** Runs chunks through a fresh framer, including end(). */
function run(chunks: Buffer[], maxFrameBytes = BIG): FrameEvent[] {
  const framer = new LineFramer({ maxFrameBytes });
  const events: FrameEvent[] = [];
  for (const c of chunks) events.push(...framer.push(c));
  events.push(...framer.end());
  return events;
}

function frameTexts(events: FrameEvent[]): string[] {
  return events.map((e) => (e.kind === 'frame' ? frameToString(e.bytes) : `<oversize ${e.size}>`));
}

// A frame: no "\n", not blank, and not ending in "\r" (which the framer trims by design).
const nonNewlineText = fc.string({ unit: 'grapheme', minLength: 1 }).map((s) => s.replace(/\n/g, ''));
const frameArb = fc.oneof(fc.json(), nonNewlineText).filter((s) => !/^[ \t\r]*$/.test(s) && !s.endsWith('\r'));

describe('LineFramer: splitting', () => {
  it('yields exactly the input frames for any separators and any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(frameArb, fc.boolean()), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        (frames, points, finalNewline) => {
          let text = frames.map(([f, crlf]) => f + (crlf ? '\r\n' : '\n')).join('');
          if (!finalNewline && text.endsWith('\n')) text = text.replace(/\r?\n$/, '');
          const events = run(splitAt(Buffer.from(text, 'utf8'), points));
          expect(events.every((e) => e.kind === 'frame')).toBe(true);
          expect(frameTexts(events)).toEqual(frames.map(([f]) => f));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('yields the same frames when a fixed input is split at every single index', () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"a"}\r\n\n  \n{"x":"é😀"}\n[1,2]\r\n\r\ntail-without-newline';
    const buf = Buffer.from(text, 'utf8');
    const expected = ['{"jsonrpc":"2.0","id":1,"method":"a"}', '{"x":"é😀"}', '[1,2]', 'tail-without-newline'];
    for (let i = 0; i <= buf.length; i++) {
      expect(frameTexts(run([buf.subarray(0, i), buf.subarray(i)]))).toEqual(expected);
    }
    // and byte by byte
    expect(frameTexts(run([...buf].map((b) => Buffer.from([b]))))).toEqual(expected);
  });

  it('reassembles a multi-byte UTF-8 character split across chunks', () => {
    const buf = Buffer.from('{"s":"😀"}\n', 'utf8');
    const emojiStart = buf.indexOf(0xf0);
    for (let k = 1; k < 4; k++) {
      const events = run([buf.subarray(0, emojiStart + k), buf.subarray(emojiStart + k)]);
      expect(frameTexts(events)).toEqual(['{"s":"😀"}']);
    }
  });

  it('skips blank lines: empty, "\\r" only, spaces and tabs', () => {
    expect(run([Buffer.from('\n\r\n \t \n\t\r\n{}\n   ')])).toEqual([{ kind: 'frame', bytes: Buffer.from('{}') }]);
  });

  it('keeps leading and inner whitespace and removes only one trailing "\\r"', () => {
    expect(frameTexts(run([Buffer.from(' {} \r\r\n')]))).toEqual([' {} \r']);
  });

  it('returns a zero-copy subarray for a line inside one chunk', () => {
    const chunk = Buffer.from('{"a":1}\n{"b":2}\n');
    const events = new LineFramer({ maxFrameBytes: 100 }).push(chunk);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.kind).toBe('frame');
      if (e.kind === 'frame') expect(e.bytes.buffer).toBe(chunk.buffer);
    }
  });
});

describe('LineFramer: end()', () => {
  it('emits a final unterminated line, trimming a trailing "\\r"', () => {
    const framer = new LineFramer({ maxFrameBytes: 100 });
    expect(framer.push(Buffer.from('{"a":1}\n{"b"'))).toHaveLength(1);
    expect(framer.buffered).toBe(4);
    expect(framer.push(Buffer.from(':2}\r'))).toEqual([]);
    expect(frameTexts(framer.end())).toEqual(['{"b":2}']);
    expect(framer.buffered).toBe(0);
    expect(framer.end()).toEqual([]);
  });

  it('emits nothing for a blank or empty remainder', () => {
    const framer = new LineFramer({ maxFrameBytes: 100 });
    framer.push(Buffer.from('{}\n \r'));
    expect(framer.end()).toEqual([]);
    expect(new LineFramer({ maxFrameBytes: 1 }).end()).toEqual([]);
  });

  it('emits an oversize event for an oversize unterminated line', () => {
    const framer = new LineFramer({ maxFrameBytes: 10 });
    framer.push(Buffer.from('x'.repeat(50)));
    expect(framer.end()).toEqual([{ kind: 'oversize', size: 50, head: Buffer.from('x'.repeat(50)), tail: Buffer.from('x'.repeat(50)) }]);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new LineFramer({ maxFrameBytes: 0 })).toThrow(RangeError);
    expect(() => new LineFramer({ maxFrameBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe('LineFramer: oversize lines', () => {
  /** A line whose first and last KiB are recognisable. */
  function bigLine(size: number): Buffer {
    const buf = Buffer.alloc(size, 'm');
    buf.write('{"jsonrpc":"2.0","id":42,', 0);
    buf.fill('h', 25, OVERSIZE_KEEP_BYTES);
    buf.fill('t', size - OVERSIZE_KEEP_BYTES, size - 2);
    buf.write('"}', size - 2);
    return buf;
  }

  it('allows a line of exactly maxFrameBytes, with or without "\\r"', () => {
    expect(frameTexts(run([Buffer.from('abcde\nabcde\r\n')], 5))).toEqual(['abcde', 'abcde']);
    expect(frameTexts(run([Buffer.from('abc'), Buffer.from('de\r'), Buffer.from('\n')], 5))).toEqual(['abcde']);
    expect(frameTexts(run([Buffer.from('abcdef\n')], 5))).toEqual(['<oversize 6>']);
    expect(frameTexts(run([Buffer.from('abc'), Buffer.from('def'), Buffer.from('\n')], 5))).toEqual(['<oversize 6>']);
  });

  it('discards a line over the limit in one chunk, and the next frame is intact', () => {
    const line = bigLine(5000);
    const events = run([Buffer.concat([Buffer.from('{"a":1}\n'), line, Buffer.from('\r\n{"b":2}\n')])], 4096);
    expect(events).toHaveLength(3);
    expect(frameTexts([events[0]!, events[2]!])).toEqual(['{"a":1}', '{"b":2}']);
    expect(events[1]).toEqual({
      kind: 'oversize',
      size: 5000,
      head: line.subarray(0, OVERSIZE_KEEP_BYTES),
      tail: line.subarray(5000 - OVERSIZE_KEEP_BYTES),
    });
  });

  it('discards a line over the limit across many chunks, with bounded memory', () => {
    const size = 3 * 1024 * 1024 + 7;
    const line = bigLine(size);
    const input = Buffer.concat([line, Buffer.from('\r\n{"next":true}\n')]);
    const framer = new LineFramer({ maxFrameBytes: 1024 * 1024 });
    const events: FrameEvent[] = [];
    let peak = 0;
    for (let off = 0; off < input.length; off += 1000) {
      events.push(...framer.push(input.subarray(off, off + 1000)));
      peak = Math.max(peak, framer.buffered);
    }
    events.push(...framer.end());
    expect(peak).toBeLessThanOrEqual(1024 * 1024 + 1 + 1000);
    expect(framer.buffered).toBe(0);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      kind: 'oversize',
      size,
      head: line.subarray(0, OVERSIZE_KEEP_BYTES),
      tail: line.subarray(size - OVERSIZE_KEEP_BYTES),
    });
    expect(frameTexts([events[1]!])).toEqual(['{"next":true}']);
  });

  it('reports the same oversize event whatever the chunking', () => {
    const line = bigLine(3000);
    const input = Buffer.concat([line, Buffer.from('\r\n{}\n')]);
    const expected = run([input], 2000);
    expect(expected[0]).toMatchObject({ kind: 'oversize', size: 3000 });
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (points) => {
        expect(run(splitAt(input, points), 2000)).toEqual(expected);
      }),
    );
  });

  it('keeps short head and tail for a small limit', () => {
    const events = run([Buffer.from('0123456789abc\r\n')], 4);
    expect(events).toEqual([{ kind: 'oversize', size: 13, head: Buffer.from('0123456789abc'), tail: Buffer.from('0123456789abc') }]);
  });
});

describe('LineFramer: cost', () => {
  afterEach(() => vi.restoreAllMocks());

  it('copies an 8 MiB line arriving in 64 KiB chunks once, scanning each chunk once', () => {
    const chunkSize = 64 * 1024;
    const chunks = 128;
    const chunk = Buffer.alloc(chunkSize, 0x61);
    const framer = new LineFramer({ maxFrameBytes: BIG });
    const concat = vi.spyOn(Buffer, 'concat');
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    for (let i = 1; i <= chunks; i++) {
      expect(framer.push(chunk)).toEqual([]);
      expect(framer.buffered).toBe(i * chunkSize);
    }
    expect(concat).not.toHaveBeenCalled();
    const events = framer.push(Buffer.from('\n'));
    expect(concat).toHaveBeenCalledTimes(1);
    // One newline search per chunk plus one after the newline: never a rescan of held bytes.
    expect(indexOf).toHaveBeenCalledTimes(chunks + 2);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind === 'frame' && events[0]!.bytes.length).toBe(chunks * chunkSize);
    expect(framer.buffered).toBe(0);
  });
});

describe('frameToString', () => {
  it('decodes UTF-8 and replaces invalid sequences with U+FFFD', () => {
    expect(frameToString(Buffer.from('{"a":"é"}', 'utf8'))).toBe('{"a":"é"}');
    expect(frameToString(Buffer.from([0x22, 0xff, 0x22]))).toBe('"\uFFFD"');
  });

  it('reads a large frame exactly as the UTF-8 decoder does, whatever its bytes (property)', () => {
    // Large frames that are ASCII are decoded as latin1: one byte anywhere outside ASCII (a BOM,
    // a line separator, a byte that is not UTF-8, a lone continuation byte) must send them back.
    const odd = fc.constantFrom([0xef, 0xbb, 0xbf], [0xe2, 0x80, 0xa8], [0xff], [0x80], [0xc3, 0xa9], [0xc3], [0xf0, 0x9f, 0x98, 0x80], [0x7f], [0x00], [0x0d]);
    fc.assert(
      fc.property(fc.integer({ min: 60 * 1024, max: 70 * 1024 }), fc.array(fc.tuple(fc.nat(), odd), { maxLength: 3 }), (size, planted) => {
        const bytes = Buffer.alloc(size, 0x61);
        for (const [at, seq] of planted) Buffer.from(seq).copy(bytes, at % size);
        const text = frameToString(bytes);
        expect(text === bytes.toString('utf8')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('LineFramer.pushEach', () => {
  it('hands over the events push would return, in order, one by one as each line is found', () => {
    const chunks = ['{"a":1}\n{"b"', ':2}\r\n\n', `{"c":"${'x'.repeat(40)}"}\n{"d":4}`, '\n'].map((c) => Buffer.from(c));
    const pushed = new LineFramer({ maxFrameBytes: 16 });
    const each = new LineFramer({ maxFrameBytes: 16 });
    const seen: unknown[] = [];
    for (const chunk of chunks) {
      const expected = pushed.push(chunk);
      const got: unknown[] = [];
      each.pushEach(chunk, { push: (event) => got.push(event) });
      expect(got).toEqual(expected);
      seen.push(...got);
    }
    expect(seen.map((e) => (e as { kind: string }).kind)).toEqual(['frame', 'frame', 'oversize', 'frame']);
  });
});
