/**
 * The audit never holds a secret in clear: every positive example of every rule in the
 * shipped secrets pack, sent as a call's argument through the built CLI (where inspection
 * refuses it), is absent from the audit file and from stderr, whether it sat in a value, in
 * a key, or in a line that was not JSON. (The server's noise previews: test/audit/secret-rules.test.ts.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { shippedRules } from '../../src/inspect/build.js';
import { CLI, FIXTURE_POLICIES, TINY_SERVER } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-audit-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples = shippedRules()
  .rules.filter((rule) => rule.category === 'secrets')
  .flatMap((rule) => rule.examples.match.map((example) => ({ rule: rule.id, text: typeof example === 'string' ? example : JSON.stringify(example.args) })));

// How a string shows in a JSON line.
const asJson = (text: string) => JSON.stringify(text).slice(1, -1);

it('keeps every secrets-pack example out of the audit file and stderr', async () => {
  expect(examples.length).toBeGreaterThan(50);
  const audit = path.join(dir, 'audit.jsonl');
  const child = spawn(process.execPath, [CLI, 'start', '--policy', path.join(FIXTURE_POLICIES, 'tiny.yaml'), '--audit', audit, '--log-level', 'debug', '--', process.execPath, TINY_SERVER], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise((resolve) => child.on('exit', resolve));
  const send = (frame: unknown) => child.stdin.write(`${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n`);
  send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  examples.forEach(({ text }, i) => {
    send({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { note: text, [text.slice(0, 200)]: 'as a key' } } });
    // Not JSON at all: dropped as noise, with a preview of the line in the record.
    send(`noise ${text}`);
  });
  send({ jsonrpc: '2.0', id: 'last', method: 'ping' });
  const deadline = Date.now() + 60_000;
  while (!out.includes('"id":"last"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.stdin.end();
  await exit;

  const file = readFileSync(audit, 'utf8');
  // Every call was refused (the secret is what inspection caught) and recorded.
  const refusals = file.split('\n').filter((l) => l.includes('"method":"tools/call"') && l.includes('"verdict":"block"'));
  expect(refusals.length).toBe(examples.length);
  const leaks = examples.filter(({ text }) => [file, err].some((log) => log.includes(text) || log.includes(asJson(text))));
  expect(leaks).toEqual([]);
  expect(file).toContain('[REDACTED');
}, 120_000);
