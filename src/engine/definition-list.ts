/**
 * The server's prompts and resources lists (prompts/list, resources/list,
 * resources/templates/list), scanned like tool definitions and compared with the lock file
 * like them: a poisoned entry is dropped per `metadata.poisoning`, a changed one per
 * `pinning`, and remembered, so a prompts/get or resources/read of it is answered
 * the way the official SDK answers one that does not exist.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { atLeast } from '../inspect/types.js';
import { isObject, type RequestId } from '../protocol/jsonrpc.js';
import { serializeStrict } from '../protocol/strict-json.js';
import { readListAnswer, refusedListAnswer } from './list-answer.js';
import type { SessionState } from './session.js';
import { admitKeyed, releaseKeyed } from './state-budget.js';
import type { DefinitionScan } from './tool-list.js';
import type { DefinitionKind, LockFile } from '../pinning/lock.js';
import { comparePage } from './pins.js';
import { refusedKey } from './hidden-entries.js';

/** How one list method's entries are found, refused and pinned. */
export interface DefinitionListSpec {
  field: string;
  key: string;
  refused: 'prompts' | 'resources';
  pinned?: DefinitionKind;
}

/** The list methods whose entries are scanned, with the field that holds them and each entry's key. */
export const DEFINITION_LISTS: Readonly<Record<string, DefinitionListSpec>> = {
  'prompts/list': { field: 'prompts', key: 'name', refused: 'prompts', pinned: 'prompts' },
  'resources/list': { field: 'resources', key: 'uri', refused: 'resources', pinned: 'resources' },
  // Templates are not pinned (the lock file holds tools, prompts and resources).
  'resources/templates/list': { field: 'resourceTemplates', key: 'uriTemplate', refused: 'resources' },
};

/**
 * The spec of a list method, by a method name the client chose: only DEFINITION_LISTS' own
 * entries (`toString`, `constructor` or `__proto__` would otherwise find Object's).
 */
export function definitionListFor(method: string): DefinitionListSpec | undefined {
  return Object.hasOwn(DEFINITION_LISTS, method) ? DEFINITION_LISTS[method] : undefined;
}


export interface DefinitionListDecision {
  action: { type: 'forward' } | { type: 'rewrite'; text: string };
  record: Omit<DecisionRecord, 'decisionUs'>;
}

/** Decide on the answer to one of DEFINITION_LISTS' methods. */
export function decideDefinitionList(
  method: string,
  text: string,
  id: RequestId,
  policy: CompiledPolicy,
  state: SessionState,
  scan: DefinitionScan | undefined,
  pins?: LockFile,
  firstPage = true,
): DefinitionListDecision {
  const base = { direction: 'server' as const, method, id };
  const spec = definitionListFor(method);
  const act = policy.metadata.poisoning;
  const scanning = scan !== undefined && act !== 'off';
  const comparing = spec?.pinned !== undefined && (pins !== undefined || policy.pinning.trustOnFirstUse);
  if (!spec || (!scanning && !comparing)) return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
  const answer = readListAnswer(text, spec.field);
  if (answer.kind === 'unreadable') {
    return { action: { type: 'rewrite', text: refusedListAnswer(id, answer.reason) }, record: { ...base, verdict: 'block', rules: ['protocol.strict-json'], reason: answer.reason } };
  }
  if (answer.kind === 'none') return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [] } };
  const { message, result, entries } = answer;

  const refused = state.refused[spec.refused];
  const poisoned: Array<{ entry: string; rules: string[] }> = [];
  for (const entry of scanning ? entries : []) {
    const key = isObject(entry) ? entry[spec.key] : undefined;
    if (typeof key !== 'string') continue;
    // A resource's own `file:` URI names a file, as resources do; it is no fetch of a local file.
    const fileUri = spec.refused === 'resources' && /^\s*file:/i.test(key);
    const findings = (scan as DefinitionScan)(entry).filter((f) => atLeast(f.severity, policy.metadata.minSeverity) && !(fileUri && f.category === 'ssrf' && f.path === spec.key));
    if (findings.length > 0) poisoned.push({ entry: key, rules: [...new Set(findings.map((f) => f.ruleId))] });
  }
  const hiding = act === 'hide' ? new Set(poisoned.map((p) => p.entry)) : new Set<string>();
  const lastPage = typeof result.nextCursor !== 'string';
  const pinned = spec.pinned && comparing ? comparePage(spec.pinned, entries, { firstPage, lastPage }, policy, state, pins, (key) => hiding.has(key)) : [];
  const dropped = new Set([...hiding, ...pinned.filter((p) => p.action === 'hide' && p.status !== 'removed').map((p) => p.key)]);
  // Entries hidden for their definitions are remembered, so a get or read of one is answered
  // as unknown; one that comes back clean (and as pinned) is forgotten. As for tools.
  if (policy.mode !== 'monitor') {
    for (const entry of entries) {
      const key = isObject(entry) ? entry[spec.key] : undefined;
      if (typeof key !== 'string') continue;
      // Resources by the identity of their URI, so every spelling of one is hidden with it.
      const remembered = refusedKey(spec.refused, key);
      if (!dropped.has(key)) {
        refused.delete(remembered);
        releaseKeyed(state, 'refused', remembered, spec.refused);
      } else if (admitKeyed(state, 'refused', remembered, 0, spec.refused)) refused.add(remembered);
      else {
        // An entry hidden for its definition that the session cannot remember could be read
        // as if never hidden: the list is refused whole instead.
        const reason = `the server's ${spec.field} list is larger than Vanguard can remember for this session; it was refused`;
        return { action: { type: 'rewrite', text: refusedListAnswer(id, reason) }, record: { ...base, verdict: 'block', rules: ['limits.state'], reason } };
      }
    }
  }
  if (poisoned.length === 0 && pinned.length === 0) return { action: { type: 'forward' }, record: { ...base, verdict: 'forward', rules: [], detail: { entries: entries.length } } };
  const detail = { entries: entries.length, ...(poisoned.length > 0 && { poisoned }), ...(pinned.length > 0 && { pinned }) };
  const rules = [...(poisoned.length > 0 ? ['metadata.poisoning'] : []), ...new Set(pinned.map((p) => `pin.${p.status}`))];
  const refusing = (poisoned.length > 0 && act === 'block') || pinned.some((p) => p.action === 'block');
  if (policy.mode === 'monitor' || (!refusing && dropped.size === 0)) {
    return { action: { type: 'forward' }, record: { ...base, verdict: policy.mode === 'monitor' ? 'would-block' : 'forward', rules, detail } };
  }
  if (refusing) {
    const why = [...poisoned.map((p) => `${p.entry}: ${p.rules.join(', ')}`), ...pinned.filter((p) => p.action === 'block').map((p) => `${p.key}: ${p.status} since pinned`)];
    const reason = `the server's ${spec.field} list was refused (${why.join('; ')})`;
    return { action: { type: 'rewrite', text: refusedListAnswer(id, reason) }, record: { ...base, verdict: 'block', rules, reason, detail } };
  }
  result[spec.field] = entries.filter((entry) => !(isObject(entry) && typeof entry[spec.key] === 'string' && dropped.has(entry[spec.key] as string)));
  return { action: { type: 'rewrite', text: serializeStrict(message) }, record: { ...base, verdict: 'rewrite', rules, detail } };
}
