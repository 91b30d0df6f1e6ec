/**
 * The real CLI in front of the tiny fixture server, driven with raw frames: the flows a
 * well-behaved SDK client never produces, and the process lifecycle.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, byId, eventually, FIXTURE_POLICIES, initialize, startCli, TINY_SERVER, type RawSession } from './harness.js';

const POLICY = path.join(FIXTURE_POLICIES, 'tiny.yaml');
const sessions: RawSession[] = [];

function shim(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, policy = POLICY): RawSession {
  const session = startCli(['start', '--policy', policy, '--grace-ms', '300', ...extraArgs, '--', process.execPath, TINY_SERVER], env);
  sessions.push(session);
  return session;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  }
});

const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
// The server's pid, from the shim's 'server started' log line (audit lines are written a
// few milliseconds after the fact, so wait for it).
async function serverPid(s: RawSession): Promise<number> {
  const find = () => /"msg":"server started"[^\n]*"pid":(\d+)|"pid":(\d+)[^\n]*"msg":"server started"/.exec(s.stderr());
  await eventually(() => find() !== null);
  const match = find();
  return Number(match?.[1] ?? match?.[2]);
}

describe('policy through the real CLI', () => {
  it('hides a denied tool, refuses it as unknown, blocks a blocked one, passes the rest', async () => {
    const s = shim();
    s.send(initialize(0));
    await s.next(byId(0));
    s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const list = (await s.next(byId(1))) as { result: { tools: Array<{ name: string }> } };
    const names = list.result.tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).toContain('delete_everything');
    expect(names).not.toContain('secret_tool');

    s.send(call(2, 'secret_tool'));
    s.send(call(3, 'no_such_tool'));
    const hidden = await s.next(byId(2));
    const unknown = await s.next(byId(3));
    // Hidden and unknown answers are the same but for the name.
    const hiddenLine = s.lines.find((l) => l.includes('secret_tool')) ?? '';
    const unknownLine = s.lines.find((l) => l.includes('no_such_tool')) ?? '';
    expect(hiddenLine.replace('secret_tool', 'X').replace('"id":2', '"id":N')).toBe(unknownLine.replace('no_such_tool', 'X').replace('"id":3', '"id":N'));
    expect(hidden).toMatchObject({ result: { isError: true } });
    expect(unknown).toMatchObject({ result: { isError: true } });

    s.send(call(4, 'delete_everything'));
    expect(await s.next(byId(4))).toMatchObject({ result: { isError: true, content: [{ text: expect.stringContaining('deleting is done by hand.') }] } });

    s.send('{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"raw_echo","arguments":{"big":12345678901234567890, "s":"\\u0041"}}}');
    const echoed = (await s.next(byId(5))) as { result: { content: Array<{ text: string }> } };
    // The server received the re-serialised object that was checked, digits intact.
    expect(echoed.result.content[0]?.text).toBe('{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"raw_echo","arguments":{"big":12345678901234567890,"s":"A"}}}');
    expect(await s.close()).toEqual({ code: 0, signal: null });
  });

  it('hides a tool whose definition is poisoned, and answers a call to it as unknown', async () => {
    const s = shim([], { TINY_POISON: '1' });
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const list = (await s.next(byId(1))) as { result: { tools: Array<{ name: string }> } };
    expect(list.result.tools.map((t) => t.name)).not.toContain('add_numbers');
    expect(list.result.tools.map((t) => t.name)).toContain('echo');
    s.send(call(2, 'add_numbers', { a: 1, b: 2, sidenote: 'x' }));
    expect(await s.next(byId(2))).toMatchObject({ result: { isError: true, content: [{ text: 'MCP error -32602: Tool add_numbers not found' }] } });
    await s.close();
    expect(s.stderr()).toContain('metadata.poisoning');
  });

  it('passes a server request to the client and the client\'s answer back', async () => {
    const s = shim([], { TINY_ASK_ROOTS: '1' });
    s.send(initialize(0));
    await s.next(byId(0));
    s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(await s.next(byId('srv-1'))).toEqual({ jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' });
    s.send({ jsonrpc: '2.0', id: 'srv-1', result: { roots: [] } });
    s.send({ jsonrpc: '2.0', id: 'p', method: 'ping' });
    expect(await s.next(byId('p'))).toEqual({ jsonrpc: '2.0', id: 'p', result: {} });
    await s.close();
  });
});

describe('fail closed on bad input', () => {
  it('answers a malformed line with -32700 and forwards nothing', async () => {
    const s = shim();
    s.send('{"jsonrpc":"2.0","id":1,"method":"ping"');
    // issue 8: the id of a refused frame is read when it is unambiguous (this was null).
    expect(await s.next()).toMatchObject({ id: 1, error: { code: -32700 } });
    s.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    expect(await s.next()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    // Had the line reached the server, it would have answered a second -32700 before the ping.
    expect(s.lines).toHaveLength(2);
    await s.close();
  });

  it('decides a batch per element: the denied call refused, the others answered, as one array', async () => {
    const s = shim();
    s.send([call(1, 'echo', { a: 1 }), call(2, 'secret_tool'), { jsonrpc: '2.0', id: 3, method: 'ping' }]);
    const batch = (await s.next()) as Array<{ id: number }>;
    expect(Array.isArray(batch)).toBe(true);
    expect(batch.map((m) => m.id).sort()).toEqual([1, 2, 3]);
    expect(batch.find((m) => m.id === 2)).toMatchObject({ result: { isError: true, content: [{ text: 'MCP error -32602: Tool secret_tool not found' }] } });
    expect(batch.find((m) => m.id === 1)).toMatchObject({ result: { content: [{ text: '{"a":1}' }] } });
    await s.close();
  });

  it('passes a 20 MiB result intact', async () => {
    const s = shim();
    const bytes = 20 * 1024 * 1024;
    s.send(call(1, 'big', { bytes }));
    const result = (await s.next(byId(1), 30_000)) as { result: { content: Array<{ text: string }> } };
    const text = result.result.content[0]?.text ?? '';
    expect(text.length).toBe(bytes);
    expect(/^x+$/.test(text)).toBe(true);
    await s.close();
  });

  // Scanned and forwarded as the server wrote them, each frame's memory let go of before the
  // next (its output no longer held in the engine's reused outcome to the next decision).
  it('forwards 8 MiB results in a row, scanned, byte for byte as the server wrote them', async () => {
    const bytes = 8 * 1024 * 1024;
    const calls = ['first', 'second', 'third'].map((tag, i) => call(i + 1, 'big', { bytes, tag: `${tag}-` }));
    // The server's own lines, read straight from it.
    const server = spawn(process.execPath, [TINY_SERVER], { stdio: ['pipe', 'pipe', 'ignore'] });
    server.stdout.setEncoding('utf8');
    let out = '';
    server.stdout.on('data', (chunk: string) => (out += chunk));
    for (const frame of [initialize(0), ...calls]) server.stdin.write(`${JSON.stringify(frame)}\n`);
    await eventually(() => out.split('\n').length > calls.length + 1, 20_000);
    server.kill();
    const wrote = out.split('\n').slice(1, calls.length + 1);
    // The default policy, as a user starts it: results are scanned.
    const s = startCli(['start', '--grace-ms', '300', '--', process.execPath, TINY_SERVER]);
    sessions.push(s);
    s.send(initialize(0));
    await s.next(byId(0));
    for (const [i, frame] of calls.entries()) {
      s.send(frame);
      let line = '';
      await s.next((value, raw) => byId(i + 1)(value) && (line = raw) !== undefined, 30_000);
      // (Compared as a boolean: a failing comparison would print 8 MiB.)
      expect([line.length, line === wrote[i]]).toEqual([wrote[i]?.length, true]);
    }
    await s.close();
  });

  it('fails closed at the frame limit in both directions, and carries on', async () => {
    const s = shim([], {}, path.join(FIXTURE_POLICIES, 'small-frames.yaml'));
    s.send(call(1, 'big', { bytes: 2 * 1024 * 1024 }));
    expect(await s.next(byId(1))).toMatchObject({ error: { code: -32011, message: expect.stringContaining('exceeds the frame limit') } });
    s.send(call(2, 'echo', { pad: 'y'.repeat(2 * 1024 * 1024) }));
    expect(await s.next(byId(2))).toMatchObject({ error: { code: -32011 } });
    s.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    expect(await s.next(byId(3))).toEqual({ jsonrpc: '2.0', id: 3, result: {} });
    await s.close();
  });
});

describe('child lifecycle', () => {
  it('answers every request in flight when the server crashes, and exits with its code', async () => {
    const s = shim();
    s.send(call(1, 'slow', { ms: 10_000 }));
    s.send({ jsonrpc: '2.0', id: 'second', method: 'tools/call', params: { name: 'slow', arguments: { ms: 10_000 } } });
    s.send(call(2, 'crash', { code: 3 }));
    const answers = await Promise.all([s.next(byId(1)), s.next(byId('second')), s.next(byId(2))]);
    for (const answer of answers) expect(answer).toMatchObject({ error: { code: -32000, message: expect.stringContaining('exited with code 3') } });
    expect(await s.exit).toEqual({ code: 3, signal: null });
  });

  it('on stdin EOF closes the server\'s stdin, and returns its exit code', async () => {
    const s = shim([], { TINY_EXIT_CODE: '5' });
    s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await s.next(byId(1));
    const pid = await serverPid(s);
    expect(alive(pid)).toBe(true);
    expect(await s.close()).toEqual({ code: 5, signal: null });
    expect(await eventually(() => !alive(pid))).toBe(true);
  });

  it('escalates to SIGTERM for a server that ignores EOF, and SIGKILL for one that ignores SIGTERM', async () => {
    const polite = shim([], { TINY_IGNORE_EOF: '1' });
    const stubborn = shim([], { TINY_IGNORE_EOF: '1', TINY_IGNORE_SIGTERM: '1' });
    for (const s of [polite, stubborn]) {
      s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
      await s.next(byId(1));
    }
    const pids = [await serverPid(polite), await serverPid(stubborn)];
    expect(await polite.close()).toEqual({ code: 128 + 15, signal: null });
    expect(await stubborn.close()).toEqual({ code: 128 + 9, signal: null });
    for (const pid of pids) expect(await eventually(() => !alive(pid))).toBe(true);
  });

  it('takes what the server started down with it', async () => {
    const s = shim([], { TINY_GRANDCHILD: '1' });
    s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await s.next(byId(1));
    await eventually(() => /grandchild pid (\d+)/.test(s.stderr()));
    const grandchild = Number(/grandchild pid (\d+)/.exec(s.stderr())?.[1]);
    expect(alive(grandchild)).toBe(true);
    expect(await s.close()).toEqual({ code: 0, signal: null });
    expect(await eventually(() => !alive(grandchild))).toBe(true);
  });

  it('forwards SIGTERM to the server and leaves no orphan', async () => {
    const s = shim();
    s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await s.next(byId(1));
    const pid = await serverPid(s);
    s.child.kill('SIGTERM');
    expect(await s.exit).toEqual({ code: 128 + 15, signal: null });
    expect(await eventually(() => !alive(pid))).toBe(true);
  });

  it('delivers what a server wrote just before it exited, however early', async () => {
    const script = 'process.stdout.write(JSON.stringify({jsonrpc:"2.0",method:"notifications/message",params:{level:"info",data:"bye"}})+"\\n"); process.exit(4)';
    const s = startCli(['start', '--', process.execPath, '-e', script]);
    sessions.push(s);
    expect(await s.next()).toEqual({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'bye' } });
    expect(await s.exit).toEqual({ code: 4, signal: null });
  });

  it('says in one line that a command does not exist, and exits 127', async () => {
    const s = startCli(['start', '--', 'definitely-not-a-command-vanguard']);
    sessions.push(s);
    expect(await s.exit).toEqual({ code: 127, signal: null });
    expect(s.stderr().trim().split('\n')).toEqual(['vanguard: cannot start "definitely-not-a-command-vanguard": command not found']);
    expect(s.lines).toEqual([]);
  });

  it('keeps stdout for protocol frames: a server\'s banner line is dropped and logged', async () => {
    const s = shim([], { TINY_BANNER: '1' });
    s.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await s.next(byId(1));
    expect(s.lines).toEqual(['{"jsonrpc":"2.0","id":1,"result":{}}']);
    await s.close();
    expect(s.stderr()).toContain('protocol.noise');
  });
});
