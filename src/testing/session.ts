/**
 * The server under test, run by the real Vanguard CLI (`vanguard start`, in a child
 * process: the same policy loading, engine and child handling a client gets) and driven
 * by the MCP SDK's real Client. Every answer is kept as it came off the wire, by id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { AuditReader } from './audit-reader.js';
import { parseJson } from '../protocol/escaped-keys.js';

/** `bin/vanguard.js` of this package: src/testing and dist/testing are both two levels down. */
export const VANGUARD_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'vanguard.js');

/** A JSON-RPC message as received, loosely typed. */
export interface WireMessage {
  id?: string | number;
  method?: string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** What to run, as a test file says it. */
export interface SessionSpec {
  argv: string[];
  policy?: string;
  cwd: string;
  env: Record<string, string>;
}

/** One request's id and the answer the client received (undefined: none came). */
export interface Exchange {
  id: string | number;
  answer?: WireMessage;
  /** Why the client gave up, when it did (the SDK's request timeout, a closed connection). */
  failure?: string;
}

/** A running shim with its server. */
export interface ShimSession {
  request(method: string, params: Record<string, unknown>): Promise<Exchange>;
  audit: AuditReader;
  /** True once the shim's process is gone. */
  ended(): boolean;
  /** What the shim and the server wrote to stderr, less the shim's audit lines. */
  stderr(): string;
  close(): Promise<void>;
}

/** Thrown when the shim or the server does not get through the `initialize` handshake. */
export class StartError extends Error {}

// Passes messages through, keeping each answer and the id of each request sent.
class Recorder implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly answers = new Map<string, WireMessage>();
  lastSentId: string | number | undefined;

  constructor(private readonly inner: Transport) {}

  async start(): Promise<void> {
    this.inner.onmessage = (message) => {
      const m = message as WireMessage;
      if (m.id !== undefined && m.method === undefined) this.answers.set(`${typeof m.id}:${m.id}`, structuredClone(m));
      this.onmessage?.(message);
    };
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => this.onclose?.();
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as WireMessage;
    if (m.id !== undefined && m.method !== undefined) this.lastSentId = m.id;
    await this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

// The shim's audit lines on stderr are JSON with a `session`; the rest is worth showing.
function isAuditLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    return typeof (parseJson(line) as { session?: unknown }).session === 'string';
  } catch {
    return false;
  }
}

/** Start `vanguard start` with the server and connect; throws StartError with the why. */
export async function openShimSession(spec: SessionSpec): Promise<ShimSession> {
  const folder = mkdtempSync(path.join(tmpdir(), 'vanguard-test-'));
  const auditFile = path.join(folder, 'audit.jsonl');
  // --log-level debug: every decision is recorded, plain forwards included, so the absence
  // of a record never has to be read as "forwarded".
  const args = [VANGUARD_BIN, 'start', ...(spec.policy !== undefined ? ['--policy', spec.policy] : []), '--audit', auditFile, '--log-level', 'debug', '--', ...spec.argv];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    cwd: spec.cwd,
    // Without `env` the SDK would pass only a few variables.
    env: { ...(process.env as Record<string, string>), ...spec.env },
    stderr: 'pipe',
  });
  let stderrText = '';
  let ended = false;
  const stderrDone = new Promise<void>((resolve) => {
    const stream = transport.stderr;
    if (stream === null) return resolve();
    stream.on('data', (chunk: Buffer) => {
      stderrText = (stderrText + chunk.toString('utf8')).slice(-200_000);
    });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
  });
  const recorder = new Recorder(transport);
  const client = new Client({ name: 'vanguard-test', version: '1.0.0' }, { capabilities: {} });
  client.onclose = () => {
    ended = true;
  };
  const stderr = () => stderrText.split('\n').filter((line) => line.trim() !== '' && !isAuditLine(line)).join('\n');
  const cleanUp = () => rmSync(folder, { recursive: true, force: true });
  try {
    await client.connect(recorder);
  } catch (error) {
    await client.close().catch(() => undefined);
    await stderrDone;
    cleanUp();
    const why = stderr().split('\n').slice(-20).join('\n');
    throw new StartError(why || (error instanceof Error ? error.message : String(error)));
  }
  const audit = new AuditReader(auditFile);
  return {
    audit,
    ended: () => ended,
    stderr,
    async request(method, params) {
      recorder.lastSentId = undefined;
      let failure: string | undefined;
      try {
        await client.request({ method, params }, ResultSchema);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      const id = recorder.lastSentId;
      if (id === undefined) throw new Error(`the request was not sent: ${failure ?? 'no reason given'}`);
      const answer = recorder.answers.get(`${typeof id}:${id}`);
      return { id, ...(answer !== undefined && { answer }), ...(answer === undefined && failure !== undefined && { failure }) };
    },
    async close() {
      await client.close().catch(() => undefined);
      await stderrDone;
      cleanUp();
    },
  };
}
