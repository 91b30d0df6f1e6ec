/**
 * Drives a stdio MCP server with the SDK's real `Client`, either directly or through the
 * real built CLI (`node bin/vanguard.js start <shimArgs> -- <command> <args>`), so that a test
 * can run the same flows both ways and compare. Every JSON-RPC message on the client's side
 * of the pipe is recorded (both directions), and the child's stderr is drained and kept.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation, JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(root, 'bin', 'vanguard.js');
/** The reference server; stdio is its default transport (dist/index.js, no argument). */
export const EVERYTHING_SERVER = path.join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const FILESYSTEM_SERVER = path.join(root, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
}

/** A JSON-RPC message as it was on the wire, loosely typed for inspection. */
export interface WireMessage {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: Record<string, any>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

export interface WireEntry {
  /** `sent`: client → server (or shim); `received`: server (or shim) → client. */
  direction: 'sent' | 'received';
  /** A copy, taken before the SDK's schemas parse it: keys in the order they came. */
  message: WireMessage;
}

export interface SessionOptions {
  clientInfo?: Implementation;
  /** Capabilities the client declares in `initialize`. */
  capabilities?: ClientCapabilities;
  /**
   * Give the client a task store, so it can answer task-augmented server requests
   * (sampling/elicitation as tasks) and the `tasks/get` / `tasks/result` that follow.
   */
  taskStore?: boolean;
  /** Register request and notification handlers; called before connecting. */
  setup?: (client: Client) => void;
  /** Extra environment for the spawned process (on top of process.env). */
  env?: Record<string, string>;
  cwd?: string;
}

export interface McpSession {
  client: Client;
  /** Every message on the client's pipe, in order. */
  wire: WireEntry[];
  /** Server → client notifications as received (jsonrpc, method, params), in order: a view of `wire`. */
  notifications(method?: string): Array<{ jsonrpc: '2.0'; method: string; params?: Record<string, unknown> }>;
  /** Server → client requests as received, in order: a view of `wire`. */
  serverRequests(method?: string): Array<{ jsonrpc: '2.0'; id: string | number; method: string; params?: Record<string, unknown> }>;
  /**
   * Errors the client reported (transport and protocol: a non-JSON line on stdout, a
   * response to an unknown id, progress for an unknown token…). A clean session has none.
   */
  errors: Error[];
  /** Everything the spawned process (the shim, or the server directly) wrote to stderr. */
  stderr(): string;
  pid(): number | null;
  close(): Promise<void>;
}

/** Passes everything through to the inner transport, recording each message. */
class RecordingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly inner: Transport,
    private readonly wire: WireEntry[],
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    this.inner.onmessage = (message: JSONRPCMessage, extra?: MessageExtraInfo) => {
      this.wire.push({ direction: 'received', message: structuredClone(message) as WireMessage });
      this.onmessage?.(message, extra);
    };
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => this.onclose?.();
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.wire.push({ direction: 'sent', message: structuredClone(message) as WireMessage });
    await this.inner.send(message, options);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

async function connect(command: string, args: string[], options: SessionOptions): Promise<McpSession> {
  const inner = new StdioClientTransport({
    command,
    args,
    // Without `env` the SDK passes the child only a handful of variables.
    env: { ...(process.env as Record<string, string>), ...options.env },
    cwd: options.cwd,
    stderr: 'pipe',
  });
  let err = '';
  // Drain stderr from the start, or the child blocks once the pipe is full.
  inner.stderr?.on('data', (chunk: string | Buffer) => (err += chunk.toString()));
  const wire: WireEntry[] = [];
  const taskStore = options.taskStore ? new InMemoryTaskStore() : undefined;
  const client = new Client(options.clientInfo ?? { name: 'vanguard-parity', version: '1.0.0' }, {
    capabilities: options.capabilities ?? {},
    ...(taskStore ? { taskStore } : {}),
  });
  options.setup?.(client);
  const errors: Error[] = [];
  const userOnError = client.onerror;
  client.onerror = (error) => {
    errors.push(error);
    userOnError?.(error);
  };
  const transport = new RecordingTransport(inner, wire);
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw new Error(`connect failed: ${error instanceof Error ? error.message : String(error)}\nstderr: ${err.slice(-2000)}`);
  }
  const received = () => wire.filter((e) => e.direction === 'received').map((e) => e.message);
  let closed: Promise<void> | undefined;
  return {
    client,
    wire,
    notifications: (method) =>
      received()
        .filter((m) => m.id === undefined && typeof m.method === 'string' && (method === undefined || m.method === method))
        .map((m) => m as { jsonrpc: '2.0'; method: string; params?: Record<string, unknown> }),
    serverRequests: (method) =>
      received()
        .filter((m) => m.id !== undefined && typeof m.method === 'string' && (method === undefined || m.method === method))
        .map((m) => m as { jsonrpc: '2.0'; id: string | number; method: string; params?: Record<string, unknown> }),
    errors,
    stderr: () => err,
    pid: () => inner.pid,
    close() {
      closed ??= (async () => {
        await client.close();
        taskStore?.cleanup();
      })();
      return closed;
    },
  };
}

/** The SDK client talking to `command args` directly. */
export function connectDirect(command: string, args: string[], options: SessionOptions = {}): Promise<McpSession> {
  return connect(command, args, options);
}

/** The SDK client talking to `command args` through `vanguard start <shimArgs> -- command args`. */
export function connectThroughShim(shimArgs: string[], command: string, args: string[], options: SessionOptions = {}): Promise<McpSession> {
  return connect(process.execPath, [CLI, 'start', ...shimArgs, '--', command, ...args], options);
}
