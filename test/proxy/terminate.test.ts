/**
 * The grace escalation with a fake child: the grace starts over while the server is still
 * delivering answers, and only then does SIGTERM follow.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ChildExit, ChildHandle } from '../../src/proxy/child.js';
import { terminateChild } from '../../src/proxy/terminate.js';

// A child that records the signals it gets and exits on the first SIGTERM.
function fakeChild(): { child: ChildHandle; signals: string[]; stdinEnded(): boolean } {
  const signals: string[] = [];
  const stdin = new PassThrough();
  let exit: (value: ChildExit) => void = () => undefined;
  const exited = new Promise<ChildExit>((resolve) => (exit = resolve));
  const child: ChildHandle = {
    pid: 1,
    stdin,
    stdout: new PassThrough(),
    exited,
    signal(signal) {
      signals.push(signal);
      if (signal === 'SIGTERM') exit({ code: null, signal });
    },
  };
  return { child, signals, stdinEnded: () => stdin.writableEnded };
}

describe('terminateChild', () => {
  it('restarts the grace while the server is delivering, then sends SIGTERM', async () => {
    const { child, signals, stdinEnded } = fakeChild();
    let looks = 0;
    const exit = await terminateChild(child, { graceMs: 10, killMs: 10 }, () => ++looks <= 3);
    expect(stdinEnded()).toBe(true);
    // Three looks said "still delivering", the fourth did not: only then SIGTERM.
    expect(looks).toBe(4);
    expect(signals).toEqual(['SIGTERM']);
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('without a probe escalates after one grace, as before', async () => {
    const { child, signals } = fakeChild();
    await terminateChild(child, { graceMs: 10, killMs: 10 });
    expect(signals).toEqual(['SIGTERM']);
  });

  it('with a grace of 0 does not ask the probe at all', async () => {
    const { child, signals } = fakeChild();
    let looks = 0;
    await terminateChild(child, { graceMs: 0, killMs: 10 }, () => ++looks > 0);
    expect(looks).toBe(0);
    expect(signals).toEqual(['SIGTERM']);
  });
});
