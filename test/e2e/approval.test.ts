/**
 * Asking a person, end to end: the SDK's real Client over stdio through the built CLI, in
 * front of the reference server (echo is asked). A client with elicitation that approves,
 * one that declines, one that never answers (approval.timeout 1s), and one without the
 * capability, approved out of band by running `vanguard approve CODE` as a process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, connectThroughShim, EVERYTHING_SERVER, type McpSession } from './sdk-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'vanguard-approval-'));
const stateDir = path.join(work, 'state');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const policy = path.join(work, 'ask.yaml');
writeFileSync(policy, `tools:
  actions:
    echo: { action: ask, reason: "echoing is sensitive in this test." }
approval: { timeout: 1s, ttl: 10m }
`);

const text = (result: unknown): string => ((result as { content: Array<{ text?: string }> }).content[0]?.text ?? '');
// The shim lists the tools itself before a first call (tools.held-for-list); those records are not about approval.
const records = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { rules: string[]; verdict: string; tool?: string })
    .filter((r) => r.rules?.[0] !== 'tools.held-for-list');
const echoCalls = (s: McpSession) => s.wire.filter((w) => w.direction === 'sent' && w.message.method === 'tools/call').length;

function shim(name: string, answer: ((params: Record<string, unknown>) => Promise<Record<string, unknown>>) | undefined): Promise<McpSession> {
  return connectThroughShim(['--policy', policy, '--audit', path.join(work, `${name}.jsonl`), '--name', 'everything'], process.execPath, [EVERYTHING_SERVER], {
    env: { VANGUARD_STATE_DIR: stateDir },
    capabilities: answer ? { elicitation: { form: {} } } : {},
    setup: answer ? (client) => client.setRequestHandler(ElicitRequestSchema, async (request) => answer(request.params as Record<string, unknown>) as never) : undefined,
  });
}

describe('ask through the client (legacy elicitation)', () => {
  it('forwards the call once the person approves; the question names server, tool, arguments and reason', async () => {
    let asked: Record<string, unknown> | undefined;
    const s = await shim('approve', async (params) => {
      asked = params;
      return { action: 'accept', content: { approve: true, remember: false } };
    });
    try {
      const result = await s.client.callTool({ name: 'echo', arguments: { message: 'hello' } });
      expect(result.isError).toBeFalsy();
      expect(text(result)).toBe('Echo: hello');
      expect(asked?.message).toContain('"everything"');
      expect(asked?.message).toContain('"echo"');
      expect(asked?.message).toContain('hello');
      expect(asked?.message).toContain('echoing is sensitive in this test.');
      const question = s.serverRequests('elicitation/create')[0];
      expect(String(question?.id)).toMatch(/^vanguard-approval-/);
    } finally {
      await s.close();
    }
    const rules = records(path.join(work, 'approve.jsonl')).filter((r) => r.tool === 'echo').map((r) => r.rules[0]);
    expect(rules).toEqual(['approval.asked', 'approval.approved']);
  });

  it('"for the rest of this session" approves later calls of the tool without asking again', async () => {
    const s = await shim('remember', async () => ({ action: 'accept', content: { approve: true, remember: true } }));
    try {
      expect(text(await s.client.callTool({ name: 'echo', arguments: { message: 'one' } }))).toBe('Echo: one');
      expect(text(await s.client.callTool({ name: 'echo', arguments: { message: 'two' } }))).toBe('Echo: two');
      expect(s.serverRequests('elicitation/create')).toHaveLength(1);
    } finally {
      await s.close();
    }
    expect(records(path.join(work, 'remember.jsonl')).filter((r) => r.tool === 'echo').map((r) => r.rules[0])).toEqual(['approval.asked', 'approval.approved', 'approval.remembered']);
  });

  it('refuses the call when the person declines, with a reason the model can relay', async () => {
    const s = await shim('decline', async () => ({ action: 'decline' }));
    try {
      const result = await s.client.callTool({ name: 'echo', arguments: { message: 'hello' } });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('the user declined');
      expect(text(result)).not.toContain('Echo: hello');
    } finally {
      await s.close();
    }
    expect(records(path.join(work, 'decline.jsonl')).filter((r) => r.tool === 'echo').map((r) => r.rules[0])).toEqual(['approval.asked', 'approval.declined']);
  });

  it('refuses the call when nobody answers within approval.timeout, and withdraws the question', async () => {
    const s = await shim('silent', () => new Promise(() => undefined));
    try {
      const result = await s.client.callTool({ name: 'echo', arguments: { message: 'hello' } });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('nobody answered the approval question within 1 s');
      expect(s.notifications('notifications/cancelled').map((n) => n.params?.requestId)).toEqual([s.serverRequests('elicitation/create')[0]?.id]);
    } finally {
      await s.close();
    }
    expect(records(path.join(work, 'silent.jsonl')).filter((r) => r.tool === 'echo').map((r) => r.rules[0])).toEqual(['approval.asked', 'approval.timeout']);
  });
});

describe('ask out of band (a client without elicitation)', () => {
  it('refuses with a code; `vanguard approve CODE` lets the same call through once; other arguments are refused', async () => {
    const s = await shim('oob', undefined);
    try {
      const first = await s.client.callTool({ name: 'echo', arguments: { message: 'ship it' } });
      expect(first.isError).toBe(true);
      const code = /`vanguard approve ([0-9A-Z]{8})`/.exec(text(first))?.[1];
      expect(code, text(first)).toBeDefined();
      expect(s.serverRequests('elicitation/create')).toEqual([]);

      const env = { ...process.env, VANGUARD_STATE_DIR: stateDir };
      const listed = execFileSync(process.execPath, [CLI, 'approve', '--list'], { env, encoding: 'utf8' });
      expect(listed).toContain(code);
      expect(listed).toContain('echo on server "everything"');
      expect(listed).toContain('ship it');
      const approved = execFileSync(process.execPath, [CLI, 'approve', code as string], { env, encoding: 'utf8' });
      expect(approved).toContain(`Approved ${code}`);
      // Owner-only: the folder 0700, every file 0600.
      const dir = path.join(stateDir, 'approvals');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);

      const other = await s.client.callTool({ name: 'echo', arguments: { message: 'something else' } });
      expect(other.isError).toBe(true);
      const retry = await s.client.callTool({ name: 'echo', arguments: { message: 'ship it' } });
      expect(retry.isError).toBeFalsy();
      expect(text(retry)).toBe('Echo: ship it');
      const again = await s.client.callTool({ name: 'echo', arguments: { message: 'ship it' } });
      expect(again.isError, 'single use').toBe(true);
      expect(echoCalls(s)).toBe(4);
    } finally {
      await s.close();
    }
    const rules = records(path.join(work, 'oob.jsonl')).filter((r) => r.tool === 'echo').map((r) => r.rules[0]);
    expect(rules).toEqual(['approval.code', 'approval.code', 'approval.out-of-band', 'approval.code']);
  });

  it('`vanguard approve` refuses a code nobody is waiting for', () => {
    let failed: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [CLI, 'approve', 'ABCDEFGH'], { env: { ...process.env, VANGUARD_STATE_DIR: stateDir }, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failed = error as { status: number; stderr: string };
    }
    expect(failed?.status).toBe(1);
    expect(failed?.stderr).toContain('no call is waiting for approval code ABCDEFGH');
  });
});
