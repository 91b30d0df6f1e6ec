/**
 * oneLineFrame passes a frame on as its bytes, when a text as long as the frame with no U+FFFD
 * and no CR says they are ASCII without CR, exactly where the check of the bytes did before:
 * on frames of any bytes (CR, separators, BOMs, bytes that are not UTF-8, U+FFFD written out),
 * decoded leniently (server frames) or strictly (client frames).
 */
import { isAscii } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameToString } from '../../src/protocol/framer.js';
import { isOneLine, oneLineFrame, oneLineText } from '../../src/protocol/one-line.js';
import { scaled } from '../test-scale.js';

// oneLineFrame as it was at 8823f16 (the bytes asked first), the reference.
function oneLineFrameBefore(bytes: Buffer, text: string): Buffer | string {
  if (bytes.indexOf(0x0d) === -1 && isAscii(bytes)) return bytes;
  if (bytes[0] !== 0xef && !/[\r\u0085\u2028\u2029\ufeff\ufffd]/.test(text)) return bytes;
  return isOneLine(bytes) ? bytes : oneLineText(text);
}

const PIECES: number[][] = [
  [0x7b], [0x22], [0x61], [0x20], [0x0a], [0x0d], [0x09], [0x7f], [0x00],
  [0xc2, 0x85], [0xe2, 0x80, 0xa8], [0xe2, 0x80, 0xa9], [0xef, 0xbb, 0xbf], [0xef, 0xbf, 0xbd], [0xc3, 0xa9], [0xf0, 0x9f, 0x98, 0x80],
  // Not UTF-8: lone continuation bytes, cut sequences, overlong forms, encoded surrogates, bytes never used.
  [0x80], [0xbf], [0xc2], [0xe2, 0x80], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe], [0xf8, 0x88, 0x80, 0x80, 0x80],
];
const frames = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((parts) => Buffer.from(parts.flat()));
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const seen = { bytes: 0, text: 0 };

function expectAsBefore(bytes: Buffer, text: string): void {
  const before = oneLineFrameBefore(bytes, text);
  const now = oneLineFrame(bytes, text);
  if (before === bytes) {
    expect(now).toBe(bytes);
    seen.bytes++;
  } else {
    expect(now).toEqual(before);
    seen.text++;
  }
}

describe('oneLineFrame', () => {
  it('answers as before on frames of any bytes, read as the server side and the client side read them', () => {
    seen.bytes = seen.text = 0;
    fc.assert(
      fc.property(frames, (bytes) => {
        expectAsBefore(bytes, frameToString(bytes));
        expectAsBefore(bytes, bytes.toString('latin1').length === bytes.length && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8'));
        let strict: string | undefined;
        try {
          strict = strictUtf8.decode(bytes);
        } catch {
          strict = undefined;
        }
        if (strict !== undefined) expectAsBefore(bytes, strict);
      }),
      { numRuns: scaled(6000) },
    );
    expect(seen.bytes).toBeGreaterThan(scaled(2000));
    expect(seen.text).toBeGreaterThan(scaled(2000));
  });

  it('passes an ASCII answer on as its bytes, and rewrites one with a CR, a BOM or a separator', () => {
    const answer = Buffer.from('{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"{\\"text\\":\\"hello\\"}"}]}}');
    expect(oneLineFrame(answer, frameToString(answer))).toBe(answer);
    for (const odd of ['\r', '\ufeff', '\u2028']) {
      const bytes = Buffer.from(`${odd === '\ufeff' ? odd : ''}{"a":${odd === '\r' ? '\r1' : `"${odd}"`}}`);
      expect(oneLineFrame(bytes, frameToString(bytes))).toBe(oneLineText(frameToString(bytes)));
    }
    // Not UTF-8, decoded as U+FFFD: the text is as long as the frame, and the bytes are not ASCII.
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(frameToString(bad).length).toBe(bad.length);
    expect(oneLineFrame(bad, frameToString(bad))).toBe('{"a":"\ufffd"}');
  });
});
