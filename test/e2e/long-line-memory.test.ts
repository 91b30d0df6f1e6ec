/**
 * A long line's memory is written over by a later long line once that line's outputs are out
 * of the writers' hands (src/protocol/framer.ts takeLent, src/proxy/frame-reader.ts
 * whenWritten). Through the real CLI, each long frame must reach its reader exactly as it was
 * written: with a server that reads at once (the memory comes back between lines, and is
 * used again, both ways) and with a stalled one (its pipe full and the rest of a line queued
 * in the shim's writer: the shim then reads no more from the client until the server has
 * taken it, src/proxy/proxy.ts waitFor, and whenWritten holds the memory back even if it did;
 * the guard itself is tested with a writer that holds what it is given, in
 * test/proxy/frame-reader.test.ts).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { byId, eventually, initialize, startCli, TINY_SERVER, type RawSession } from './harness.js';

const sessions: RawSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
});

// The default policy, as a user starts it: arguments inspected, results scanned.
async function started(): Promise<RawSession> {
  const s = startCli(['start', '--grace-ms', '300', '--', process.execPath, TINY_SERVER]);
  sessions.push(s);
  s.send(initialize(0));
  await s.next(byId(0));
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  s.send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  await s.next(byId('list'));
  return s;
}

// A call of about `bytes` whose every part says which call it is: a line written over by
// another would echo the other's word.
function longCall(id: number, word: string, bytes: number): { frame: object; line: string } {
  const frame = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'raw_echo', arguments: { note: `${word} `.repeat(Math.ceil(bytes / (word.length + 1))) } } };
  return { frame, line: JSON.stringify(frame) };
}

// The same as a notification, which the shim forwards as the bytes it read (a call it may write
// anew from its text): tiny-server sends its line back as a log message.
function longNotification(word: string, bytes: number): { frame: object; line: string } {
  const frame = { jsonrpc: '2.0', method: 'notifications/raw_echo', params: { note: `${word} `.repeat(Math.ceil(bytes / (word.length + 1))) } };
  return { frame, line: JSON.stringify(frame) };
}

// The data of the next log message: the line the server read.
async function logged(s: RawSession, timeoutMs = 30_000): Promise<string> {
  const message = (await s.next((value) => (value as { method?: unknown }).method === 'notifications/message', timeoutMs)) as { params?: { data?: unknown } };
  return typeof message.params?.data === 'string' ? message.params.data : '';
}

// The text of the answer to `id`: the line the server read (raw_echo).
async function echoed(s: RawSession, id: number, timeoutMs = 30_000): Promise<string> {
  const answer = (await s.next(byId(id), timeoutMs)) as { result?: { content?: Array<{ text?: string }> }; error?: unknown };
  if (answer.error !== undefined) throw new Error(`call ${id} was refused: ${JSON.stringify(answer.error)}`);
  return answer.result?.content?.[0]?.text ?? '';
}

describe('long lines: their memory used again only once they are out', () => {
  it('passes long calls and their long echoes, back to back, each as it was written', async () => {
    const s = await started();
    const calls = ['alpha', 'bravo', 'charlie', 'delta'].map((word, i) => longCall(i + 1, word, 1536 * 1024 + i * 4099));
    for (const [i, call] of calls.entries()) {
      s.send(call.frame);
      const text = await echoed(s, i + 1);
      // (Compared as a boolean: a failing comparison would print megabytes.)
      expect([text.length, text === call.line]).toEqual([call.line.length, true]);
    }
    await s.close();
  });

  it('passes long calls sent at once to a stalled server, each as sent', async () => {
    const s = await started();
    const STALL_MS = 1500;
    s.send({ jsonrpc: '2.0', id: 'stall', method: 'tools/call', params: { name: 'echo', arguments: { stall_ms: STALL_MS } } });
    await s.next(byId('stall'));
    const stalledAt = performance.now();
    // All sent at once, while the server reads nothing.
    const calls = ['echo', 'foxtrot', 'golf'].map((word, i) => longCall(i + 1, word, 1536 * 1024 + i * 4099));
    for (const call of calls) s.send(call.frame);
    for (const [i, call] of calls.entries()) {
      const text = await echoed(s, i + 1);
      expect([text.length, text === call.line]).toEqual([call.line.length, true]);
    }
    // The server did stall (the calls waited in the pipe and the shim's writer).
    expect(performance.now() - stalledAt).toBeGreaterThanOrEqual(STALL_MS - 100);
    await s.close();
  });

  it('passes long notifications (forwarded as the bytes read) sent at once to a stalled server, each as sent', async () => {
    const s = await started();
    const STALL_MS = 1500;
    s.send({ jsonrpc: '2.0', id: 'stall', method: 'tools/call', params: { name: 'echo', arguments: { stall_ms: STALL_MS } } });
    await s.next(byId('stall'));
    const stalledAt = performance.now();
    const notes = ['hotel', 'india', 'juliett', 'kilo'].map((word, i) => longNotification(word, 1536 * 1024 + i * 4099));
    for (const note of notes) s.send(note.frame);
    for (const note of notes) {
      const text = await logged(s);
      expect([text.length, text === note.line]).toEqual([note.line.length, true]);
    }
    expect(performance.now() - stalledAt).toBeGreaterThanOrEqual(STALL_MS - 100);
    // And once the server reads again, the memory comes back and is used again: still each as sent.
    for (const note of ['lima', 'mike', 'november'].map((word, i) => longNotification(word, 1200 * 1024 + i * 4099))) {
      s.send(note.frame);
      const text = await logged(s);
      expect([text.length, text === note.line]).toEqual([note.line.length, true]);
    }
    await s.close();
  });

  // The shim's peak resident memory so far (Linux), in bytes.
  const peakBytes = (pid: number): number => 1024 * Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

  it.skipIf(process.platform !== 'linux')('does not hold the memory of long lines for a writer they did not go to (a stalled server while its long output is read)', async () => {
    const s = await started();
    const before = peakBytes(s.child.pid!);
    // The server stops reading, and after a while sends long log messages, one after another.
    const COUNT = 48;
    const BYTES = 4 * 1024 * 1024;
    s.send({ jsonrpc: '2.0', id: 'burst', method: 'tools/call', params: { name: 'echo', arguments: { stall_ms: 60_000, burst_after_ms: 500, burst_count: COUNT, burst_bytes: BYTES } } });
    // Meanwhile a long notification for it waits in the shim's writer to the server, for the
    // whole burst: the server's lines go to the client only, and none waits for it.
    s.send(longNotification('queued', 2 * 1024 * 1024).frame);
    // (Looked for in the lines as they come: s.next would parse every long line again on each chunk.)
    const answered = (): boolean => s.lines.some((line) => line.length < 4096 && line.includes('"id":"burst"'));
    expect(await eventually(answered, 60_000)).toBe(true);
    const logs = s.lines.filter((line) => line.startsWith('{"jsonrpc":"2.0","method":"notifications/message"')).length;
    const grown = peakBytes(s.child.pid!) - before;
    // Every line came through, and the shim held a few of them at a time, not all (192 MiB).
    expect(logs).toBe(COUNT);
    expect(grown).toBeLessThan((COUNT * BYTES) / 2);
    s.child.kill('SIGKILL');
  }, 90_000);
});
