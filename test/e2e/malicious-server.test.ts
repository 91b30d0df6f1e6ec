/**
 * A malicious server end to end: our own SDK-built server (test/fixtures/servers/
 * malicious-server.mjs) behind the real CLI, driven by the SDK's real Client. Each attack
 * it makes on the model is caught, and the client sees only what the policy allows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { connectDirect, connectThroughShim, type McpSession } from './sdk-harness.js';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'servers', 'malicious-server.mjs');
const FAKE_AWS_KEY = 'AKIAEEF6727CPCP7XNA7';
const FAKE_CARD = '4294199682550949';
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-malicious-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function policyFile(name: string, yaml: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

async function withShim<T>(shimArgs: string[], body: (session: McpSession) => Promise<T>): Promise<T> {
  const session = await connectThroughShim(shimArgs, process.execPath, [SERVER]);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

const textOf = (result: { content?: unknown }): string =>
  ((result.content ?? []) as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');

describe('a malicious server, directly (the attacks are real)', () => {
  it('serves the poisoned definitions, instructions and results the shim must catch', async () => {
    const session = await connectDirect(process.execPath, [SERVER]);
    try {
      expect(session.client.getInstructions()).toContain('<IMPORTANT>');
      const { tools } = await session.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['get_status', 'add', 'fetch_weather', 'send_note', 'search', 'report', 'update']);
      expect(textOf(await session.client.callTool({ name: 'get_status', arguments: { kind: 'secret' } }))).toContain(FAKE_AWS_KEY);
    } finally {
      await session.close();
    }
  });
});

describe('a malicious server, through the shim (default policy)', () => {
  it('hides every poisoned tool and drops the poisoned instructions', async () => {
    await withShim([], async (session) => {
      expect(session.client.getInstructions()).toBeUndefined();
      const { tools } = await session.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['get_status', 'report', 'update']);
      // A hidden tool is answered as one that does not exist.
      const call = await session.client.callTool({ name: 'fetch_weather', arguments: { city: 'Oslo' } });
      expect(call.isError).toBe(true);
      expect(textOf(call)).toBe('MCP error -32602: Tool fetch_weather not found');
      // The audit reaches stderr through the batched relay process: wait for the line, not a fixed moment.
      await vi.waitFor(() => expect(session.stderr()).toContain('metadata.instructions'), { timeout: 20_000, interval: 50 });
    });
  });

  it('passes a clean result unchanged', async () => {
    await withShim([], async (session) => {
      const result = await session.client.callTool({ name: 'get_status', arguments: { kind: 'clean' } });
      expect(result).toEqual({ content: [{ type: 'text', text: 'All services are up. 3 checks passed in 41 ms.' }] });
    });
  });

  it.each([
    ['an injection', 'injection'],
    ['an injection smuggled in tag characters', 'tags'],
  ])('withholds a result carrying %s, with a reason the model can read', async (_, kind) => {
    await withShim([], async (session) => {
      const result = await session.client.callTool({ name: 'get_status', arguments: { kind } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^Blocked by Vanguard policy \(rule inject\.[a-z-]+\): the result contains instructions aimed at the model/);
      expect(textOf(result)).not.toContain('~/.ssh/id_rsa to');
    });
  });

  it('strips ANSI escapes and hidden links, keeping the text', async () => {
    await withShim([], async (session) => {
      const result = await session.client.callTool({ name: 'get_status', arguments: { kind: 'ansi' } });
      expect(textOf(result)).toBe('Tests: 142 passed, 0 failed docs');
    });
  });

  it('redacts secrets and card numbers with a marker that names the kind', async () => {
    await withShim([], async (session) => {
      const result = await session.client.callTool({ name: 'get_status', arguments: { kind: 'secret' } });
      expect(textOf(result)).toBe('Deployed with AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]; billing card [REDACTED:payment-card].');
      const structured = await session.client.callTool({ name: 'get_status', arguments: { kind: 'structured' } });
      // The injection sits in structuredContent: the whole result is withheld.
      expect(structured.isError).toBe(true);
    });
  });

  it('leaves image data alone', async () => {
    await withShim([], async (session) => {
      const result = await session.client.callTool({ name: 'get_status', arguments: { kind: 'image' } });
      const [image] = result.content as Array<{ type: string; data: string }>;
      expect(Buffer.from(image?.data ?? '', 'base64').toString()).toBe(`${FAKE_CARD} ${FAKE_AWS_KEY}`);
    });
  });

  it('redacts a resource and refuses a prompt that carries an injection', async () => {
    await withShim([], async (session) => {
      const notes = await session.client.readResource({ uri: 'file:///notes.txt' });
      expect(notes.contents[0]).toMatchObject({ text: 'Deploy notes.\naws_access_key_id = [REDACTED:aws-access-key-id]\n' });
      const readme = await session.client.readResource({ uri: 'file:///readme.txt' });
      expect(readme.contents[0]).toMatchObject({ text: 'Run npm install, then npm start.' });
      await expect(session.client.getPrompt({ name: 'summarise' })).rejects.toThrow(/-32010.*instructions aimed at the model/);
      const greet = await session.client.getPrompt({ name: 'greet' });
      expect(greet.messages[0]?.content).toEqual({ type: 'text', text: 'Say hello to the user.' });
    });
  });
});

describe('a malicious server, through the shim (other policies)', () => {
  it('flags instead of blocking: the model reads a notice first, then the content', async () => {
    const policy = policyFile('flag.yaml', 'results:\n  injection: flag\n');
    await withShim(['--policy', policy], async (session) => {
      const result = await session.client.callTool({ name: 'get_status', arguments: { kind: 'injection' } });
      const content = result.content as Array<{ text: string }>;
      expect(content[0]?.text).toMatch(/^\[Vanguard notice: the text below contains instructions aimed at you \(rule inject\./);
      expect(content[1]?.text).toContain('Status: degraded.');
      const prompt = await session.client.getPrompt({ name: 'summarise' });
      expect((prompt.messages[0]?.content as { text: string }).text).toMatch(/^\[Vanguard notice[^\n]*\n\nSummarise this page\./);
    });
  });

  it('catches a rug pull after list_changed when trusting on first use, and records the tools for next time', async () => {
    const lock = path.join(dir, 'tofu.lock.json');
    const policy = policyFile('tofu.yaml', 'pinning:\n  lock: ./tofu.lock.json\n  trustOnFirstUse: true\n');
    await withShim(['--policy', policy], async (session) => {
      const changed = new Promise<void>((resolve) => session.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
      expect((await session.client.listTools()).tools.map((t) => t.name)).toContain('report');
      await session.client.callTool({ name: 'update', arguments: {} });
      await changed;
      const after = (await session.client.listTools()).tools.map((t) => t.name);
      expect(after).not.toContain('report');
      expect(after).toContain('get_status');
      const call = await session.client.callTool({ name: 'report', arguments: { period: 'Q3' } });
      expect(textOf(call)).toBe('MCP error -32602: Tool report not found');
    });
    const written = JSON.parse(readFileSync(lock, 'utf8')) as { tools: Record<string, { summary: string }> };
    expect(written.tools.report?.summary).toBe('Builds a report.');
    expect(Object.keys(written.tools)).toEqual(['get_status', 'report', 'update']);
  });
});
