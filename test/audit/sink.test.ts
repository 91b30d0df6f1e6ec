import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditSink, FLUSH_AT_RECORDS, type AuditSinkOptions } from '../../src/audit/sink.js';
import { decisionLevel, decisionMessage } from '../../src/audit/record.js';
import type { DecisionRecord } from '../../src/audit/types.js';

const clock = () => new Date('2026-01-02T03:04:05.678Z');

function collect(overrides: Partial<AuditSinkOptions> = {}) {
  const lines: string[] = [];
  const sink = createAuditSink({
    serverName: 'filesystem',
    sessionId: 's-1',
    stderr: { write: (line: string) => lines.push(line) },
    arguments: 'redacted',
    redactKeys: [],
    chain: false,
    clock,
    ...overrides,
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  // Lines are written once per event-loop turn; these tests look right after each call.
  const flushing: typeof sink = {
    record: (decision) => {
      sink.record(decision);
      sink.flush();
    },
    log: (level, msg, fields) => {
      sink.log(level, msg, fields);
      sink.flush();
    },
    flush: () => sink.flush(),
    close: () => sink.close(),
  };
  return { sink: flushing, raw: sink, lines, parsed };
}

const call: DecisionRecord = {
  direction: 'client',
  method: 'tools/call',
  id: 7,
  tool: 'read_file',
  verdict: 'block',
  rules: ['paths.denied'],
  reason: 'path /etc/shadow is denied',
  decisionUs: 85,
  args: { path: '/etc/shadow', token: 'abc' },
  detail: { resolved: '/etc/shadow' },
};

describe('createAuditSink', () => {
  it('queues records and writes them together shortly after, in order, with the time they were made', async () => {
    let t = Date.parse('2026-01-02T03:04:05.000Z');
    const { raw, lines } = collect({ clock: () => new Date((t += 1000)) });
    raw.record({ ...call, id: 1 });
    raw.record({ ...call, id: 2 });
    expect(lines).toEqual([]);
    for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines.map((line) => JSON.parse(line) as { id: number; time: string }).map((r) => [r.id, r.time])).toEqual([
      [1, '2026-01-02T03:04:06.000Z'],
      [2, '2026-01-02T03:04:07.000Z'],
    ]);
  });

  it('gives each line of one batch its own level and time, whether records share a millisecond and a level or not', () => {
    // Milliseconds 0, 0, 0, 1, 1, 3 past the start; levels warn, info, warn, warn, info, info.
    const steps = [0, 0, 0, 1, 1, 3];
    let i = 0;
    const start = Date.parse('2026-01-02T03:04:05.000Z');
    const { raw, lines } = collect({ clock: () => new Date(start + (steps[i++] ?? 9)) });
    const allowed: DecisionRecord = { ...call, verdict: 'forward', rules: [], reason: undefined, detail: undefined };
    const sent = [call, allowed, call, call, allowed, allowed].map((d, n) => ({ ...d, id: n }));
    for (const d of sent) raw.record(d);
    raw.flush();
    const read = lines.map((line) => JSON.parse(line) as { id: number; level: number; time: string; server: string; session: string });
    expect(read.map((r) => [r.id, r.level, r.time, r.server, r.session])).toEqual(
      sent.map((d, n) => [n, d.verdict === 'block' ? 40 : 30, new Date(start + (steps[n] as number)).toISOString(), 'filesystem', 's-1']),
    );
    expect(sent.map(decisionLevel)).toEqual(['warn', 'info', 'warn', 'warn', 'info', 'info']);
  });

  it('writes a long queue at once, so it cannot grow without bound', () => {
    const { raw, lines } = collect();
    for (let i = 0; i < 600; i++) {
      raw.record({ ...call, id: i });
      // Never more than FLUSH_AT_RECORDS records wait to be written.
      expect(i + 1 - lines.length).toBeLessThan(FLUSH_AT_RECORDS);
    }
    expect(lines.length).toBe(600 - (600 % FLUSH_AT_RECORDS));
    raw.flush();
    expect(lines).toHaveLength(600);
  });

  it('writes a record queued while the queue is being written, once, after the one being made', () => {
    // A redactor that records a decision of its own while a line is made (nothing in the shim
    // does, but the queue must neither lose it nor write anything twice); once with a full
    // queue behind it, so that what it queues reaches the length that writes the queue at once.
    let inner = 0;
    let sink: ReturnType<typeof createAuditSink> | undefined;
    const { raw, lines } = collect({
      redactSecrets: (text) => {
        if (text === 'queue-more' && inner === 0) for (let i = 0; i < FLUSH_AT_RECORDS + 3; i++) sink?.record({ ...call, id: 10_000 + inner++, tool: 'inner' });
        return text;
      },
    });
    sink = raw;
    for (let i = 0; i < FLUSH_AT_RECORDS - 1; i++) sink.record({ ...call, id: i });
    sink.record({ ...call, id: 'last', tool: 'queue-more' });
    sink.flush();
    const ids = lines.map((line) => (JSON.parse(line) as { id: unknown }).id);
    const innerIds = Array.from({ length: FLUSH_AT_RECORDS + 3 }, (_, i) => 10_000 + i);
    expect(ids).toEqual([...Array.from({ length: FLUSH_AT_RECORDS - 1 }, (_, i) => i), 'last', ...innerIds]);
  });

  it('writes one JSON line per record with every decision field', () => {
    const { sink, lines, parsed } = collect();
    sink.record(call);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('}\n')).toBe(true);
    expect(lines[0]?.indexOf('\n')).toBe(lines[0]!.length - 1);
    expect(parsed()[0]).toEqual({
      level: 40,
      time: '2026-01-02T03:04:05.678Z',
      server: 'filesystem',
      session: 's-1',
      direction: 'client',
      method: 'tools/call',
      id: 7,
      tool: 'read_file',
      verdict: 'block',
      rules: ['paths.denied'],
      reason: 'path /etc/shadow is denied',
      decisionUs: 85,
      args: { path: '/etc/shadow', token: '[REDACTED]' },
      detail: { resolved: '/etc/shadow' },
      msg: 'blocked tools/call read_file',
    });
  });

  it('leaves plain forwards out at the default level, but for calls and the tool lists answered', () => {
    const { sink, parsed } = collect();
    sink.record({ direction: 'server', method: 'notifications/progress', verdict: 'forward', rules: [], decisionUs: 3 });
    sink.record({ direction: 'client', method: 'tools/list', id: 1, verdict: 'forward', rules: [], decisionUs: 4 });
    sink.record({ direction: 'server', method: 'tools/list', id: 1, verdict: 'forward', rules: [], decisionUs: 4 });
    sink.record({ direction: 'client', method: 'tools/call', id: 'a', tool: 't', verdict: 'forward', rules: [], decisionUs: 5, args: {} });
    sink.record({ direction: 'server', method: 'tools/call', id: 'a', tool: 't', verdict: 'forward', rules: [], decisionUs: 5 });
    sink.record({ direction: 'client', method: 'ping', id: 2, verdict: 'drop', rules: [], decisionUs: 1 });
    expect(parsed().map((line) => [line.direction, line.method, line.level])).toEqual([
      ['server', 'tools/list', 30],
      ['client', 'tools/call', 30],
      ['client', 'ping', 30],
    ]);
  });

  it('writes them at level debug', () => {
    const { sink, parsed } = collect({ level: 'debug' });
    sink.record({ direction: 'server', method: 'notifications/progress', verdict: 'forward', rules: [], decisionUs: 3 });
    expect(parsed()[0]).toMatchObject({ level: 20, method: 'notifications/progress', msg: 'forwarded notifications/progress' });
  });

  it('honours a higher level for operational logs too', () => {
    const { sink, parsed } = collect({ level: 'warn' });
    sink.log('info', 'child started');
    sink.record({ ...call, verdict: 'forward' });
    sink.record(call);
    sink.log('error', 'child died', { code: 1 });
    expect(parsed().map((line) => line.msg)).toEqual(['blocked tools/call read_file', 'child died']);
    expect(parsed().map((line) => line.level)).toEqual([40, 50]);
  });

  it('writes exactly the levels at or above its own, for every level', () => {
    const levels = ['debug', 'info', 'warn', 'error'] as const;
    for (const [at, level] of levels.entries()) {
      const { sink, parsed } = collect({ level });
      for (const each of levels) sink.log(each, `a ${each} line`);
      // Decisions at debug (a plain ping), info (a call passed) and warn (a call refused).
      sink.record({ direction: 'client', method: 'ping', verdict: 'forward', rules: [], decisionUs: 1 });
      sink.record({ ...call, verdict: 'forward' });
      sink.record(call);
      const decisions = ['forwarded ping', 'forwarded tools/call read_file', 'blocked tools/call read_file'].slice(at);
      expect(parsed().map((line) => line.msg), level).toEqual([...levels.slice(at).map((each) => `a ${each} line`), ...decisions]);
    }
  });

  it('leaves args out in omit mode', () => {
    const { sink, parsed } = collect({ arguments: 'omit' });
    sink.record(call);
    expect(parsed()[0]).not.toHaveProperty('args');
  });

  it('hashes args in hashed mode', () => {
    const { sink, parsed } = collect({ arguments: 'hashed' });
    sink.record(call);
    expect(parsed()[0]?.args).toEqual({ path: expect.stringMatching(/^sha256:[0-9a-f]{16}$/), token: '[REDACTED]' });
  });

  it('logs args as received in full mode', () => {
    const { sink, parsed } = collect({ arguments: 'full' });
    sink.record(call);
    expect(parsed()[0]?.args).toEqual({ path: '/etc/shadow', token: 'abc' });
  });

  it('redacts reason and detail whatever the argument mode', () => {
    const { sink, parsed } = collect({ arguments: 'full' });
    sink.record({ ...call, reason: 'secret found: ghp_abcdefghijklmnopqrstuvwxyz0123456789', detail: { password: 'x' } });
    expect(parsed()[0]).toMatchObject({ reason: 'secret found: [REDACTED]', detail: { password: '[REDACTED]' } });
  });

  it('writes operational logs with msg and fields, redacted, reserved names moved', () => {
    const { sink, parsed } = collect();
    sink.log('info', 'child started', { command: 'server --token=abc', pid: 42, seq: 9, msg: 'x' });
    expect(parsed()[0]).toEqual({
      level: 30,
      time: '2026-01-02T03:04:05.678Z',
      server: 'filesystem',
      session: 's-1',
      command: 'server --token=[REDACTED]',
      pid: 42,
      field_seq: 9,
      field_msg: 'x',
      msg: 'child started',
    });
  });

  it('makes a session id given as a function once, when the first line needs it, and puts it on every line', () => {
    let made = 0;
    const { sink, parsed } = collect({ sessionId: () => `lazy-${++made}` });
    // Creating the sink (as a start does before it spawns the server) makes no id.
    expect(made).toBe(0);
    sink.record(call);
    sink.log('info', 'child started', { pid: 42 });
    sink.record({ ...call, id: 2 });
    expect(made).toBe(1);
    expect(parsed().map((line) => line.session)).toEqual(['lazy-1', 'lazy-1', 'lazy-1']);
  });

  it('ignores records after close', async () => {
    const { sink, lines } = collect();
    await sink.close();
    sink.record(call);
    sink.log('info', 'late');
    expect(lines).toHaveLength(0);
  });

  it('writes to the file as well as the stream, and never to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanguard-audit-'));
    const stdout = vi.spyOn(process.stdout, 'write');
    try {
      const { sink, lines } = collect({ file: join(dir, 'nested', 'audit.log'), chain: true });
      sink.log('info', 'started');
      sink.record(call);
      await sink.close();
      expect(stdout).not.toHaveBeenCalled();
      expect(lines).toHaveLength(2);
      expect(readFileSync(join(dir, 'nested', 'audit.log'), 'utf8').split('\n')).toHaveLength(3);
    } finally {
      stdout.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decisionLevel', () => {
  const base: Omit<DecisionRecord, 'verdict'> = { direction: 'client', rules: [], decisionUs: 0 };
  it.each([
    ['forward', 'client', 'tools/call', 'info'],
    ['forward', 'server', 'tools/call', 'debug'],
    ['forward', 'client', 'tools/list', 'debug'],
    ['forward', 'server', 'tools/list', 'info'],
    ['forward', 'client', 'resources/read', 'debug'],
    ['forward', 'server', undefined, 'debug'],
    ['rewrite', 'server', 'tools/list', 'info'],
    ['drop', 'client', 'notifications/cancelled', 'info'],
    ['block', 'client', 'tools/call', 'warn'],
    ['hide', 'client', 'tools/call', 'warn'],
    ['would-block', 'client', 'tools/call', 'warn'],
  ] as const)('%s from the %s of %s is %s', (verdict, direction, method, level) => {
    expect(decisionLevel({ ...base, direction, verdict, method })).toBe(level);
  });

  // Issue 9: a `warn` action, poisoning and pin changes log at warn even when nothing is refused.
  it.each([
    ['a call a warn action let through', { direction: 'client', method: 'tools/call', verdict: 'forward', rules: ['default', 'sql.tautology'], detail: { findings: [{ rule: 'sql.tautology' }] } }],
    ['a result a warn action let through', { direction: 'server', method: 'tools/call', verdict: 'forward', rules: ['result.redact:aws-access-key-id'] }],
    ['a list with a poisoned tool hidden', { direction: 'server', method: 'tools/list', verdict: 'rewrite', rules: ['metadata.poisoning'] }],
    ['a list with a pinned tool changed', { direction: 'server', method: 'tools/list', verdict: 'rewrite', rules: ['tools.policy', 'pin.changed'] }],
    ['a list with a poisoned tool only flagged', { direction: 'server', method: 'tools/list', verdict: 'forward', rules: ['metadata.poisoning'] }],
  ] as const)('%s is warn', (_, record) => {
    expect(decisionLevel({ decisionUs: 0, ...record } as unknown as DecisionRecord)).toBe('warn');
  });

  // Every warning rule, wherever it stands among the rules, makes a forwarded call warn; rules
  // that share only a first letter (or a start without its dot) with one of them do not.
  it('is warn for every warning rule, and only for those', () => {
    const call = (rules: string[]) => decisionLevel({ ...base, method: 'tools/call', verdict: 'forward', rules });
    for (const rule of ['metadata.poisoning', 'metadata.instructions:tool', 'pin.changed', 'pin.removed', 'constraint.unknown-argument:x']) {
      expect([call([rule]), call(['default', rule]), call([rule, 'default'])], rule).toEqual(['warn', 'warn', 'warn']);
    }
    for (const rule of ['metadata', 'meta.poisoning', 'pin', 'pins.changed', 'constraint.path', 'constraints.unknown-argument', 'default', 'allow.read', '', 'é.rule', 'Pin.changed']) {
      expect(call([rule]), rule).toBe('info');
    }
  });

  it('an allowed call naming the rule that allowed it stays info', () => {
    expect(decisionLevel({ ...base, method: 'tools/call', verdict: 'forward', rules: ['tools.actions:read_*'] })).toBe('info');
  });
});

