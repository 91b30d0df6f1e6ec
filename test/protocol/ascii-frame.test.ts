/**
 * isAscii of a frame, kept for a large one (src/protocol/ascii-frame.ts): the same answer as
 * isAscii for frames of every size, ASCII or not anywhere in them, asked once or again.
 */
import { isAscii } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { asciiFrame, KEEP_FROM_BYTES } from '../../src/protocol/ascii-frame.js';

describe('asciiFrame', () => {
  it('answers as isAscii, for small and large frames, at every place of a wide byte', () => {
    for (const size of [0, 1, 100, KEEP_FROM_BYTES - 1, KEEP_FROM_BYTES, 3 * KEEP_FROM_BYTES + 5]) {
      const plain = Buffer.alloc(size, 0x61);
      expect(asciiFrame(plain)).toBe(true);
      expect(asciiFrame(plain)).toBe(true);
      for (const at of [0, Math.floor(size / 2), size - 1]) {
        if (size === 0) continue;
        const wide = Buffer.alloc(size, 0x61);
        wide[at] = 0x80;
        expect(asciiFrame(wide), `${size} ${at}`).toBe(isAscii(wide));
        expect(asciiFrame(wide)).toBe(false);
        // A view of the same memory is another frame: it gets its own answer.
        expect(asciiFrame(wide.subarray(0, at))).toBe(true);
      }
    }
  });
});
