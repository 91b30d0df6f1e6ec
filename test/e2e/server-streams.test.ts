/**
 * Fault tests with real processes: a server that closes its stdout, or its stdin, while it
 * keeps running. What waits is answered at once with -32000 saying so, the server is stopped
 * with the usual grace escalation, and the shim exits without the client having to close.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, byId, CLI, eventually, FIXTURE_POLICIES, startCli, type RawSession } from './harness.js';

const LIFECYCLE_SERVER = path.join(path.dirname(CLI), '..', 'test', 'fixtures', 'servers', 'lifecycle-server.mjs');
const sessions: RawSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
});

const call = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

// The shim in front of the lifecycle server, past tools/list; the server ignores stdin EOF,
// so only the escalation (SIGTERM after the grace) stops it.
async function session(): Promise<{ s: RawSession; pid: number }> {
  const s = startCli(['start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--grace-ms', '300', '--', process.execPath, LIFECYCLE_SERVER], { LC_IGNORE_EOF: '1' });
  sessions.push(s);
  s.send({ jsonrpc: '2.0', id: 0, method: 'tools/list' });
  await s.next(byId(0));
  const started = () => /[^\n]*"msg":"server started"[^\n]*/.exec(s.stderr())?.[0];
  await eventually(() => started() !== undefined);
  return { s, pid: Number(/"pid":(\d+)/.exec(started() ?? '')?.[1]) };
}

describe('a server that closes a stream while it keeps running', () => {
  it('closed stdout: every pending request is answered -32000 at once, the server is stopped, the shim exits', async () => {
    const { s, pid } = await session();
    s.send(call(1, 'hang'));
    s.send(call(2, 'close_stdout'));
    const answers = await Promise.all([s.next(byId(1)), s.next(byId(2))]);
    for (const answer of answers) expect(answer).toMatchObject({ error: { code: -32000, message: 'MCP server closed its stdout before answering' } });
    // The client never closed its side: the shim ended the session itself.
    expect(await s.exit).toEqual({ code: 128 + 15, signal: null });
    expect(alive(pid)).toBe(false);
    expect(s.stderr()).toContain('the server closed its stdout while still running; stopping it');
  });

  it('closed stdin: the next write finds it, every pending request is answered -32000, the shim exits', async () => {
    const { s, pid } = await session();
    s.send(call(1, 'hang'));
    s.send(call(2, 'close_stdin'));
    await eventually(() => s.stderr().includes('lifecycle-server: stdin closed'));
    s.send(call(3, 'echo'));
    const answers = await Promise.all([s.next(byId(1)), s.next(byId(2)), s.next(byId(3))]);
    for (const answer of answers) expect(answer).toMatchObject({ error: { code: -32000, message: 'MCP server closed its stdin before answering' } });
    expect(await s.exit).toEqual({ code: 128 + 15, signal: null });
    expect(alive(pid)).toBe(false);
  });
});
