/**
 * What a request's answer was, decided from the shim's audit records for that request and
 * the answer's JSON-RPC shape. Text in the answer is never read to decide: a server can
 * write "Blocked by Vanguard policy" as easily as the shim can.
 */
import type { AuditRecord } from './audit-reader.js';
import type { WireMessage } from './session.js';
import type { ListObservation, Observation } from './types.js';

/** Bounds the text gathered from one answer (strings beyond are not searched). */
const MAX_TEXT = 4 << 20;

// Strings that label content rather than carry it: "text" in `type: text` is not text the client was sent.
const LABELS = new Set(['type', 'mimeType', '_meta']);

/** Every string value in `value`, depth first, joined by newlines; keys and labels are left out. */
export function textOf(value: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size < MAX_TEXT) {
    const v = stack.pop();
    if (typeof v === 'string') {
      parts.push(v);
      size += v.length + 1;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const values = Object.entries(v as Record<string, unknown>).filter(([key]) => !LABELS.has(key)).map(([, item]) => item);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
  return parts.join('\n');
}

/** The first line of a text, cut to a length a report line can hold. */
export function excerpt(text: string, max = 120): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 3)}...` : line);
}

const rulesOf = (r: AuditRecord | undefined): string[] => (Array.isArray(r?.rules) ? r.rules.map(String) : []);
const withRules = (rules: string[]) => (rules.length > 0 ? ` [${rules.join(', ')}]` : '');

/**
 * Classify one answer. `client` is the shim's record of the request, `server` its record of
 * the server's answer (absent when the shim answered itself or the server never answered).
 */
export function observeAnswer(method: string, answer: WireMessage | undefined, client: AuditRecord | undefined, server: AuditRecord | undefined): Observation {
  const payload = answer?.error ?? answer?.result;
  const text = textOf(payload);
  if (client?.verdict === 'block') {
    return { verdict: 'blocked', rules: rulesOf(client), text, summary: `blocked${withRules(rulesOf(client))}` };
  }
  if (client?.verdict === 'hide') {
    return { verdict: 'unknown', rules: rulesOf(client), text, summary: `unknown${withRules(rulesOf(client))}` };
  }
  // The shim answers for a server that exited mid-request; that is the server failing, not a refusal.
  const gone = rulesOf(server).includes('server.gone');
  // A drop is the one record the shim writes for an answer too large to pass (limits.frame).
  if ((server?.verdict === 'block' && !gone) || server?.verdict === 'drop') {
    return { verdict: 'blocked', rules: rulesOf(server), text, summary: `blocked${withRules(rulesOf(server))} (the server's answer was withheld)` };
  }
  // The server answered (or the shim answered for a server that is gone): its rules are
  // what touched the answer (redactions, warnings), not refusals.
  const rules = [...new Set([...rulesOf(client), ...rulesOf(server)])];
  if (answer === undefined) return { verdict: 'error', rules, text: '', summary: 'error: no answer' };
  if (answer.error !== undefined) {
    const by = gone ? ' (the server is gone)' : '';
    return { verdict: 'error', rules, text, summary: `error ${answer.error.code}${by}: ${excerpt(answer.error.message ?? '')}` };
  }
  if (method === 'tools/call' && answer.result?.isError === true) {
    return { verdict: 'error', rules, text, summary: `error (isError): ${excerpt(text)}` };
  }
  return { verdict: 'allowed', rules, text, summary: `allowed${withRules(rules)}` };
}

/** A names list from a tools/list page's audit detail (`hidden`, or entries with a `tool`). */
function namesIn(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => (typeof v === 'string' ? [v] : v !== null && typeof v === 'object' && typeof (v as { tool?: unknown }).tool === 'string' ? [(v as { tool: string }).tool] : []));
}

/** What a listing showed: the tools on every page, and what the shim's records say it left out. */
export function observeList(pages: Array<{ answer?: WireMessage; server?: AuditRecord }>): ListObservation & { refused?: string } {
  const visible: string[] = [];
  const hiddenByShim = new Set<string>();
  for (const page of pages) {
    if (page.answer?.error !== undefined) return { visible, hiddenByShim: [...hiddenByShim], refused: `the tool list was answered with error ${page.answer.error.code}: ${excerpt(page.answer.error.message ?? '')}` };
    const tools = page.answer?.result?.tools;
    if (Array.isArray(tools)) for (const t of tools) if (t !== null && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string') visible.push((t as { name: string }).name);
    const detail = page.server?.detail ?? {};
    for (const name of [...namesIn(detail.hidden), ...namesIn(detail.poisoned), ...namesIn(detail.pinned)]) hiddenByShim.add(name);
  }
  return { visible, hiddenByShim: [...hiddenByShim] };
}
