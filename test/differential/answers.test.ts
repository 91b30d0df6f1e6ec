/**
 * Issue 8, differential, server to client: a server answers tools/list with crafted ids
 * ("N", "0N", " N", N.0, two "id" keys, an id never asked, a second answer, an answer
 * before the request), each listing a tool the policy hides and a poisoned one. Through
 * the built CLI, neither the SDK's real Client nor a raw line reader ever receives them,
 * and no answer reaches a client other than as the decided answer to its own request.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byId, initialize, startCli } from '../e2e/harness.js';
import { connectThroughShim } from '../e2e/sdk-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.join(here, 'fixtures', 'crafted-answers-server.mjs');
const POLICY = path.join(here, 'fixtures', 'policy.yaml');
const HIDDEN = /write_file|add_numbers|id_rsa/;

// Scenarios whose crafted answer is the answer to the request (matched loosely, then filtered).
const LOOSE = ['string', 'leading-zero', 'space', 'float'];
// Scenarios where the crafted answer must be dropped and the proper one goes through.
const DROPPED = ['repeated-other', 'never-asked', 'second', 'before'];

describe.each([...LOOSE, ...DROPPED, 'repeated-same'])('a server answering tools/list as "%s"', (scenario) => {
  it('reaches the SDK client only as the filtered answer to its request', async () => {
    const session = await connectThroughShim(['--policy', POLICY], process.execPath, [SERVER, scenario]);
    try {
      if (scenario === 'repeated-same') {
        await expect(session.client.listTools()).rejects.toThrow(/"id" keys/);
      } else {
        const { tools } = await session.client.listTools();
        expect(tools.map((t) => t.name)).toEqual(['echo']);
      }
      await session.client.ping();
      const sentIds = session.wire.filter((w) => w.direction === 'sent' && w.message.id !== undefined).map((w) => w.message.id);
      for (const entry of session.wire.filter((w) => w.direction === 'received')) {
        expect(JSON.stringify(entry.message)).not.toMatch(HIDDEN);
        // Every answer carries exactly an id the client sent, and each id is answered once.
        if (entry.message.method === undefined) expect(sentIds).toContain(entry.message.id);
      }
      const answeredIds = session.wire.filter((w) => w.direction === 'received' && w.message.method === undefined).map((w) => w.message.id);
      expect(new Set(answeredIds).size).toBe(answeredIds.length);
      expect(session.errors.map((e) => e.message)).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('reaches a raw line reader only as the filtered answer, with the exact id it sent', async () => {
    const s = startCli(['start', '--policy', POLICY, '--', process.execPath, SERVER, scenario]);
    try {
      s.send(initialize(0));
      await s.next(byId(0));
      s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      const answer = (await s.next(byId(1))) as { result?: { tools: Array<{ name: string }> }; error?: { code: number } };
      if (scenario === 'repeated-same') expect(answer.error?.code).toBe(-32603);
      else expect(answer.result?.tools.map((t) => t.name)).toEqual(['echo']);
      s.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
      await s.next(byId(2));
      for (const line of s.lines) expect(line).not.toMatch(HIDDEN);
      const ids = s.lines.map((line) => (JSON.parse(line) as { id?: unknown }).id);
      expect(ids).toEqual([0, 1, 2]);
    } finally {
      await s.close();
    }
  });
});
