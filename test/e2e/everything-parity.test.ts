/**
 * Parity with the reference server: the SDK's real Client talks to
 * @modelcontextprotocol/server-everything twice, directly and through the real built CLI
 * (`vanguard start -- node <server-everything>`, shipped default policy: every tool
 * allowed), and every flow must come out the same (DESIGN.md, invariant 1). The one change
 * to the default: its flow rules are off. This session calls get-env (a sensitive read)
 * and then tools that declare openWorldHint without readOnlyHint (egress), a sequence the
 * default flow rules stop by design (issue 11; test/e2e/flow.test.ts shows it on this server).
 *
 * Both sessions run side by side; each flow is run on both at once and the results are
 * compared with deep equality, after normalising only what legitimately differs between two
 * runs of the same server (each normalisation is a named rule below, used only where needed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  McpError,
  type ClientCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, connectDirect, connectThroughShim, EVERYTHING_SERVER, type McpSession, type SessionOptions, type WireMessage } from './sdk-harness.js';

// ---------------------------------------------------------------------------------------
// Normalisation: named rules, each applied only to the flows that need it.

type Rule = (text: string) => string;

/** Dynamic resources embed `new Date().toLocaleTimeString()` ("created at 8:15:19 AM"). */
const TIME_OF_DAY: Rule = (s) => s.replace(/created at \d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?/g, 'created at <time>');
/** Task ids: 32 random hex characters from the SDK's InMemoryTaskStore (the server's and the client's). */
const TASK_ID: Rule = (s) => s.replace(/\b[0-9a-f]{32}\b/g, '<task-id>');
/** Task timestamps (createdAt, lastUpdatedAt) as they appear inside text the async tools print. */
const ISO_TIME: Rule = (s) => s.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\b/g, '<iso-time>');
/** randomUUID(): elicitation ids the server makes up for URL elicitation. */
const UUID: Rule = (s) => s.replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>');

const TASK_RULES = [TASK_ID, ISO_TIME];

function normalise(value: unknown, rules: Rule[] = []): unknown {
  if (rules.length === 0) return value;
  if (typeof value === 'string') return rules.reduce((s, rule) => rule(s), value);
  if (Array.isArray(value)) return value.map((v) => normalise(v, rules));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === 'blob' && typeof v === 'string' && rules.includes(TIME_OF_DAY)) {
        // Dynamic blob resources are base64 of a text with the time of day in it: compare the
        // decoded text, normalised, when it is one of those; any other blob stays as it is.
        const text = Buffer.from(v, 'base64').toString('utf8');
        out[key] = /^Resource \d+: This is a base64 blob created at /.test(text) ? `base64(${TIME_OF_DAY(text)})` : v;
      } else {
        out[key] = normalise(v, rules);
      }
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------
// The client both sessions use: every capability the server can exercise, deterministic
// answers to every server → client request.

const ROOTS = [
  { uri: 'file:///srv/parity-root', name: 'Parity root' },
  { uri: 'file:///tmp/second%20root' },
];

/** Elicitation answers, by requested property name; only the requested ones are sent. */
const FORM_ANSWERS: Record<string, string | number | boolean | string[]> = {
  name: 'Ada Lovelace ✓',
  check: true,
  email: 'ada@example.com',
  integer: 7,
  number: 2.5,
  interpretation: 'historical',
  favoriteColor: 'Blue',
  agreeToTerms: true,
};

const CAPABILITIES: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: { listChanged: true },
  // Lets the server send sampling and elicitation as tasks the client runs (the *-async tools).
  tasks: { requests: { sampling: { createMessage: {} }, elicitation: { create: {} } } },
};

type TaskAwareExtra = {
  taskStore?: {
    createTask(o: { ttl?: number | null; pollInterval?: number }): Promise<{ taskId: string }>;
    storeTaskResult(id: string, status: 'completed', result: Record<string, unknown>): Promise<void>;
  };
};

/** Answer now, or, when the server asked for a task, create one and complete it shortly after. */
async function answer(params: { task?: { ttl?: number } }, extra: TaskAwareExtra, result: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (params.task === undefined) return result;
  const store = extra.taskStore;
  if (!store) throw new Error('task requested but the client has no task store');
  const task = await store.createTask({ ttl: params.task.ttl ?? 60_000, pollInterval: 200 });
  // Completed after the CreateTaskResult is sent, so the server polls with tasks/get and then
  // fetches tasks/result: both server → client requests through the shim.
  setTimeout(() => void store.storeTaskResult(task.taskId, 'completed', result).catch(() => undefined), 100);
  return { task };
}

const SESSION: SessionOptions = {
  capabilities: CAPABILITIES,
  taskStore: true,
  setup(client: Client) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
      const { messages, systemPrompt, maxTokens, temperature } = request.params;
      // The answer quotes the request, so a request changed on the way shows in the result.
      const text = `parity answer to ${JSON.stringify({ messages, systemPrompt, maxTokens, temperature })}`;
      return (await answer(request.params, extra as TaskAwareExtra, {
        model: 'parity-model',
        role: 'assistant',
        stopReason: 'endTurn',
        content: { type: 'text', text },
      })) as never;
    });
    client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
      const params = request.params;
      if (params.mode === 'url') return { action: 'accept' };
      const properties = Object.keys(params.requestedSchema.properties);
      const content = Object.fromEntries(properties.filter((p) => p in FORM_ANSWERS).map((p) => [p, FORM_ANSWERS[p]!]));
      return (await answer(params, extra as TaskAwareExtra, { action: 'accept', content })) as never;
    });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: ROOTS }));
  },
};

// ---------------------------------------------------------------------------------------
// Sessions and helpers.

