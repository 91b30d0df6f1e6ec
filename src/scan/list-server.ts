/**
 * Listing a server for `scan` and `pin`: start it with the MCP SDK's client over stdio
 * (the server's stderr goes to ours, never to stdout), then read every page of tools,
 * prompts, resources and resource templates, and its instructions. Results are kept as the
 * server sent them (the SDK's typed list methods drop fields they do not know, and a
 * poisoned or changed field is exactly what must be seen), page by page, so the engine's
 * list decisions can be replayed on them as `start` would make them.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { VanguardError } from '../errors.js';

/** The four lists a server may offer, by their list method. */
export const LIST_METHODS = {
  tools: { method: 'tools/list', field: 'tools', capability: 'tools' },
  prompts: { method: 'prompts/list', field: 'prompts', capability: 'prompts' },
  resources: { method: 'resources/list', field: 'resources', capability: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', field: 'resourceTemplates', capability: 'resources' },
} as const;

export type ListKind = keyof typeof LIST_METHODS;
export const LIST_KINDS = Object.keys(LIST_METHODS) as ListKind[];

/** How far a listing may go: a server that pages forever or lists without end is refused. */
export const LISTING_LIMITS = { maxPages: 1_000, maxEntries: 10_000 } as const;

/** One page of a list: its entries, as sent. */
export interface ListPage {
  entries: Array<Record<string, unknown>>;
  nextCursor?: string;
}

/** Everything a server shows a client before any call. */
export interface ServerListing {
  serverInfo?: { name?: string; version?: string };
  instructions?: string;
  /** Pages per kind, in order; a kind the server does not offer has none. */
  pages: Record<ListKind, ListPage[]>;
}

/** What to start: argv, environment (passed explicitly), working directory. */
export interface ServerSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** A spawn failure as `start` reports it: one line, 127 not found, 126 not executable. */
export function startFailure(command: string, error: unknown): VanguardError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new VanguardError('CHILD_NOT_FOUND', `cannot start "${command}": command not found`, 127);
  if (code === 'EACCES') return new VanguardError('CHILD_NOT_EXECUTABLE', `cannot start "${command}": permission denied`, 126);
  const detail = error instanceof Error ? error.message : String(error);
  return new VanguardError('CHILD_START_FAILED', `cannot start "${command}": ${detail}`, 1);
}

// Every page of one list, following cursors; bounded in pages and entries, and a cursor
// seen before (a loop) ends the listing with an error rather than going round.
async function readList(client: Client, kind: ListKind): Promise<ListPage[]> {
  const { method, field } = LIST_METHODS[kind];
  const pages: ListPage[] = [];
  const cursors = new Set<string>();
  let count = 0;
  let cursor: string | undefined;
  for (;;) {
    if (pages.length >= LISTING_LIMITS.maxPages) throw new VanguardError('CHILD_START_FAILED', `the server's ${method} did not end after ${LISTING_LIMITS.maxPages} pages`, 1);
    let result: Record<string, unknown>;
    try {
      result = (await client.request({ method, params: cursor === undefined ? {} : { cursor } }, ResultSchema)) as Record<string, unknown>;
    } catch (error) {
      // Offering resources without templates is common; the method is then simply absent.
      if (pages.length === 0 && error instanceof McpError && error.code === ErrorCode.MethodNotFound) return [];
      throw new VanguardError('CHILD_START_FAILED', `the server's answer to ${method} failed: ${error instanceof Error ? error.message : String(error)}`, 1);
    }
    const list = result[field];
    if (!Array.isArray(list)) throw new VanguardError('CHILD_START_FAILED', `the server's answer to ${method} has no "${field}" list`, 1);
    const entries = list.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && !Array.isArray(e));
    count += entries.length;
    if (count > LISTING_LIMITS.maxEntries) throw new VanguardError('CHILD_START_FAILED', `the server's ${method} lists more than ${LISTING_LIMITS.maxEntries} entries`, 1);
    const next = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    pages.push({ entries, ...(next !== undefined && { nextCursor: next }) });
    if (next === undefined) return pages;
    if (cursors.has(next)) throw new VanguardError('CHILD_START_FAILED', `the server's ${method} repeats the cursor ${JSON.stringify(next)}`, 1);
    cursors.add(next);
    cursor = next;
  }
}

/** Start the server, read everything it lists, and stop it. Throws VanguardError. */
export async function listServer(spec: ServerSpec, clientName: string): Promise<ServerListing> {
  const transport = new StdioClientTransport({ command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd, stderr: 'inherit' });
  const client = new Client({ name: clientName, version: '1.0.0' });
  try {
    try {
      await client.connect(transport);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException | undefined)?.code;
      if (errno !== undefined && typeof errno === 'string') throw startFailure(spec.command, error);
      const detail = error instanceof Error ? error.message : String(error);
      throw new VanguardError('CHILD_START_FAILED', `"${spec.command}" did not answer initialize: ${detail}`, 1);
    }
    const capabilities = client.getServerCapabilities() ?? {};
    const pages = { tools: [], prompts: [], resources: [], resourceTemplates: [] } as Record<ListKind, ListPage[]>;
    for (const kind of LIST_KINDS) {
      if (capabilities[LIST_METHODS[kind].capability]) pages[kind] = await readList(client, kind);
    }
    const info = client.getServerVersion();
    const instructions = client.getInstructions();
    return { ...(info && { serverInfo: { name: info.name, version: info.version } }), ...(instructions !== undefined && { instructions }), pages };
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Every entry of one kind, all pages joined. */
export function entriesOf(listing: ServerListing, kind: ListKind): Array<Record<string, unknown>> {
  return listing.pages[kind].flatMap((page) => page.entries);
}
