/**
 * Asking a person in a 2026-07-28 session, with raw JSON lines through the built CLI (the
 * SDK client does not speak 2026-07-28): the asked call is answered with input_required,
 * the retry carries the shim's requestState and the person's answer; approved, it reaches
 * the server without the shim's entries (raw_echo shows the bytes the server got);
 * declined, forged or with changed arguments, it does not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { byId, startCli, TINY_SERVER, type RawSession } from './harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'vanguard-approval-modern-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const policy = path.join(work, 'ask.yaml');
writeFileSync(policy, 'tools:\n  actions:\n    raw_echo: { action: ask, reason: "the test asks first." }\n');

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'ExampleClient', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
};

const sessions: RawSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

function shim(): RawSession {
  const s = startCli(['start', '--policy', policy, '--grace-ms', '300', '--', process.execPath, TINY_SERVER], { VANGUARD_STATE_DIR: path.join(work, 'state') });
  sessions.push(s);
  return s;
}

type Answer = { result: { resultType: string; isError?: boolean; requestState: string; inputRequests: Record<string, { method: string; params: { message: string; requestedSchema: unknown } }>; content: Array<{ text: string }> } };

async function ask(s: RawSession, id: string, args: Record<string, unknown>): Promise<Answer> {
  s.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { _meta: META, name: 'raw_echo', arguments: args } });
  return (await s.next(byId(id), 30_000)) as Answer;
}

async function retry(s: RawSession, id: string, args: Record<string, unknown>, requestState: string, answer: unknown): Promise<Answer> {
  s.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { _meta: META, name: 'raw_echo', arguments: args, requestState, inputResponses: { 'vanguard-approval': answer } } });
  return (await s.next(byId(id), 30_000)) as Answer;
}

describe('ask in a 2026-07-28 session', () => {
  it('answers input_required; the approved retry reaches the server without the shim entries; the declined one does not', async () => {
    const s = shim();
    const first = await ask(s, 'call-1', { what: 'deploy' });
    expect(first.result.resultType).toBe('input_required');
    const question = first.result.inputRequests['vanguard-approval'];
    expect(question?.method).toBe('elicitation/create');
    expect(question?.params.message).toContain('"raw_echo"');
    expect(question?.params.message).toContain('the test asks first.');

    const approved = await retry(s, 'call-2', { what: 'deploy' }, first.result.requestState, { action: 'accept', content: { approve: true } });
    expect(approved.result.resultType).toBe('complete');
    const received = JSON.parse(approved.result.content[0]?.text ?? '{}') as { id: string; params: Record<string, unknown> };
    expect(received.id).toBe('call-2');
    expect(received.params).toEqual({ _meta: META, name: 'raw_echo', arguments: { what: 'deploy' } });

    const second = await ask(s, 'call-3', { what: 'deploy' });
    const declined = await retry(s, 'call-4', { what: 'deploy' }, second.result.requestState, { action: 'decline' });
    expect(declined.result).toMatchObject({ resultType: 'complete', isError: true });
    expect(declined.result.content[0]?.text).toContain('the user declined');
    await s.close();
    expect(s.stderr()).toContain('approval.declined');
  });

  it('refuses a forged state and a retry with changed arguments', async () => {
    const s = shim();
    const first = await ask(s, 'call-1', { what: 'deploy' });
    const state = first.result.requestState;
    const forged = `${state.slice(0, state.lastIndexOf('.'))}.${Buffer.alloc(32, 1).toString('base64url')}`;
    const f = await retry(s, 'call-2', { what: 'deploy' }, forged, { action: 'accept', content: { approve: true } });
    expect(f.result).toMatchObject({ resultType: 'complete', isError: true });
    expect(f.result.content[0]?.text).toContain('the requestState was not issued by this shim');

    const changed = await retry(s, 'call-3', { what: 'rm -rf' }, state, { action: 'accept', content: { approve: true } });
    expect(changed.result.isError).toBe(true);
    expect(changed.result.content[0]?.text).toContain('the arguments changed since approval was asked');
    // The genuine state, unchanged arguments, still works once.
    const ok = await retry(s, 'call-4', { what: 'deploy' }, state, { action: 'accept', content: { approve: true } });
    expect(ok.result.isError).toBeUndefined();
    await s.close();
  });
});
