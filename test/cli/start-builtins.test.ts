/**
 * What a real `vanguard start` loads of Node's own modules before it spawns the server
 * (test/fixtures/start-builtins-probe.cjs watches, preloaded into the shim):
 *
 * - none after the start's first V8 flag. V8 takes the code Node was built with for its own
 *   modules only under the flags it was made with, so each one loaded after a flag is compiled
 *   from its source, 2-3 times the time (cli/start-loader.ts, START_BUILTINS);
 * - not node:crypto, which took 2-7 ms (util/node-crypto.ts), and after the flags is compiled
 *   from its source (10 ms or more). Nor is it loaded before the first answer is written: the
 *   first audit line, the approval key and a wallet checksum load it when they need it.
 *
 * The second start is the one measured: the first reads no cache and writes both.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, eventually, initialize, startCli, TINY_SERVER } from '../e2e/harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const probe = path.join(root, 'test', 'fixtures', 'start-builtins-probe.cjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'vanguard-start-builtins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ProbeReport {
  flagsSet: boolean;
  loaded: string[];
  afterFirstFlag: string[];
}

// One start to its first answer and an audited call; what the probe saw at the spawn, and at the first answer.
async function start(run: number): Promise<ProbeReport & { atFirstAnswer: string[]; atExit: string[]; stderr: string }> {
  const out = path.join(dir, `probe-${run}.json`);
  const s = startCli(['start', '--', process.execPath, TINY_SERVER], {
    VANGUARD_CACHE_DIR: path.join(dir, 'cache'),
    VANGUARD_NO_CACHE: '',
    NODE_OPTIONS: `--require ${JSON.stringify(probe)}`,
    START_PROBE_OUT: out,
  });
  s.send(initialize(0));
  expect(await s.next(byId(0))).toMatchObject({ id: 0, result: { serverInfo: { name: 'tiny' } } });
  s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
  expect(await s.next(byId(1))).toMatchObject({ id: 1, result: { content: [{ type: 'text', text: '{"text":"hi"}' }] } });
  // The first start writes the code cache once it is under way.
  if (run === 1) await eventually(() => false, 500);
  await s.close();
  const atFirstAnswer = (JSON.parse(readFileSync(`${out}.answer`, 'utf8')) as { loaded: string[] }).loaded;
  const atExit = (JSON.parse(readFileSync(`${out}.exit`, 'utf8')) as { loaded: string[] }).loaded;
  return { ...(JSON.parse(readFileSync(out, 'utf8')) as ProbeReport), atFirstAnswer, atExit, stderr: s.stderr() };
}

describe('a start, before it spawns the server', () => {
  it('loads no builtin after its first V8 flag, and not node:crypto (nor before its first answer)', async () => {
    await start(1);
    const report = await start(2);
    // The probe saw what it watches: the flags were set, and the start itself loaded child_process.
    expect(report.flagsSet).toBe(true);
    expect(report.loaded).toContain('NativeModule child_process');
    expect(report.afterFirstFlag).toEqual([]);
    expect(report.loaded.filter((m) => /^NativeModule (crypto|internal\/crypto\/)/.test(m))).toEqual([]);
    // By its first answer the start has loaded at least what it had at the spawn, but not crypto.
    expect(report.atFirstAnswer).toEqual(expect.arrayContaining(report.loaded));
    expect(report.atFirstAnswer.filter((m) => /^NativeModule (crypto|internal\/crypto\/)/.test(m))).toEqual([]);
  }, 60_000);
});

describe('a whole session', () => {
  it('writes its operational lines without loading pino (worker_threads and assert, which pino and its packages load, are never loaded)', async () => {
    const report = await start(3);
    // The lines are there, as pino would write them (test/audit/sink.test.ts compares the bytes).
    const lines = report.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string; pid?: number });
    expect(lines.find((line) => line.msg === 'server started')).toMatchObject({ level: 30, pid: expect.any(Number) });
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['server started', 'client input ended; stopping the server', 'server exited']));
    // The probe saw the session to its end (the start's own child_process is there).
    expect(report.atExit).toContain('NativeModule child_process');
    expect(report.atExit.filter((m) => /^NativeModule (worker_threads|assert|internal\/worker)$/.test(m))).toEqual([]);
  }, 60_000);
});
