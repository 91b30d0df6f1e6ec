/** Decision lines written by hand are byte for byte the lines pino writes for the same fields. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { bindingsText, decisionLine, levelPrefix, quote } from '../../src/audit/line.js';

const TIME = '2026-12-03T08:00:00.000Z';
const BASE = { server: 'tiny "server"\\', session: 'a\u2028b\ud800' };

function pinoLine(level: 'debug' | 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): string {
  const out: string[] = [];
  const logger = pino({ level: 'debug', base: BASE, timestamp: () => `,"time":"${TIME}"` }, { write: (line: string) => void out.push(line) });
  logger[level](fields, msg);
  return out.join('');
}

const NUMBERS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
const handLine = (level: keyof typeof NUMBERS, fields: Record<string, unknown>, msg: string) => decisionLine(levelPrefix(NUMBERS[level]), `,"time":"${TIME}"`, bindingsText(BASE), fields, msg);

const STRINGS = ['', 'plain', 'with "quotes" and \\ backslash', 'tab\there', 'nl\nhere', '\u0000', 'x'.repeat(100), 'y'.repeat(101) + '"', 'line\u2028sep', 'lone \ud83d surrogate', 'émoji 😀', '\u007f del'];

describe('decisionLine', () => {
  it('writes what pino writes for a decision record', () => {
    const fields = { direction: 'client', method: 'tools/call', id: 7, tool: 'echo', verdict: 'forward', rules: ['default'], reason: undefined, decisionUs: 12.5, args: { text: 'hi "there"' }, detail: undefined };
    for (const level of ['debug', 'info', 'warn', 'error'] as const) expect(handLine(level, fields, 'forwarded tools/call echo')).toBe(pinoLine(level, fields, 'forwarded tools/call echo'));
  });

  it('quotes every kind of string the way pino does, in fields and in msg', () => {
    for (const text of STRINGS) {
      const fields = { id: text, tool: text, reason: text, args: { [text]: [text] } };
      expect(handLine('info', fields, text)).toBe(pinoLine('info', fields, text));
    }
  });

  it('writes numbers, booleans, null, arrays and nested objects like pino, and leaves out undefined and functions', () => {
    const fields = { a: Number.NaN, b: Infinity, c: -0, d: 1e21, e: 0.1, f: true, g: false, h: null, i: [1, 'x', null, { y: undefined }], j: { k: { l: [] } }, m: undefined, n: () => 1, o: -12 };
    expect(handLine('warn', fields, 'm')).toBe(pinoLine('warn', fields, 'm'));
  });

  it('gives up where pino needs its safe serialiser (a cycle, a bigint)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(handLine('info', { detail: cyclic }, 'm')).toBeUndefined();
    expect(handLine('info', { id: 10n }, 'm')).toBeUndefined();
  });

  it('quote: short plain text is only wrapped; control characters and long text go to JSON.stringify', () => {
    expect(quote('abc')).toBe('"abc"');
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote('a\nb')).toBe(JSON.stringify('a\nb'));
    expect(quote('\ud800'.repeat(101))).toBe(JSON.stringify('\ud800'.repeat(101)));
  });
});
