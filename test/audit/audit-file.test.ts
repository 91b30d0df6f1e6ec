import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditSink, type AuditSinkOptions } from '../../src/audit/sink.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { AuditError } from '../../src/audit/errors.js';
import type { DecisionRecord } from '../../src/audit/types.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vanguard-chain-'));
  file = join(dir, 'audit.jsonl');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function openSink(overrides: Partial<AuditSinkOptions> = {}) {
  return createAuditSink({
    serverName: 'srv',
    sessionId: 'sess',
    stderr: false,
    file,
    arguments: 'redacted',
    redactKeys: [],
    chain: true,
    ...overrides,
  });
}

// Write `count` tools/call decisions, numbered from `from`, through the real sink.
async function writeRecords(count: number, from = 0) {
  const sink = openSink();
  for (let i = from; i < from + count; i++) {
    sink.record({ direction: 'client', method: 'tools/call', id: i, tool: `tool${i}`, verdict: 'forward', rules: [], decisionUs: i, args: { i } });
  }
  await sink.close();
}

const readLines = () => readFileSync(file, 'utf8').split('\n').slice(0, -1);
const writeLines = (lines: string[]) => writeFileSync(file, `${lines.join('\n')}\n`);

describe('chained audit file', () => {
  it('writes a chain that verifies, without touching stdout', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    await writeRecords(10);
    expect(stdout).not.toHaveBeenCalled();
    const lines = readLines();
    expect(lines).toHaveLength(10);
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const result = verifyAuditFile(file);
    expect(result).toMatchObject({ ok: true, records: 10, lastSeq: 9 });
    expect(result.lastHash).toBe((JSON.parse(lines[9]!) as { hash: string }).hash);
  });

  it('creates the file readable by its owner only', async () => {
    await writeRecords(1);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names the line where one character was flipped', async () => {
    await writeRecords(10);
    const lines = readLines();
    lines[4] = lines[4]!.replace('"tool":"tool4"', '"tool":"tool5"');
    writeLines(lines);
    expect(verifyAuditFile(file).problem).toMatchObject({ line: 5, seq: 4, kind: 'altered' });
  });

  it('names the line after a deleted middle line', async () => {
    await writeRecords(10);
    const lines = readLines();
    lines.splice(6, 1);
    writeLines(lines);
    expect(verifyAuditFile(file).problem).toMatchObject({ line: 7, seq: 7, kind: 'removed' });
  });

  it('names the first of two swapped lines', async () => {
    await writeRecords(10);
    const lines = readLines();
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    writeLines(lines);
    expect(verifyAuditFile(file).problem).toMatchObject({ line: 3, seq: 3, kind: 'reordered' });
  });

  it('continues the chain across restarts', async () => {
    await writeRecords(3);
    const sink = openSink();
    sink.log('info', 'restarted');
    await sink.close();
    await writeRecords(2, 3);
    const seqs = readLines().map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, records: 6, lastSeq: 5 });
  });

  it('keeps non-ASCII and unpaired surrogates verifiable after a round trip through the file', async () => {
    const sink = openSink({ arguments: 'full' });
    sink.record({ direction: 'client', method: 'tools/call', tool: 'é', verdict: 'forward', rules: [], decisionUs: 1, args: { s: 'naïve 😀 \ud800 end' } });
    sink.log('info', 'lone \udc00 surrogate in msg');
    await sink.close();
    await writeRecords(1, 1);
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, records: 3 });
  });

  it('refuses to continue a file whose last line was cut off', async () => {
    await writeRecords(3);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -30));
    expect(verifyAuditFile(file).problem).toMatchObject({ line: 3, kind: 'truncated' });
    expect(() => openSink()).toThrow(expect.objectContaining({ code: 'AUDIT_TAIL_INVALID' }));
  });

  it('refuses to continue a file whose last record was altered', async () => {
    await writeRecords(3);
    const lines = readLines();
    lines[2] = lines[2]!.replace('tool2', 'tool9');
    writeLines(lines);
    expect(() => openSink()).toThrow(AuditError);
  });

  it('refuses to chain onto a file of unchained lines', async () => {
    appendFileSync(file, '{"level":"info","msg":"plain"}\n');
    expect(() => openSink()).toThrow(expect.objectContaining({ code: 'AUDIT_TAIL_INVALID' }));
  });

  it('continues after a last line longer than one read chunk', async () => {
    const sink = openSink({ arguments: 'full' });
    sink.record({ direction: 'client', method: 'tools/call', tool: 't', verdict: 'forward', rules: [], decisionUs: 1, args: { big: 'x'.repeat(200_000) } });
    await sink.close();
    await writeRecords(1, 1);
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 });
  });

  it('writes plain lines when the chain is off', async () => {
    const sink = openSink({ chain: false });
    sink.log('info', 'hello');
    await sink.close();
    const line = JSON.parse(readLines()[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'hello' });
    expect(line).not.toHaveProperty('seq');
    expect(line).not.toHaveProperty('hash');
  });

  it.runIf(existsSync('/dev/full'))('stops and throws AUDIT_WRITE_FAILED when a write fails', () => {
    const seen: string[] = [];
    const sink = openSink({ file: '/dev/full', stderr: { write: (line: string) => seen.push(line) } });
    const decision: DecisionRecord = { direction: 'client', method: 'tools/call', verdict: 'block', rules: [], decisionUs: 1 };
    sink.record(decision);
    // Lines are written once per turn: the failure shows at the flush, then on every record.
    expect(() => sink.flush()).toThrow(expect.objectContaining({ code: 'AUDIT_WRITE_FAILED' }));
    expect(() => sink.record(decision)).toThrow(expect.objectContaining({ code: 'AUDIT_WRITE_FAILED' }));
    // The terminal still gets the line the file could not take.
    expect(seen).toHaveLength(1);
  });

  it('reports a file it cannot open as AUDIT_OPEN_FAILED', () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    expect(() => openSink({ file: join(dir, 'not-a-dir', 'audit.jsonl') })).toThrow(
      expect.objectContaining({ code: 'AUDIT_OPEN_FAILED' }),
    );
  });
});