let direct: McpSession;
let shim: McpSession;
let tmp: string;
let auditFile: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'vanguard-parity-'));
  auditFile = path.join(tmp, 'audit.jsonl');
  const policy = path.join(tmp, 'default-without-flow.yaml');
  writeFileSync(policy, 'extends: default\nflow: { rules: [], burst: off }\n');
  [direct, shim] = await Promise.all([
    connectDirect(process.execPath, [EVERYTHING_SERVER], SESSION),
    connectThroughShim(['--policy', policy, '--audit', auditFile, '--grace-ms', '500'], process.execPath, [EVERYTHING_SERVER], SESSION),
  ]);
  // The server asks for roots 350 ms after initialization; wait for it on both sides so
  // that the flows below start from the same state.
  await Promise.all([direct, shim].map((s) => until(() => s.notifications('notifications/message').some((n) => String(n.params?.data).startsWith('Roots updated')))));
});

afterAll(async () => {
  await Promise.all([direct?.close(), shim?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** What the client sent, and what it received, in order, as on the wire. */
const sentBy = (s: McpSession): WireMessage[] => s.wire.filter((e) => e.direction === 'sent').map((e) => e.message);
const receivedBy = (s: McpSession): WireMessage[] => s.wire.filter((e) => e.direction === 'received').map((e) => e.message);
const isRequest = (m: WireMessage) => m.method !== undefined && m.id !== undefined;
const isResponse = (m: WireMessage) => m.method === undefined && m.id !== undefined;

/** Run the same flow on both sessions at once: [direct, shim]. */
function both<T>(flow: (s: McpSession) => Promise<T>): Promise<[T, T]> {
  return Promise.all([flow(direct), flow(shim)]);
}

/** A result or the error it failed with, as plain data (code, message, data). */
async function settle<T>(promise: Promise<T>): Promise<{ result: T } | { error: { code?: unknown; message: string; data?: unknown } }> {
  try {
    return { result: await promise };
  } catch (error) {
    if (error instanceof McpError) return { error: { code: error.code, message: error.message, data: error.data } };
    return { error: { message: error instanceof Error ? error.message : String(error) } };
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Both results, normalised, are deep-equal; returns the (direct) normalised one. */
async function expectSame<T>(flow: (s: McpSession) => Promise<T>, rules: Rule[] = []): Promise<unknown> {
  const [d, s] = await both(flow);
  const nd = normalise(d, rules);
  expect(normalise(s, rules)).toEqual(nd);
  return nd;
}

/** Server → client requests of a method, without their ids (server-generated counters). */
const serverRequests = (s: McpSession, method: string, rules: Rule[] = []) =>
  s.serverRequests(method).map(({ method: m, params }) => normalise({ method: m, params }, rules));

async function listAll<T>(page: (cursor?: string) => Promise<{ nextCursor?: string } & Record<string, unknown>>, key: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const result = await page(cursor);
    items.push(...((result[key] as T[]) ?? []));
    cursor = result.nextCursor;
    if (++pages > 100) throw new Error('too many pages');
  } while (cursor);
  return items;
}

// ---------------------------------------------------------------------------------------

describe('initialize and ping', () => {
  it('gives the same server info, capabilities and instructions', () => {
    expect(shim.client.getServerVersion()).toEqual(direct.client.getServerVersion());
    expect(shim.client.getServerCapabilities()).toEqual(direct.client.getServerCapabilities());
    expect(shim.client.getServerCapabilities()).toMatchObject({ tools: {}, prompts: {}, resources: { subscribe: true }, logging: {}, tasks: {} });
    const instructions = shim.client.getInstructions();
    expect(instructions).toBe(direct.client.getInstructions());
    expect(instructions?.length).toBeGreaterThan(100);
  });

  it('passes the initialize result as the server sent it', () => {
    const initResult = (s: McpSession) => {
      const request = sentBy(s).find((m) => m.method === 'initialize');
      return receivedBy(s).find((m) => isResponse(m) && m.id === request?.id);
    };
    expect(initResult(direct)).toMatchObject({ result: { protocolVersion: expect.any(String) } });
    expect(initResult(shim)).toEqual(initResult(direct));
  });

  it('answers ping', async () => {
    const [d, s] = await both((x) => x.client.ping());
    expect(d).toEqual({});
    expect(s).toEqual(d);
  });

  it('passes the server\'s roots/list request and the client\'s answer', () => {
    const requests = serverRequests(direct, 'roots/list');
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(serverRequests(shim, 'roots/list')).toEqual(requests);
    const rootsLog = (s: McpSession) => s.notifications('notifications/message').filter((n) => String(n.params?.data).startsWith('Roots updated'));
    expect(rootsLog(direct)).toEqual([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', logger: 'everything-server', data: `Roots updated: ${ROOTS.length} root(s) received from client` } }]);
    expect(rootsLog(shim)).toEqual(rootsLog(direct));
  });
});

// ---------------------------------------------------------------------------------------

/** The tools server-everything 2026.8.31 lists for a client with every capability. */
const EXPECTED_TOOLS = [
  'echo',
  'get-annotated-message',
  'get-env',
  'get-resource-links',
  'get-resource-reference',
  'get-structured-content',
  'get-sum',
  'get-tiny-image',
  'gzip-file-as-resource',
  'toggle-simulated-logging',
  'toggle-subscriber-updates',
  'trigger-long-running-operation',
  'get-roots-list',
  'trigger-elicitation-request',
  'trigger-url-elicitation',
  'trigger-sampling-request',
  'simulate-research-query',
  'trigger-sampling-request-async',
  'trigger-elicitation-request-async',
];

/** Arguments where the schema alone would not give a good (or a fast, or an offline) call. */
const ARGUMENTS: Record<string, Record<string, unknown>> = {
  // Non-ASCII, quotes, a line separator and an astral character: the text must come back as is.
  echo: { message: 'héllo "wörld" \u2028 \\ 🦀' },
  'get-annotated-message': { messageType: 'error', includeImage: true },
  'get-resource-reference': { resourceType: 'Blob', resourceId: 2 },
  'get-resource-links': { count: 5 },
  // Floating point: the exact digits must survive the trip.
  'get-sum': { a: 0.1, b: 0.2 },
  'get-structured-content': { location: 'Chicago' },
  // A data: URL, so nothing is fetched from the network; the default is a GitHub URL.
  'gzip-file-as-resource': { name: 'parity.txt.gz', data: `data:text/plain;base64,${Buffer.from('parity '.repeat(64)).toString('base64')}`, outputType: 'resource' },
  // The default is 10 s.
  'trigger-long-running-operation': { duration: 0.3, steps: 3 },
  'trigger-sampling-request': { prompt: 'What is 2+2? Ünïcödé too.', maxTokens: 42 },
  'trigger-sampling-request-async': { prompt: 'Async: what is 3+3?', maxTokens: 17 },
  'trigger-url-elicitation': { url: 'https://example.com/authorize?x=1&y=2', elicitationId: 'parity-elicitation-1' },
  'simulate-research-query': { topic: 'Python history', ambiguous: true },
};

/** Required arguments built from a tool's inputSchema: enum → first value, uri → a URL, etc. */
function argumentsFromSchema(schema: Tool['inputSchema']): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    const prop = (schema.properties?.[name] ?? {}) as { type?: string; enum?: unknown[]; format?: string; minimum?: number; default?: unknown };
    if (prop.default !== undefined) args[name] = prop.default;
    else if (prop.enum?.length) args[name] = prop.enum[0];
    else if (prop.type === 'string') args[name] = prop.format === 'uri' ? 'https://example.com/' : `parity ${name}`;
    else if (prop.type === 'number' || prop.type === 'integer') args[name] = Math.max(prop.minimum ?? 1, 1);
    else if (prop.type === 'boolean') args[name] = true;
    else if (prop.type === 'array') args[name] = [];
    else args[name] = {};
  }
  return args;
}

let toolsByName = new Map<string, Tool>();
const argsFor = (name: string): Record<string, unknown> => {
  const tool = toolsByName.get(name);
  if (!tool) throw new Error(`${name} is not listed`);
  return ARGUMENTS[name] ?? argumentsFromSchema(tool.inputSchema);
};
const call = (s: McpSession, name: string, args = argsFor(name)) => settle(s.client.callTool({ name, arguments: args }));

describe('tools', () => {
  beforeAll(async () => {
    const [tools] = await both((s) => listAll<Tool>((cursor) => s.client.listTools({ cursor }), 'tools'));
    toolsByName = new Map(tools.map((t) => [t.name, t]));
  });

  it('lists the same tools, schemas and annotations, across every page', async () => {
    const listed = await expectSame((s) => listAll<Tool>((cursor) => s.client.listTools({ cursor }), 'tools'));
    // The conditional tools (sampling, elicitation, roots, tasks) are there: the client's
    // capabilities reached the server through the shim.
    expect((listed as Tool[]).map((t) => t.name).sort()).toEqual([...EXPECTED_TOOLS].sort());
  });

  // Tools whose result is a plain function of the arguments.
  const plain = ['echo', 'get-annotated-message', 'get-resource-links', 'get-structured-content', 'get-sum', 'get-tiny-image', 'gzip-file-as-resource', 'get-roots-list', 'trigger-sampling-request'];
  it.each(plain)('%s gives the same result', async (name) => {
    const result = (await expectSame((s) => call(s, name))) as { result?: { content: unknown[]; isError?: boolean } };
    expect(result.result?.isError).not.toBe(true);
    expect(result.result?.content.length).toBeGreaterThan(0);
  });

  it('echo returns the text exactly', async () => {
    for (const result of await both((s) => call(s, 'echo'))) {
      expect(result).toEqual({ result: { content: [{ type: 'text', text: `Echo: ${ARGUMENTS.echo!.message as string}` }] } });
    }
  });

  it('get-sum keeps the digits of a float', async () => {
    for (const result of await both((x) => call(x, 'get-sum'))) {
      expect(result).toEqual({ result: { content: [{ type: 'text', text: 'The sum of 0.1 and 0.2 is 0.30000000000000004.' }] } });
    }
  });

  it('get-roots-list shows the roots the client answered', async () => {
    for (const result of await both((x) => call(x, 'get-roots-list'))) {
      expect(JSON.stringify(result)).toContain('file:///srv/parity-root');
      expect(JSON.stringify(result)).toContain('file:///tmp/second%20root');
    }
  });

  it('get-resource-reference gives the same resource but for the time of day', async () => {
    const result = await expectSame((s) => call(s, 'get-resource-reference'), [TIME_OF_DAY]);
    expect(JSON.stringify(result)).toContain('base64(Resource 2: This is a base64 blob created at <time>)');
  });

  it('get-env gives the same environment', async () => {
    // The output is the server's whole process.env. Both servers get the test's environment
    // (the harness passes process.env; the shim passes its own on), so names and values must
    // match. Normalised: `_`, which a shell may set to the path of the program it started.
    const [d, s] = await both((x) => call(x, 'get-env'));
    const env = (r: typeof d) => {
      const text = 'result' in r ? (r.result.content as Array<{ type: string; text?: string }>)[0]?.text : undefined;
      const { _: _ignored, ...rest } = JSON.parse(text ?? 'null') as Record<string, string>;
      return rest;
    };
    expect(env(d).PATH).toBe(process.env.PATH);
    // A credential in the environment (a CI token, say) comes back redacted through the shim
    // (results.secrets); everything else is the same. test/e2e/everything-results.test.ts
    // checks the redaction itself.
    const shim = env(s);
    const direct = env(d);
    expect(Object.keys(shim).sort()).toEqual(Object.keys(direct).sort());
    for (const [name, value] of Object.entries(direct)) {
      if (shim[name] !== value) expect(shim[name], name).toMatch(/\[REDACTED:[a-z0-9.-]+\]/);
    }
  });

  it('trigger-long-running-operation sends the same progress notifications', async () => {
    // Progress is compared as it arrived on the wire, not as the SDK's onprogress callback
    // saw it: the SDK dispatches notifications a microtask later but responses at once, so
    // when the last progress and the response arrive in one chunk the callback misses the last
    // one ("unknown token"), directly as well as through the shim, in most runs.
    const [d, s] = await both(async (x) => {
      const result = await x.client.callTool({ name: 'trigger-long-running-operation', arguments: argsFor('trigger-long-running-operation') }, CallToolResultSchema, {
        onprogress: () => undefined,
      });
      const request = sentBy(x).filter((m) => m.params?.name === 'trigger-long-running-operation').at(-1);
      const token = request?.params?._meta?.progressToken;
      expect(token).toBeDefined();
      const progress = x
        .notifications('notifications/progress')
        .filter((n) => n.params?.progressToken === token)
        // The token is the client's request id, which the two clients pick independently.
        .map(({ params }) => ({ ...params, progressToken: '<token>' }));
      return { result, progress };
    });
    expect(d.progress).toEqual([
      { progress: 1, total: 3, progressToken: '<token>' },
      { progress: 2, total: 3, progressToken: '<token>' },
      { progress: 3, total: 3, progressToken: '<token>' },
    ]);
    expect(d.result).toEqual({ content: [{ type: 'text', text: 'Long running operation completed. Duration: 0.3 seconds, Steps: 3.' }] });
    expect(s).toEqual(d);
  });

  it('a call cancelled by the client is cancelled the same way', async () => {
    const [d, s] = await both(async (x) => {
      const controller = new AbortController();
      const outcome = await settle(
        x.client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, CallToolResultSchema, {
          signal: controller.signal,
          // Cancel once the first progress shows the call is running on the server.
          onprogress: () => controller.abort('parity cancel'),
        }),
      );
      const request = sentBy(x).filter((m) => m.method === 'tools/call').at(-1);
      // A second, uncancelled call that started later and takes as long: once it is answered,
      // anything the server was going to send for the first one has arrived too.
      await x.client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 1 } });
      const cancelled = sentBy(x).filter((m) => m.method === 'notifications/cancelled').at(-1);
      const answers = receivedBy(x).filter((m) => isResponse(m) && m.id === request?.id);
      return {
        outcome: 'error' in outcome ? outcome.error.message : 'not cancelled',
        cancelledSameId: request !== undefined && cancelled?.params?.requestId === request.id,
        reason: cancelled?.params?.reason,
        answers: answers.length,
      };
    });
    // The server sends no answer for a cancelled request (the SDK drops it).
    expect(d).toEqual({ outcome: expect.stringContaining('parity cancel'), cancelledSameId: true, reason: 'parity cancel', answers: 0 });
    expect(s).toEqual(d);
  });

  it('toggle-simulated-logging starts and stops the same way', async () => {
    const result = await expectSame(async (s) => [await call(s, 'toggle-simulated-logging'), await call(s, 'toggle-simulated-logging')]);
    expect(JSON.stringify(result)).toContain('Stopped simulated logging');
  });

  it('toggle-subscriber-updates starts and stops the same way', async () => {
    const result = await expectSame(async (s) => [await call(s, 'toggle-subscriber-updates'), await call(s, 'toggle-subscriber-updates')]);
    expect(JSON.stringify(result)).toContain('Stopped simulated resource updates');
  });

  it('answers a call to an unknown tool the same way', async () => {
    const result = await expectSame((s) => call(s, 'no-such-tool', {}));
    expect(JSON.stringify(result)).toContain('no-such-tool');
  });

  it('answers invalid arguments the same way', async () => {
    const result = (await expectSame((s) => call(s, 'get-sum', { a: 'one', b: 2 }))) as { result?: { isError?: boolean }; error?: unknown };
    expect(result.result?.isError === true || result.error !== undefined).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------

describe('sampling and elicitation', () => {
  it('trigger-sampling-request: the same sampling request reaches the client, the same answer the server', async () => {
    const before = [direct, shim].map((s) => s.serverRequests('sampling/createMessage').length);
    const result = await expectSame((s) => call(s, 'trigger-sampling-request'));
    expect(JSON.stringify(result)).toContain('parity-model');
    const sent = (s: McpSession, i: number) => serverRequests(s, 'sampling/createMessage').slice(before[i]);
    expect(sent(direct, 0)).toEqual([
      {
        method: 'sampling/createMessage',
        params: {
          messages: [{ role: 'user', content: { type: 'text', text: 'Resource trigger-sampling-request context: What is 2+2? Ünïcödé too.' } }],
          systemPrompt: 'You are a helpful test server.',
          maxTokens: 42,
          temperature: 0.7,
        },
      },
    ]);
    expect(sent(shim, 1)).toEqual(sent(direct, 0));
  });

  it('trigger-elicitation-request: form elicitation, the client\'s answer comes back', async () => {
    const result = await expectSame((s) => call(s, 'trigger-elicitation-request'));
    expect(JSON.stringify(result)).toContain('Name: Ada Lovelace ✓');
    expect(serverRequests(shim, 'elicitation/create')).toEqual(serverRequests(direct, 'elicitation/create'));
  });

  it('trigger-url-elicitation: URL elicitation by request', async () => {
    const result = await expectSame((s) => call(s, 'trigger-url-elicitation'));
    expect(JSON.stringify(result)).toContain('User completed the URL elicitation flow');
  });

  it('trigger-url-elicitation: URL elicitation by error (-32042), then the retry', async () => {
    const args = { url: 'https://example.com/consent', errorPath: true };
    // The prerequisite's elicitationId is a random UUID.
    const first = await expectSame((s) => call(s, 'trigger-url-elicitation', args), [UUID]);
    expect(first).toMatchObject({ error: { code: -32042, data: { elicitations: [{ mode: 'url', elicitationId: '<uuid>' }] } } });
    // The retry proceeds; its elicitationId is a random UUID too (none was given).
    const second = await expectSame((s) => call(s, 'trigger-url-elicitation', args), [UUID]);
    expect(JSON.stringify(second)).toContain('User completed the URL elicitation flow');
  });

  it('trigger-sampling-request-async: sampling run as a client task, polled with tasks/get and tasks/result', async () => {
    const result = await expectSame((s) => call(s, 'trigger-sampling-request-async'), TASK_RULES);
    expect(JSON.stringify(result)).toContain('[COMPLETED] Async sampling completed!');
    expect(JSON.stringify(result)).toContain('parity answer to');
    // The server polls (tasks/get) once a second until the client's task is done (100 ms), so
    // one poll each, in practice: the polls are compared as a set, to stay timing-free.
    const polls = (x: McpSession) => [...new Set(serverRequests(x, 'tasks/get', TASK_RULES).map((r) => JSON.stringify(r)))];
    expect(polls(direct)).toEqual([JSON.stringify({ method: 'tasks/get', params: { taskId: '<task-id>' } })]);
    expect(polls(shim)).toEqual(polls(direct));
    expect(serverRequests(direct, 'tasks/result')).toHaveLength(1);
    expect(serverRequests(shim, 'tasks/result', TASK_RULES)).toEqual(serverRequests(direct, 'tasks/result', TASK_RULES));
  });

  it('trigger-elicitation-request-async: elicitation run as a client task', async () => {
    const result = await expectSame((s) => call(s, 'trigger-elicitation-request-async'), TASK_RULES);
    expect(JSON.stringify(result)).toContain('[COMPLETED] User provided the requested information!');
    expect(JSON.stringify(result)).toContain('Favorite Color: Blue');
  });

  it('simulate-research-query: a server task with an elicitation on the way', async () => {
    const [d, s] = await both(async (x) => {
      const messages: Array<{ type: string; [k: string]: unknown }> = [];
      for await (const message of x.client.experimental.tasks.callToolStream({ name: 'simulate-research-query', arguments: argsFor('simulate-research-query') }, CallToolResultSchema, { task: { ttl: 60_000 } })) {
        messages.push(message as never);
      }
      return messages;
    });
    // How many times the client polled (taskStatus messages) depends on timing; the start,
    // the final result and the clarification asked on the way do not.
    const summary = (m: typeof d) => normalise({ first: m[0], last: m.at(-1) }, TASK_RULES);
    expect(d[0]).toMatchObject({ type: 'taskCreated', task: { status: 'working' } });
    expect(d.at(-1)).toMatchObject({ type: 'result' });
    expect(JSON.stringify(d.at(-1))).toContain('Research Report: Python history (historical)');
    expect(summary(s)).toEqual(summary(d));
    const clarification = (x: McpSession) => serverRequests(x, 'elicitation/create', TASK_RULES).filter((r) => JSON.stringify(r).includes('Python history'));
    expect(clarification(direct)).toHaveLength(1);
    expect(clarification(shim)).toEqual(clarification(direct));
  });
});

// ---------------------------------------------------------------------------------------

describe('prompts', () => {
  it('lists the same prompts', async () => {
    const prompts = (await expectSame((s) => listAll((cursor) => s.client.listPrompts({ cursor }), 'prompts'))) as Array<{ name: string }>;
    expect(prompts.map((p) => p.name).sort()).toEqual(['args-prompt', 'completable-prompt', 'resource-prompt', 'simple-prompt']);
  });

  const gets: Array<[string, Record<string, string> | undefined]> = [
    ['simple-prompt', undefined],
    ['args-prompt', { city: 'Lyon', state: 'Auvergne-Rhône-Alpes' }],
    ['args-prompt', { city: 'Oslo' }],
    ['completable-prompt', { department: 'Sales', name: 'Eve' }],
    ['resource-prompt', { resourceType: 'Text', resourceId: '3' }],
    ['resource-prompt', { resourceType: 'Blob', resourceId: '4' }],
  ];
  it.each(gets)('getPrompt %s %j gives the same messages', async (name, args) => {
    // resource-prompt embeds a dynamic resource, which carries the time of day.
    const result = (await expectSame((s) => s.client.getPrompt({ name, arguments: args }), [TIME_OF_DAY])) as { messages: unknown[] };
    expect(result.messages.length).toBeGreaterThan(0);
  });

  it('answers a bad prompt request the same way', async () => {
    const results = await expectSame(async (s) => [
      await settle(s.client.getPrompt({ name: 'no-such-prompt' })),
      await settle(s.client.getPrompt({ name: 'resource-prompt', arguments: { resourceType: 'Nope', resourceId: '1' } })),
    ]);
    expect(results).toMatchObject([{ error: { code: expect.any(Number) } }, { error: { code: expect.any(Number) } }]);
  });
});

// ---------------------------------------------------------------------------------------

describe('resources', () => {
  it('lists the same resources across pages, and the same templates', async () => {
    const resources = (await expectSame((s) => listAll<{ uri: string }>((cursor) => s.client.listResources({ cursor }), 'resources'))) as Array<{ uri: string }>;
    expect(resources.some((r) => r.uri.startsWith('demo://resource/static/document/'))).toBe(true);
    const templates = (await expectSame((s) => listAll<{ uriTemplate: string }>((cursor) => s.client.listResourceTemplates({ cursor }), 'resourceTemplates'))) as Array<{ uriTemplate: string }>;
    expect(templates.map((t) => t.uriTemplate).sort()).toEqual(['demo://resource/dynamic/blob/{resourceId}', 'demo://resource/dynamic/text/{resourceId}']);
  });

  it('reads every listed resource the same way', async () => {
    const [resources] = await both((s) => listAll<{ uri: string }>((cursor) => s.client.listResources({ cursor }), 'resources'));
    expect(resources.length).toBeGreaterThan(0);
    const contents = (await expectSame((s) => Promise.all(resources.map((r) => settle(s.client.readResource({ uri: r.uri })))))) as Array<{ result?: unknown }>;
    expect(contents.every((c) => c.result !== undefined)).toBe(true);
  });

  it('reads template-expanded resources the same way (time of day normalised)', async () => {
    const uris = ['demo://resource/dynamic/text/7', 'demo://resource/dynamic/blob/8'];
    const contents = await expectSame((s) => Promise.all(uris.map((uri) => s.client.readResource({ uri }))), [TIME_OF_DAY]);
    expect(contents).toEqual([
      { contents: [{ uri: uris[0], mimeType: 'text/plain', text: 'Resource 7: This is a plaintext resource created at <time>' }] },
      { contents: [{ uri: uris[1], mimeType: 'text/plain', blob: 'base64(Resource 8: This is a base64 blob created at <time>)' }] },
    ]);
  });

  it('answers a read of an unknown resource the same way', async () => {
    const errors = await expectSame(async (s) => [await settle(s.client.readResource({ uri: 'demo://resource/dynamic/text/0' })), await settle(s.client.readResource({ uri: 'demo://nowhere' }))]);
    expect(errors).toMatchObject([{ error: { code: expect.any(Number) } }, { error: { code: expect.any(Number) } }]);
  });

  it('a resource made by a tool is listed, read and announced the same way', async () => {
    const before = [direct, shim].map((s) => s.notifications('notifications/resources/list_changed').length);
    const link = await expectSame((s) => call(s, 'gzip-file-as-resource', { name: 'linked.txt.gz', data: 'data:text/plain,hello%20parity', outputType: 'resourceLink' }));
    expect(link).toMatchObject({ result: { content: [{ type: 'resource_link', uri: 'demo://resource/session/linked.txt.gz' }] } });
    const read = await expectSame((s) => s.client.readResource({ uri: 'demo://resource/session/linked.txt.gz' }));
    expect(read).toMatchObject({ contents: [{ mimeType: 'application/gzip', blob: expect.any(String) }] });
    await until(() => [direct, shim].every((s, i) => s.notifications('notifications/resources/list_changed').length > before[i]!));
  });

  it('subscribe, updates, unsubscribe: the same answers and notifications', async () => {
    const uri = 'demo://resource/dynamic/text/1';
    const updates = (s: McpSession) => s.notifications('notifications/resources/updated');
    const before = [direct, shim].map((s) => updates(s).length);
    expect(await expectSame((s) => s.client.subscribeResource({ uri }))).toEqual({});
    // Turning updates on sends one update per subscribed resource at once (then every 5 s).
    await both((s) => call(s, 'toggle-subscriber-updates', {}));
    await until(() => [direct, shim].every((s, i) => updates(s).length > before[i]!));
    await both((s) => call(s, 'toggle-subscriber-updates', {}));
    expect(updates(direct).slice(before[0])[0]).toEqual({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri } });
    expect(updates(shim).slice(before[1])[0]).toEqual(updates(direct).slice(before[0])[0]);
    expect(await expectSame((s) => s.client.unsubscribeResource({ uri }))).toEqual({});
  });
});

// ---------------------------------------------------------------------------------------

describe('completion', () => {
  const cases: Array<[string, Parameters<Client['complete']>[0], string[]]> = [
    ['a prompt argument', { ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'S' } }, ['Sales', 'Support']],
    ['a prompt argument with context', { ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'name', value: '' }, context: { arguments: { department: 'Engineering' } } }, ['Alice', 'Bob', 'Charlie']],
    ['another prompt\'s argument', { ref: { type: 'ref/prompt', name: 'resource-prompt' }, argument: { name: 'resourceType', value: 'B' } }, ['Blob']],
    ['a resource template variable', { ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' }, argument: { name: 'resourceId', value: '12' } }, ['12']],
    ['nothing to complete', { ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'Zzz' } }, []],
  ];
  it.each(cases)('completes %s the same way', async (_label, params, values) => {
    const result = (await expectSame((s) => s.client.complete(params))) as { completion: { values: string[] } };
    expect(result.completion.values).toEqual(values);
  });
});

// ---------------------------------------------------------------------------------------

describe('logging', () => {
  const messages = (s: McpSession) => s.notifications('notifications/message');
  const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

  it('setLoggingLevel, and the server\'s log messages come through the same', async () => {
    expect(await expectSame((s) => s.client.setLoggingLevel('debug'))).toEqual({});
    const before = [direct, shim].map((s) => messages(s).length);
    const uri = 'demo://resource/dynamic/text/2';
    // The server logs each subscribe request at info level before answering it.
    await both((s) => s.client.subscribeResource({ uri }));
    await both((s) => s.client.unsubscribeResource({ uri }));
    const logged = (s: McpSession, i: number) => messages(s).slice(before[i]);
    expect(logged(direct, 0)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `Received Subscribe Resource request for URI: ${uri} ` } },
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `Received Unsubscribe Resource request: ${uri} ` } },
    ]);
    expect(logged(shim, 1)).toEqual(logged(direct, 0));
  });

  it('a level above info silences the info messages on both sides', async () => {
    expect(await expectSame((s) => s.client.setLoggingLevel('error'))).toEqual({});
    const before = [direct, shim].map((s) => messages(s).length);
    // The log message, when sent, precedes the answer on the same pipe.
    await both((s) => s.client.subscribeResource({ uri: 'demo://resource/dynamic/text/3' }));
    await both((s) => s.client.unsubscribeResource({ uri: 'demo://resource/dynamic/text/3' }));
    expect(messages(direct).length).toBe(before[0]);
    expect(messages(shim).length).toBe(before[1]);
    await both((s) => s.client.setLoggingLevel('debug'));
  });

  it('simulated logging: a random-level message, same shape on both sides', async () => {
    // The level and text are picked at random by the server (Math.random), so only the
    // structure can be compared: one of the eight levels and the matching text.
    const before = [direct, shim].map((s) => messages(s).length);
    await both((s) => call(s, 'toggle-simulated-logging', {}));
    await until(() => [direct, shim].every((s, i) => messages(s).length > before[i]!));
    await both((s) => call(s, 'toggle-simulated-logging', {}));
    for (const [i, s] of [direct, shim].entries()) {
      const message = messages(s)[before[i]!]!;
      expect(Object.keys(message.params ?? {}).sort()).toEqual(['data', 'level']);
      expect(LEVELS).toContain(message.params?.level);
      expect(String(message.params?.data)).toMatch(/^[A-Z][a-z]+[- ]level[- ]message$/);
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('raw bytes', () => {
  /**
   * The same frames, written as raw lines to the server directly and through the shim; the
   * lines that come back are compared as bytes. Requests are sent after `initialized`, all at
   * once; answers are matched by id (the server may finish them in any order).
   */
  async function exchange(argv: string[], frames: string[]): Promise<{ answers: Map<unknown, string>; others: string[] }> {
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.resume();
    const lines: string[] = [];
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      partial += chunk;
      let i: number;
      while ((i = partial.indexOf('\n')) >= 0) {
        lines.push(partial.slice(0, i));
        partial = partial.slice(i + 1);
      }
    });
    const idOf = (line: string): unknown => (JSON.parse(line) as { id?: unknown }).id;
    try {
      child.stdin.write(`${INIT}\n`);
      await until(() => lines.some((l) => idOf(l) === 0));
      child.stdin.write(`${INITIALIZED}\n`);
      for (const frame of frames) child.stdin.write(`${frame}\n`);
      const ids = frames.map(idOf);
      await until(() => ids.every((id) => lines.some((l) => idOf(l) === id && !('method' in JSON.parse(l)))));
      const answers = new Map<unknown, string>();
      const others: string[] = [];
      for (const line of lines) {
        const id = idOf(line);
        if (id !== undefined && !('method' in JSON.parse(line))) answers.set(id, line);
        else others.push(line);
      }
      return { answers, others };
    } finally {
      child.kill('SIGKILL');
    }
  }

  const INIT = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: { sampling: {} }, clientInfo: { name: 'raw', version: '1' } } });
  const INITIALIZED = '{"jsonrpc":"2.0","method":"notifications/initialized"}';
  const FRAMES = [
    '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    '{"jsonrpc":"2.0","id":2,"method":"prompts/list","params":{}}',
    '{"jsonrpc":"2.0","id":3,"method":"resources/list"}',
    '{"jsonrpc":"2.0","id":4,"method":"resources/templates/list"}',
    // Escaped non-ASCII, an escaped astral character, escaped quotes, odd spacing.
    '{ "jsonrpc" : "2.0", "id" : "s-1", "method" : "tools/call", "params" : { "name" : "echo", "arguments" : { "message" : "\\u00e9\\ud83e\\udd80 \\"q\\" \\u2028" } } }',
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get-tiny-image","arguments":{}}}',
    '{"jsonrpc":"2.0","id":6,"method":"prompts/get","params":{"name":"args-prompt","arguments":{"city":"Zürich"}}}',
    '{"jsonrpc":"2.0","id":7,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"completable-prompt"},"argument":{"name":"department","value":"M"}}}',
    '{"jsonrpc":"2.0","id":8,"method":"ping"}',
    '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"get-structured-content","arguments":{"location":"Los Angeles"}}}',
    '{"jsonrpc":"2.0","id":10,"method":"vanguard/no-such-method","params":{"x":1}}',
    '{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"get-sum","arguments":{"a":1e21,"b":-0.5}}}',
  ];

  it('every answer is the same bytes directly and through the shim', async () => {
    const [d, s] = await Promise.all([
      exchange([EVERYTHING_SERVER], FRAMES),
      exchange([CLI, 'start', '--grace-ms', '200', '--', process.execPath, EVERYTHING_SERVER], FRAMES),
    ]);
    expect(d.answers.get('s-1')).toBe(`{"result":{"content":[{"type":"text","text":"Echo: é🦀 \\"q\\" \u2028"}]},"jsonrpc":"2.0","id":"s-1"}`);
    expect(d.answers.get(10)).toContain('"code":-32601');
    // Byte for byte, except what issue 8 requires: U+2028, U+2029 and U+0085 (line ends to
    // str.splitlines) are written as their \u escapes, the same JSON value to every reader.
    const oneLine = (line: string): string => line.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    for (const [id, line] of d.answers) {
      expect(s.answers.get(id), `answer to id ${String(id)}`).toBe(oneLine(line));
      expect(JSON.parse(s.answers.get(id) ?? 'null')).toEqual(JSON.parse(line));
    }
    expect([...s.answers.keys()].sort()).toEqual([...d.answers.keys()].sort());
    // Notifications (tools/list_changed after initialized): the same lines.
    expect(s.others.sort()).toEqual(d.others.sort());
  });
});

