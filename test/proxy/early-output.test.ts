import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startChild } from '../../src/proxy/child.js';
import { holdEarlyOutput } from '../../src/proxy/early-output.js';

// Everything a reader attached now gets, until the stream ends.
function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    stream.once('end', () => resolve(text));
    stream.once('error', reject);
  });
}

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('holdEarlyOutput', () => {
  it('hands over what came before the reader, then the rest, in order, on the pipe itself', async () => {
    const pipe = new PassThrough();
    const take = holdEarlyOutput(pipe);
    pipe.write('one ');
    pipe.write('two ');
    await tick();
    const stream = take();
    expect(stream).toBe(pipe);
    expect(take()).toBe(stream);
    const all = readAll(stream);
    pipe.write('three');
    pipe.end();
    expect(await all).toBe('one two three');
  });

  it('keeps what a stream that already ended wrote, and ends', async () => {
    const pipe = new PassThrough();
    const take = holdEarlyOutput(pipe);
    pipe.end('all of it');
    await tick(5);
    expect(await readAll(take())).toBe('all of it');
  });

  it('pauses the pipe past its bound, and starts it again when taken', async () => {
    const pipe = new PassThrough({ highWaterMark: 16 });
    const take = holdEarlyOutput(pipe, 10);
    const written = 'x'.repeat(25) + 'y'.repeat(25);
    for (let i = 0; i < written.length; i += 5) pipe.write(written.slice(i, i + 5));
    pipe.end();
    await tick(5);
    expect(pipe.isPaused()).toBe(true);
    expect(await readAll(take())).toBe(written);
  });
});

describe('startChild: the output of a server that writes before the proxy reads', () => {
  it('keeps a quick server output written and ended before anyone looked', async () => {
    const child = await startChild({ command: process.execPath, args: ['-e', "process.stdout.write('early bird\\n')"], env: process.env });
    await child.exited;
    // Node drains an untouched stdout once the child has exited: give it the chance.
    await tick(100);
    expect(await readAll(child.stdout)).toBe('early bird\n');
  });

  it('keeps more than the bound, the server waiting until it is read', async () => {
    const size = 300_000;
    const child = await startChild({ command: process.execPath, args: ['-e', `process.stdout.write('z'.repeat(${size}))`], env: process.env });
    await tick(300);
    const text = await readAll(child.stdout);
    expect(text.length).toBe(size);
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });
});