describe('decisionMessage', () => {
  const base = { direction: 'client', rules: [], decisionUs: 0 } as const;
  it.each([
    [{ ...base, method: 'tools/call', tool: 'read_file', verdict: 'block' }, 'blocked tools/call read_file'],
    [{ ...base, method: 'tools/call', tool: 'write_file', verdict: 'hide' }, 'hidden tools/call write_file'],
    [{ ...base, method: 'tools/call', tool: 'x', verdict: 'would-block' }, 'would block tools/call x'],
    [{ ...base, method: 'ping', verdict: 'forward' }, 'forwarded ping'],
    [{ ...base, direction: 'server', verdict: 'drop' }, 'dropped server output'],
    [{ ...base, method: 'tools/call', tool: 'x', verdict: 'drop', rules: ['tools.held-for-list'] }, 'held tools/call x'],
    [
      { ...base, direction: 'server', method: 'tools/list', verdict: 'rewrite', detail: { poisoned: [{ tool: 'add', rules: ['r'] }], pinned: [{ tool: 'echo', status: 'changed', action: 'hide' }, { tool: 'gone', status: 'removed', action: 'warn' }] } },
      'rewrote tools/list (hid 2: add, echo)',
    ],
    [{ ...base, method: 'tools/call', tool: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', verdict: 'block' }, 'blocked tools/call [REDACTED]'],
  ] as const)('%j reads "%s"', (record, msg) => {
    expect(decisionMessage(record as unknown as DecisionRecord)).toBe(msg);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
