/**
 * Fault tests with real processes: the shim killed with SIGKILL must not leave the server,
 * or the helpers it started, running (the watchdog stops its process group); and the
 * normal ways out leave nothing behind either, the watchdog included.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, eventually, FIXTURE_POLICIES, startCli, type RawSession } from './harness.js';

const LIFECYCLE_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'lifecycle-server.mjs');
const sessions: RawSession[] = [];
const leftovers: number[] = [];

afterEach(() => {
  for (const s of sessions.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  // A failed test must not leave its processes to the next one.
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
});

// Running, as opposed to gone or a zombie nobody has reaped yet (the shim's children are
// handed to whatever reaps orphans here, which may take its time).
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

interface Started {
  session: RawSession;
  server: number;
  helper: number;
  watchdog: number;
}

// The shim in front of the lifecycle server, which starts a helper (`sleep`) in its group.
async function started(env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const pids = path.join(mkdtempSync(path.join(os.tmpdir(), 'vanguard-kill-')), 'pids');
  const session = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--grace-ms', '300', '--', process.execPath, LIFECYCLE_SERVER], { LC_PIDS: pids, ...env });
  sessions.push(session);
  session.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  await session.next((v) => (v as { id?: unknown }).id === 1);
  const [server, helper] = readFileSync(pids, 'utf8').split(' ').map(Number) as [number, number];
  const line = () => /[^\n]*"msg":"server started"[^\n]*/.exec(session.stderr())?.[0];
  await eventually(() => line() !== undefined);
  const watchdog = Number(/"watchdog":(\d+)/.exec(line() ?? '')?.[1]);
  expect([server, helper, watchdog].every((pid) => Number.isInteger(pid) && pid > 0)).toBe(true);
  leftovers.push(server, helper, watchdog);
  return { session, server, helper, watchdog };
}

describe.skipIf(process.platform === 'win32')('the shim killed with SIGKILL', () => {
  it('takes the server and the helper it started down with it, and the watchdog leaves too', async () => {
    const { session, server, helper, watchdog } = await started();
    expect([running(server), running(helper), running(watchdog)]).toEqual([true, true, true]);
    session.child.kill('SIGKILL');
    await session.exit;
    // The watchdog acts in about 0.1 s; the bound only keeps a loaded machine from failing it.
    expect(await eventually(() => !running(server) && !running(helper), 5_000)).toBe(true);
    expect(await eventually(() => !running(watchdog), 5_000)).toBe(true);
  });

  it('kills a server that ignores both EOF and SIGTERM, after a short grace', async () => {
    const { session, server, helper, watchdog } = await started({ LC_IGNORE_TERM: '1', LC_IGNORE_EOF: '1' });
    session.child.kill('SIGKILL');
    await session.exit;
    expect(await eventually(() => !running(server) && !running(helper), 5_000)).toBe(true);
    expect(await eventually(() => !running(watchdog), 5_000)).toBe(true);
  });
});

describe.skipIf(process.platform === 'win32')('the normal ways out leave nothing behind', () => {
  it('client EOF: server, helper and watchdog are gone', async () => {
    const { session, server, helper, watchdog } = await started();
    expect(await session.close()).toEqual({ code: 0, signal: null });
    expect(await eventually(() => !running(server) && !running(helper) && !running(watchdog), 5_000)).toBe(true);
  });

  it('SIGTERM to the shim: server, helper and watchdog are gone', async () => {
    const { session, server, helper, watchdog } = await started();
    session.child.kill('SIGTERM');
    expect(await session.exit).toEqual({ code: 128 + 15, signal: null });
    expect(await eventually(() => !running(server) && !running(helper) && !running(watchdog), 5_000)).toBe(true);
  });

  it('SIGTERM to the shim with requests in flight: each is answered before the shim exits', async () => {
    const { session, server, helper, watchdog } = await started();
    session.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'hang', arguments: {} } });
    session.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'hang', arguments: {} } });
    // Both reached the server (its answer to a later echo comes after them).
    session.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    await session.next((v) => (v as { id?: unknown }).id === 4);
    session.child.kill('SIGTERM');
    expect(await session.exit).toEqual({ code: 128 + 15, signal: null });
    const answers = session.lines.map((line) => JSON.parse(line) as { id: unknown; error?: { code: number; message: string } }).filter((m) => m.id === 2 || m.id === 3);
    expect(answers).toEqual([
      { jsonrpc: '2.0', id: 2, error: { code: -32000, message: 'MCP server process was killed by SIGTERM before answering' } },
      { jsonrpc: '2.0', id: 3, error: { code: -32000, message: 'MCP server process was killed by SIGTERM before answering' } },
    ]);
    expect(await eventually(() => !running(server) && !running(helper) && !running(watchdog), 5_000)).toBe(true);
  });

  it('the server crashes: the watchdog stands down and leaves', async () => {
    const { session, server, helper, watchdog } = await started();
    process.kill(server, 'SIGKILL');
    expect(await session.exit).toEqual({ code: 128 + 9, signal: null });
    expect(await eventually(() => !running(helper) && !running(watchdog), 5_000)).toBe(true);
  });
});