describe('the session as a whole', () => {
  it('every tool the server lists was called, and answered without error, on both sides', () => {
    expect(toolsByName.size).toBe(EXPECTED_TOOLS.length);
    for (const s of [direct, shim]) {
      const answers = new Map(receivedBy(s).filter(isResponse).map((m) => [m.id, m]));
      const succeeded = new Set(
        sentBy(s)
          .filter((m) => m.method === 'tools/call')
          .filter((m) => {
            const answer = answers.get(m.id);
            return answer?.result !== undefined && answer.result.isError !== true;
          })
          .map((m) => m.params?.name as string),
      );
      expect([...toolsByName.keys()].filter((name) => !succeeded.has(name))).toEqual([]);
    }
  });

  it('every request got exactly one answer (but the cancelled one), and the client saw no protocol or transport error', () => {
    for (const s of [direct, shim]) {
      const cancelled = new Set(sentBy(s).filter((m) => m.method === 'notifications/cancelled').map((m) => m.params?.requestId));
      expect(cancelled.size).toBe(1);
      const sent = sentBy(s).filter(isRequest).map((m) => m.id);
      const answered = receivedBy(s).filter(isResponse).map((m) => m.id);
      expect(answered.sort()).toEqual(sent.filter((id) => !cancelled.has(id)).sort());
      // A non-JSON line on stdout (a log written there) would show here as a parse error.
      // Left out: the SDK's own progress race (see the long-running operation test), which
      // happens directly as well, and progress for the call cancelled on purpose.
      const errors = s.errors.map((e) => e.message).filter((m) => !m.startsWith('Received a progress notification for an unknown token'));
      expect(errors).toEqual([]);
    }
  });

  it('the same request got the same answer as JSON text, key order included', () => {
    // The wire as the client's transport parsed it (before the SDK's schemas), serialised
    // again: a key reordered, a value retyped, a field added or dropped by the shim shows here.
    // Every normalisation rule above applies (this spans every flow); task polls (tasks/get)
    // are left out, since what a poll finds depends on when it comes.
    const ALL_RULES = [TIME_OF_DAY, TASK_ID, ISO_TIME, UUID];
    const answersByRequest = (s: McpSession) => {
      const byId = new Map<unknown, string>();
      for (const m of receivedBy(s).filter(isResponse)) {
        const { id: _id, ...rest } = m;
        byId.set(m.id, JSON.stringify(normalise(rest, ALL_RULES)));
      }
      const out: Record<string, string[]> = {};
      for (const m of sentBy(s).filter(isRequest)) {
        if (m.method === 'tasks/get' || !byId.has(m.id)) continue;
        // The progress token is the request id: picked by each client on its own.
        const { _meta, ...params } = m.params ?? {};
        const key = JSON.stringify(normalise({ method: m.method, params }, ALL_RULES));
        (out[key] ??= []).push(byId.get(m.id)!);
      }
      return out;
    };
    const d = answersByRequest(direct);
    expect(Object.keys(d).length).toBeGreaterThan(40);
    expect(answersByRequest(shim)).toEqual(d);
  });

  it('the server sent the same requests to the client, as JSON text', () => {
    const sent = (s: McpSession) =>
      s
        .serverRequests()
        .filter((r) => r.method !== 'tasks/get')
        .map(({ id: _id, ...rest }) => JSON.stringify(normalise(rest, [TASK_ID, ISO_TIME, UUID])))
        .sort();
    expect(sent(direct).length).toBeGreaterThan(5);
    expect(sent(shim)).toEqual(sent(direct));
  });

  it('the same kinds and numbers of notifications came from the server', () => {
    // Log messages and resource updates are also sent on 5 s timers, and the number of
    // task status polls depends on timing: those are compared in their own tests above.
    const timed = new Set(['notifications/message', 'notifications/resources/updated']);
    const count = (s: McpSession) => {
      const counts: Record<string, number> = {};
      for (const n of s.notifications()) if (!timed.has(n.method)) counts[n.method] = (counts[n.method] ?? 0) + 1;
      return counts;
    };
    // Progress: the long-running call, the cancelled one (progress sent before the server saw
    // the cancellation) and the call after it.
    expect(count(direct)['notifications/progress']).toBeGreaterThanOrEqual(5);
    expect(count(direct)['notifications/tools/list_changed']).toBeGreaterThanOrEqual(1);
    expect(count(shim)).toEqual(count(direct));
  });

  it('the audit trail went to stderr and the audit file, not stdout, and the file verifies', () => {
    const records = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { tool?: string; method?: string });
    const called = ['echo', 'get-sum', 'trigger-sampling-request', 'trigger-elicitation-request', 'trigger-long-running-operation', 'gzip-file-as-resource'];
    const fileTools = new Set(records(readFileSync(auditFile, 'utf8')).map((r) => r.tool));
    const stderrTools = new Set(records(shim.stderr()).map((r) => r.tool));
    for (const tool of called) {
      expect(fileTools).toContain(tool);
      expect(stderrTools).toContain(tool);
    }
    // The direct session's stderr is the server's own: no audit records there.
    expect(records(direct.stderr()).filter((r) => r.tool !== undefined)).toEqual([]);
    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', auditFile], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
