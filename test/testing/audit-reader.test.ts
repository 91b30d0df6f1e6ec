/** Reading the shim's audit file as it grows, and finding the records of one request. */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditReader, recordFor } from '../../src/testing/audit-reader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-audit-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const line = (record: object) => `${JSON.stringify({ level: 'info', session: 's', ...record })}\n`;

describe('recordFor', () => {
  // The server's own request roots/list with id 4, and the client's answer to it, share the
  // number of our tools/call 4: only the records of the tools/call are ours.
  const records = [
    { direction: 'server' as const, method: 'roots/list', id: 4, verdict: 'forward', rules: [] },
    { direction: 'client' as const, id: 4, verdict: 'forward', rules: [] },
    { direction: 'client' as const, method: 'tools/call', id: 4, verdict: 'block', rules: ['path.traversal'] },
    { direction: 'server' as const, method: 'tools/call', id: 5, verdict: 'forward', rules: [] },
  ];

  it('matches direction, id and method, not the other id space', () => {
    expect(recordFor(records, 'client', 4, 'tools/call')?.verdict).toBe('block');
    expect(recordFor(records, 'server', 4, 'tools/call')).toBeUndefined();
    expect(recordFor(records, 'server', 5, 'tools/call')?.verdict).toBe('forward');
  });

  it('takes an answer too large to read as the server record, whatever its method', () => {
    const oversize = [{ direction: 'server' as const, id: 9, verdict: 'drop', rules: ['limits.frame'] }, { direction: 'server' as const, id: 9, verdict: 'forward', rules: [], detail: { unmatched: true } }];
    expect(recordFor(oversize, 'server', 9, 'tools/call')?.rules).toEqual(['limits.frame']);
    expect(recordFor(oversize.slice(1), 'server', 9, 'tools/call')).toBeUndefined();
  });

  it('does not take a string id for a number', () => {
    expect(recordFor(records, 'client', '4', 'tools/call')).toBeUndefined();
  });
});

describe('AuditReader', () => {
  it('reads a file that does not exist yet as empty, then only complete lines as they come', () => {
    const file = path.join(dir, 'grow.jsonl');
    const reader = new AuditReader(file);
    reader.poll();
    expect(reader.records).toEqual([]);
    const whole = line({ direction: 'client', method: 'tools/call', id: 1, verdict: 'forward' });
    appendFileSync(file, whole.slice(0, 20));
    reader.poll();
    expect(reader.records).toEqual([]);
    appendFileSync(file, whole.slice(20) + line({ direction: 'server', method: 'tools/call', id: 1, verdict: 'rewrite' }));
    reader.poll();
    expect(reader.records.map((r) => r.verdict)).toEqual(['forward', 'rewrite']);
  });

  it('waits for a record written later, and gives up at once when the shim has ended', async () => {
    const file = path.join(dir, 'wait.jsonl');
    const reader = new AuditReader(file);
    setTimeout(() => appendFileSync(file, line({ direction: 'client', method: 'tools/call', id: 7, verdict: 'hide' })), 30);
    const found = await reader.waitFor((records) => recordFor(records, 'client', 7, 'tools/call'), () => false);
    expect(found?.verdict).toBe('hide');
    expect(await reader.waitFor((records) => recordFor(records, 'client', 8, 'tools/call'), () => true)).toBeUndefined();
  });
});
