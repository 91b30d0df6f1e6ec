/** Every page of the tool list through the shim, each with the shim's record of it. */
import { recordFor, type AuditRecord } from './audit-reader.js';
import type { ShimSession, WireMessage } from './session.js';

/** A listing longer than this many pages is a server that never ends its list. */
const MAX_PAGES = 1_000;

/** One page as the client received it, and the shim's record of the server's answer. */
export interface ListedPage {
  answer: WireMessage;
  server?: AuditRecord;
}

/** List every page, following cursors; stops at a page answered with an error. */
export async function listAllTools(session: ShimSession): Promise<ListedPage[]> {
  const pages: ListedPage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const exchange = await session.request('tools/list', cursor === undefined ? {} : { cursor });
    if (exchange.answer === undefined) throw new Error(`no answer to tools/list: ${exchange.failure ?? 'the session ended'}`);
    const server = await session.audit.waitFor((records) => recordFor(records, 'server', exchange.id, 'tools/list'), session.ended);
    pages.push({ answer: exchange.answer, ...(server !== undefined && { server }) });
    const next = exchange.answer.result?.nextCursor;
    if (exchange.answer.error !== undefined || typeof next !== 'string') return pages;
    cursor = next;
  }
  throw new Error(`the tool list did not end after ${MAX_PAGES} pages`);
}

/** The tool definitions on every page, as the client received them. */
export function toolsOf(pages: readonly ListedPage[]): Array<Record<string, unknown>> {
  return pages.flatMap((p) => {
    const tools = p.answer.result?.tools;
    return Array.isArray(tools) ? tools.filter((t): t is Record<string, unknown> => t !== null && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string') : [];
  });
}
