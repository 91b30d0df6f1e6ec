/**
 * readFrames hands the proxy each frame of a chunk as the framer finds it, between one
 * onChunkStart and one onChunkEnd; a chunk that completes no line starts no batch.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readFrames } from '../../src/proxy/frame-reader.js';

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
