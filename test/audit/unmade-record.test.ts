/**
 * A record the audit cannot make (any fault in redaction or serialisation; here an argument
 * whose read throws, standing in for a fault not yet known) is made when the queue is written, from a timer.
 * Before, such a throw escaped the timer and ended the shim (the U+FDFA case of
 * redaction-limits.test.ts was one way to reach it). Now the record's place in the chain
 * says it could not be made, the rest of the batch is written, and the audit counts as
 * failed, so the next call is refused instead of being let through unrecorded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/sink.js';
import { verifyAuditFile } from '../../src/audit/verify.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('a record that cannot be made', () => {
  it('stands in the chain, keeps the rest of its batch, and fails the audit closed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-unmade-'));
    dirs.push(dir);
    const file = path.join(dir, 'audit.jsonl');
    const stderr: string[] = [];
    const sink = createAuditSink({ serverName: 's', sessionId: 'x', file, chain: true, stderr: { write: (line: string) => void stderr.push(line) }, arguments: 'full', redactKeys: [], level: 'debug' });
    const faulty = Object.defineProperty({}, 'n', { enumerable: true, get: () => { throw new RangeError('no'); } }) as Record<string, unknown>;
    sink.record({ direction: 'client', method: 'tools/call', id: 1, tool: 'echo', verdict: 'allow', rules: [], decisionUs: 1, args: { n: 1 } });
    sink.record({ direction: 'client', method: 'tools/call', id: 2, tool: 'echo', verdict: 'allow', rules: [], decisionUs: 1, args: faulty });
    sink.record({ direction: 'client', method: 'tools/call', id: 3, tool: 'echo', verdict: 'allow', rules: [], decisionUs: 1, args: { n: 3 } });
    // The flush (the timer's work) reports the failure to its caller instead of dying.
    expect(() => sink.flush()).toThrow(/audit record could not be made/);
    expect(sink.failed()).toBe(true);
    // The next decision is refused by the caller: record() throws the failure.
    expect(() => sink.record({ direction: 'client', method: 'tools/call', id: 4, tool: 'echo', verdict: 'allow', rules: [], decisionUs: 1, args: {} })).toThrow(/audit record could not be made/);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.id ?? line.unwritable)).toEqual([1, 'RangeError', 3]);
    expect(verifyAuditFile(file).ok).toBe(true);
    expect(stderr).toHaveLength(3);
  });
});
