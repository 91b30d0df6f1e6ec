/**
 * When the sink writes: the lines of a start (operational lines before the server has said
 * anything) wait for the server's first message, so that reading them (the secret rules' cold
 * start) does not hold up the first answer; decisions are written as before; nothing waits
 * past flush() or the far bound. Fake timers: no assertion depends on the machine's speed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditSink, type AuditSinkOptions } from '../../src/audit/sink.js';
import type { DecisionRecord } from '../../src/audit/types.js';

function sink(overrides: Partial<AuditSinkOptions> = {}) {
  const lines: string[] = [];
  const redacted: string[] = [];
  const made = createAuditSink({
    serverName: 'srv',
    sessionId: 's-1',
    stderr: { write: (line: string) => lines.push(line) },
    arguments: 'redacted',
    redactKeys: [],
    chain: false,
    redactSecrets: (text) => (redacted.push(text), text),
    ...overrides,
  });
  const msgs = () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  return { sink: made, lines, msgs, redacted };
}

const call: DecisionRecord = { direction: 'client', method: 'tools/call', id: 1, tool: 'echo', verdict: 'forward', rules: [], decisionUs: 3, args: { text: 'hi there, friend' } };
const initialize: DecisionRecord = { direction: 'client', method: 'initialize', id: 0, verdict: 'forward', rules: [], decisionUs: 2 };
const answer: DecisionRecord = { direction: 'server', method: 'initialize', id: 0, verdict: 'forward', rules: [], decisionUs: 2 };

describe('the audit sink at the start of a session', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('writes the start lines once the server has answered, not before, and does not read them before', async () => {
    const { sink: s, msgs, redacted } = sink();
    s.log('info', 'server started', { command: 'node', args: ['/srv/server-with-a-long-path.js'] });
    s.record(initialize);
    vi.advanceTimersByTime(500);
    expect(msgs()).toEqual([]);
    // Nothing of the line has been read (redacted) yet either: that is the work kept off the first answer.
    expect(redacted).toEqual([]);
    // The answer is decided (and at the default level not even logged): the start lines follow shortly.
    s.record(answer);
    vi.advanceTimersByTime(20);
    expect(msgs()).toEqual(['server started']);
    // From then on, operational lines are written as soon as decisions are.
    s.log('info', 'later');
    vi.advanceTimersByTime(20);
    expect(msgs()).toEqual(['server started', 'later']);
    await s.close();
  });

  it('a decision queued before the server spoke is written as soon as ever, with the start lines', async () => {
    const { sink: s, msgs } = sink();
    s.log('info', 'server started');
    s.record(call);
    vi.advanceTimersByTime(20);
    expect(msgs()).toEqual(['server started', 'forwarded tools/call echo']);
    await s.close();
  });

  it('a server that never speaks: the start lines are written after the far bound, or by flush and close', async () => {
    const first = sink();
    first.sink.log('info', 'server started');
    vi.advanceTimersByTime(999);
    expect(first.msgs()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(first.msgs()).toEqual(['server started']);

    const second = sink();
    second.sink.log('info', 'server started');
    second.sink.flush();
    expect(second.msgs()).toEqual(['server started']);

    const third = sink();
    third.sink.log('warn', 'client input ended');
    await third.sink.close();
    expect(third.msgs()).toEqual(['client input ended']);
  });

  it('the audit file gets every line too, in order, whenever they are written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanguard-sink-start-'));
    try {
      const file = join(dir, 'audit.log');
      const { sink: s, lines } = sink({ file, chain: true });
      s.log('info', 'server started');
      s.record(answer);
      s.record(call);
      vi.advanceTimersByTime(20);
      await s.close();
      expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['server started', 'forwarded tools/call echo']);
      expect(lines).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
