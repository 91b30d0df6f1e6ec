/**
 * The sink's operational lines (the server started, exited, a signal forwarded) are written by
 * hand in the bytes pino writes for them, as decision lines are, so a session never loads
 * pino; a value only pino's serialisers write (an Error under `err`, a bigint) still
 * goes through pino, in the same place in the queue.
 */
import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/sink.js';
import { pinoWriter } from './helpers.js';

const TIME = '2026-12-06T08:00:00.000Z';
const BASE = { server: 'srv "one"', session: 's-1' };

function sinkLines(log: (sink: ReturnType<typeof createAuditSink>) => void, secret?: string): string[] {
  const lines: string[] = [];
  const sink = createAuditSink({
    serverName: BASE.server,
    sessionId: BASE.session,
    stderr: { write: (line: string) => void lines.push(line) },
    arguments: 'redacted',
    redactKeys: ['password'],
    chain: false,
    level: 'debug',
    clock: () => new Date(TIME),
    redactSecrets: (text) => (secret === undefined ? text : text.replaceAll(secret, '[REDACTED]')),
  });
  log(sink);
  sink.flush();
  return lines;
}

const { pinoLine: pinoAt } = pinoWriter(BASE, TIME);
const pinoLine = (level: 'debug' | 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): string => pinoAt(fields, msg, level);

describe('operational lines', () => {
  it('are the bytes pino writes, at every level, for the fields the shim logs', () => {
    const cases: Array<['debug' | 'info' | 'warn' | 'error', string, Record<string, unknown> | undefined]> = [
      ['info', 'server started', { pid: 4242, watchdog: 4243, command: '/usr/bin/node', args: ['/srv/a "quoted" path.js', '--flag'], policy: ['/etc/vanguard/policy.yaml'], mode: 'enforce' }],
      ['info', 'server exited', { code: null, signal: 'SIGTERM' }],
      ['warn', 'client output closed; stopping the server', { error: 'write EPIPE' }],
      ['info', 'client input ended; stopping the server', undefined],
      ['debug', 'tab\there and a line\u2028separator', { nested: { deep: [1, { x: undefined }, null] }, skipped: undefined, ratio: 0.25, big: 1e21, nan: Number.NaN }],
      ['error', 'x'.repeat(150), { 'odd "key"': 'value\\with\\backslashes' }],
    ];
    for (const [level, msg, fields] of cases) {
      expect(sinkLines((sink) => sink.log(level, msg, fields))).toEqual([pinoLine(level, fields ?? {}, msg)]);
    }
  });

  it('rename the keys pino reserves and redact as before', () => {
    const [line] = sinkLines((sink) => sink.log('info', 'said sk-live-123', { level: 5, msg: 'inner', time: 't', password: 'hunter2', line: 'token sk-live-123' }), 'sk-live-123');
    const parsed = JSON.parse(line!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 30, time: TIME, field_level: 5, field_msg: 'inner', field_time: 't', msg: 'said [REDACTED]', line: 'token [REDACTED]' });
    expect(parsed.password).not.toBe('hunter2');
    expect(line).toBe(pinoLine('info', { field_level: 5, field_msg: 'inner', field_time: 't', password: parsed.password, line: 'token [REDACTED]' }, 'said [REDACTED]'));
  });

  it('go through pino where only its serialisers can write them (an Error under err, a bigint), in their place among the other lines', () => {
    const error = new Error('boom');
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const lines = sinkLines((sink) => {
      sink.log('info', 'first');
      sink.log('warn', 'with an error', { err: error });
      sink.log('info', 'with a bigint', { count: 10n });
      sink.log('info', 'with a cycle', { detail: cyclic });
      sink.log('info', 'last');
    });
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['first', 'with an error', 'with a bigint', 'with a cycle', 'last']);
    // pino's error serialiser: type, message and stack.
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 40, err: { type: 'Error', message: 'boom', stack: expect.stringContaining('boom') } });
    expect(lines[2]).toBe(pinoLine('info', { count: 10n }, 'with a bigint'));
    // (A cycle is cut by the audit's own value processing before either writer sees it.)
    expect(lines[3]).toBe(pinoLine('info', { detail: { name: 'c', self: '[CIRCULAR]' } }, 'with a cycle'));
  });
});
