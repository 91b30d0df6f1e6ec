/**
 * The audit's stderr copy behind a real Node server, with a client that reads stderr late.
 * The shim's fd 2 is one open file shared with the server it starts, and the official
 * filesystem server writes to its stderr at start: Node then makes that open file
 * non-blocking for every process that shares it. A relay that stops at the first EAGAIN
 * (`cat`) loses every record after the client's reader first falls behind; the copier must
 * wait for room instead. Driven by the SDK's real Client over stdio, stderr a pipe that is not
 * read until every call has been answered. Then a copier killed mid-session: the next one takes
 * over, and its first line says so.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findProgram, SYSTEM_FOLDERS } from '../../src/audit/stderr-copier.js';
import { CLI, FILESYSTEM_SERVER } from './sdk-harness.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'vanguard-stderr-nonblocking-'));
  writeFileSync(path.join(root, 'note.txt'), 'a short note\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CALLS = 2000;

// The real CLI in front of the filesystem server, its stderr a pipe the test reads when it chooses.
function shimTransport(): StdioClientTransport {
  const policy = path.join(root, 'policy.yaml');
  writeFileSync(policy, 'extends: filesystem-readonly\naudit:\n  stderr: true\n');
  return new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'start', '--policy', policy, '--', process.execPath, FILESYSTEM_SERVER, root],
    env: { ...(process.env as Record<string, string>) },
    stderr: 'pipe',
  });
}

it('keeps every audit record on stderr when the server has made it non-blocking and the client reads it late', async () => {
  const transport = shimTransport();
  const stderr = transport.stderr;
  if (stderr === null) throw new Error('no stderr stream');
  // Not read: the SDK's stream fills, then the pipe behind it.
  stderr.pause();
  const client = new Client({ name: 'stderr-late-reader', version: '1.0.0' });
  const chunks: Buffer[] = [];
  try {
    await client.connect(transport);
    // The filesystem server has written to its stderr by now (its start line): on Linux the
    // shared open file's flags say so.
    const pid = transport.pid;
    if (process.platform === 'linux' && pid !== null) {
      const flags = /^flags:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/2`, 'utf8'))?.[1] ?? '0';
      expect(parseInt(flags, 8) & 0o4000).not.toBe(0);
    }
    for (let i = 0; i < CALLS; i++) {
      const result = await client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'note.txt') } });
      expect(result.isError).not.toBe(true);
    }
  } finally {
    stderr.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stderr.resume();
    const ended = new Promise((resolve) => stderr.once('end', resolve));
    await client.close();
    await ended;
  }
  {
    const text = Buffer.concat(chunks).toString('utf8');
    const calls = text.split('\n').filter((line) => line.includes('"tools/call"') && line.includes('"read_text_file"'));
    // Well past what the pipe and the SDK's stream hold, and under the relay's bound (no drop).
    expect(text.length).toBeGreaterThan(CALLS * 400);
    expect(text).not.toMatch(/dropped/i);
    expect(calls.length).toBeGreaterThanOrEqual(CALLS);
  }
}, 120_000);

// The copier's pid: the shim's child that runs perl (Linux: /proc).
function copierPid(shimPid: number): number | undefined {
  const children = readFileSync(`/proc/${shimPid}/task/${shimPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]?.endsWith('/perl'));
}

it.runIf(process.platform === 'linux' && findProgram('perl', SYSTEM_FOLDERS) !== undefined)('says on stderr that its copier was killed, and goes on with the next', async () => {
  const transport = shimTransport();
  let text = '';
  transport.stderr?.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
  const client = new Client({ name: 'stderr-copier-killed', version: '1.0.0' });
  await client.connect(transport);
  try {
    const call = () => client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'note.txt') } });
    await call();
    const copier = copierPid(transport.pid as number);
    expect(copier).toBeDefined();
    process.kill(copier as number, 'SIGKILL');
    // The exit is seen on the shim's next turns; calls after it are copied by the next copier.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < 3; i++) await call();
  } finally {
    await client.close();
  }
  const lines = text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const stop = lines.findIndex((line) => typeof line.msg === 'string' && line.msg.startsWith('the process copying audit lines to stderr stopped'));
  expect(stop).toBeGreaterThanOrEqual(0);
  expect(lines[stop]).toMatchObject({ signal: 'SIGKILL', code: null });
  expect(String(lines[stop]?.copier)).toMatch(/\/perl$/);
  // The three calls after it, and the session's end.
  expect(lines.slice(stop).filter((line) => line.method === 'tools/call' && line.tool === 'read_text_file')).toHaveLength(3);
  expect(lines.at(-1)?.msg).toBe('server exited');
}, 60_000);

// Every copier the shim runs (Linux: /proc), with the program it runs.
function copiers(shimPid: number): Array<{ pid: number; file: string }> {
  const children = readFileSync(`/proc/${shimPid}/task/${shimPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children
    .map((pid) => ({ pid, file: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '' }))
    .filter(({ file }) => /\/(perl|cat)$/.test(file));
}

it.runIf(process.platform === 'linux')('when every copier is killed in turn, the shim writes its stderr itself, and says which stopped', async () => {
  // As on a system whose only copier (`cat`) a non-blocking fd 2 ended: nothing left to relay
  // through, and the audit lines must still reach the client's log.
  const transport = shimTransport();
  let text = '';
  transport.stderr?.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
  const client = new Client({ name: 'stderr-copiers-killed', version: '1.0.0' });
  await client.connect(transport);
  const killed: string[] = [];
  try {
    // `head` marks a call in its audit record.
    const call = (head = 1) => client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'note.txt'), head } });
    await call();
    for (let left = copiers(transport.pid as number); left.length > 0; left = copiers(transport.pid as number)) {
      expect(killed.length).toBeLessThan(6);
      const [copier] = left as [{ pid: number; file: string }];
      process.kill(copier.pid, 'SIGKILL');
      killed.push(copier.file);
      // The exit is seen on the shim's next turns, and the next copier (if any) started.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await call(100 + killed.length);
    }
    for (let i = 0; i < 3; i++) await call(200 + i);
  } finally {
    await client.close();
  }
  expect(killed.length).toBeGreaterThanOrEqual(1);
  const lines = text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const stops = lines.flatMap((line, at) => (typeof line.msg === 'string' && line.msg.startsWith('the process copying audit lines to stderr stopped') ? [at] : []));
  // Each writer that takes over is given every stop so far: the last of them are the whole list.
  const last = stops.slice(-killed.length);
  expect(last.map((at) => lines[at]?.copier)).toEqual(killed);
  expect(last.map((at) => lines[at]?.signal)).toEqual(killed.map(() => 'SIGKILL'));
  const after = lines.slice((last.at(-1) as number) + 1);
  // The calls made once none was left: the last kill's own call and three more. (The call
  // before that kill may be here too: its record can still have been queued in the shim.)
  const heads = after.filter((line) => line.method === 'tools/call' && line.tool === 'read_text_file').map((line) => (line.args as { head?: number }).head);
  expect(heads.slice(-4)).toEqual([100 + killed.length, 200, 201, 202]);
  expect(lines.at(-1)?.msg).toBe('server exited');
}, 60_000);
