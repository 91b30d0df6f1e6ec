/**
 * What the policy would do with a server's listing, decided by the engine itself: each page
 * is replayed, as `start` would receive it, through decideToolList / decideDefinitionList /
 * decideInstructions with a fresh session, so what the report says a client would see is
 * what the shim would let it see. The findings behind it come from the same definition
 * scan, reported with their rule, severity and the field they sit in. Pure: no I/O.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { decideDefinitionList } from '../engine/definition-list.js';
import { decideInstructions } from '../engine/instructions.js';
import { SessionState } from '../engine/session.js';
import { decideToolList, type DefinitionScan } from '../engine/tool-list.js';
import { atLeast, type Category, type Severity } from '../inspect/types.js';
import type { LockFile } from '../pinning/lock.js';
import { serializeStrict } from '../protocol/strict-json.js';
import { entriesOf, LIST_KINDS, LIST_METHODS, type ListKind, type ServerListing } from './list-server.js';
import { diffLock, type LockDifference } from './lock-diff.js';
import { parseJson } from '../protocol/escaped-keys.js';

/** One thing found in one definition. */
export interface ScanFinding {
  ruleId: string;
  category: Category | 'pinning';
  severity: Severity;
  /** The definition and field, e.g. `tools[read_file].inputSchema.properties.path.description`. */
  location: string;
  evidence: string;
  message: string;
  /** True when the policy acts on it (at or above metadata.minSeverity, poisoning not off; any pin action but off). */
  acted: boolean;
}

/** What a client behind the shim would get of one definition. */
export type Outcome =
  | 'shown'
  /** Listed, but every call is refused (tools.actions). */
  | 'calls-blocked'
  /** Left out of the list (and answered as unknown). */
  | 'hidden'
  /** The whole list (or, for instructions, the session) is refused because of it or another entry. */
  | 'list-refused'
  /** Instructions removed from the initialize answer. */
  | 'removed';

export interface DefinitionReport {
  kind: ListKind | 'instructions';
  /** Name, URI or URI template; `instructions` for the server's instructions. */
  key: string;
  outcome: Outcome;
  /** Rule ids of why it is not simply shown (tools.deny, metadata.poisoning, pin.changed…). */
  because: string[];
  findings: ScanFinding[];
}

export interface ScanReport {
  server: { name?: string; version?: string };
  counts: Record<ListKind, number>;
  definitions: DefinitionReport[];
  /** Lists the shim would refuse whole, with the engine's reason. */
  refusedLists: Array<{ kind: ListKind | 'instructions'; reason: string }>;
  /** Differences from the lock, when there was one. */
  lockDifferences?: LockDifference[];
}

/** The severity a pin difference is reported with: a rug pull weighs more than an addition. */
export const PIN_SEVERITY: Record<LockDifference['status'], Severity> = { changed: 'high', renamed: 'high', new: 'medium', removed: 'low' };

const KEY_FIELD: Record<ListKind, string> = { tools: 'name', prompts: 'name', resources: 'uri', resourceTemplates: 'uriTemplate' };

/** Where a field of a definition is: `tools[add].description`. */
export function locationOf(kind: ListKind | 'instructions', key: string, field: string): string {
  if (kind === 'instructions') return field === '' ? 'instructions' : field;
  const base = `${kind}[${key}]`;
  return field === '' ? base : field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

// The engine reads answers as they come off the wire: each page becomes one.
function answerText(id: number, field: string, page: { entries: unknown[]; nextCursor?: string }): string {
  return serializeStrict({ jsonrpc: '2.0', id, result: { [field]: page.entries, ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }) } });
}

// Keys that survive a rewritten list answer.
function survivors(text: string, field: string, keyField: string): Set<string> {
  const message = parseJson(text) as { result?: Record<string, unknown> };
  const list = message.result?.[field];
  return new Set((Array.isArray(list) ? list : []).map((e) => (e as Record<string, unknown>)?.[keyField]).filter((k): k is string => typeof k === 'string'));
}

// The names of every tool of the listing (the session's tools, as decideToolList sees them).
function toolNamesOf(listing: ServerListing): string[] {
  return entriesOf(listing, 'tools').flatMap((e) => (typeof e.name === 'string' ? [e.name] : []));
}

/** Evaluate a listing under a policy; `lock` is the lock file to compare with, if any. */
export function evaluateListing(listing: ServerListing, policy: CompiledPolicy, scan: DefinitionScan, lock?: LockFile): ScanReport {
  const state = new SessionState();
  const definitions: DefinitionReport[] = [];
  const refusedLists: ScanReport['refusedLists'] = [];
  const floor = policy.metadata.minSeverity;
  const poisoningActs = policy.metadata.poisoning !== 'off';
  const differences = lock ? diffLock({ tools: entriesOf(listing, 'tools'), prompts: entriesOf(listing, 'prompts'), resources: entriesOf(listing, 'resources') }, lock) : undefined;
  let id = 0;
  const toolNames = toolNamesOf(listing);

  if (listing.instructions !== undefined) {
    const findings = scan({ instructions: listing.instructions }).map((f) => ({
      ruleId: f.ruleId, category: f.category, severity: f.severity, location: locationOf('instructions', '', f.path), evidence: f.evidence, message: f.message,
      acted: poisoningActs && atLeast(f.severity, floor),
    }));
    const text = serializeStrict({ jsonrpc: '2.0', id: ++id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: listing.serverInfo ?? {}, instructions: listing.instructions } });
    const decision = decideInstructions(text, id, 'initialize', policy, scan);
    const outcome: Outcome = decision.record.verdict === 'block' ? 'list-refused' : decision.record.verdict === 'rewrite' ? 'removed' : 'shown';
    if (outcome === 'list-refused') refusedLists.push({ kind: 'instructions', reason: decision.record.reason ?? 'refused' });
    definitions.push({ kind: 'instructions', key: 'instructions', outcome, because: outcome === 'shown' ? [] : decision.record.rules, findings });
  }

  for (const kind of LIST_KINDS) {
    const { method, field } = LIST_METHODS[kind];
    const keyField = KEY_FIELD[kind];
    listing.pages[kind].forEach((page, index) => {
      const text = answerText(++id, field, page);
      const decision =
        kind === 'tools' ? decideToolList(text, id, policy, state, scan, lock, index === 0) : decideDefinitionList(method, text, id, policy, state, scan, lock, index === 0);
      const { action, record } = decision;
      const refused = record.verdict === 'block';
      if (refused) refusedLists.push({ kind, reason: record.reason ?? 'refused' });
      const kept = action.type === 'rewrite' && !refused ? survivors(action.text, field, keyField) : undefined;
      for (const entry of page.entries) {
        const key = typeof entry[keyField] === 'string' ? (entry[keyField] as string) : '(unnamed)';
        const findings: ScanFinding[] = scan(entry, kind === 'tools' ? { toolNames } : undefined).map((f) => ({
          ruleId: f.ruleId, category: f.category, severity: f.severity, location: locationOf(kind, key, f.path), evidence: f.evidence, message: f.message,
          acted: poisoningActs && atLeast(f.severity, floor) && (kind !== 'tools' || policy.toolVerdict(key).visible),
        }));
        const because: string[] = [];
        const verdict = kind === 'tools' ? policy.toolVerdict(key) : undefined;
        if (verdict && !verdict.visible) because.push(verdict.ruleId);
        if (findings.some((f) => f.acted)) because.push('metadata.poisoning');
        const pinKind = kind === 'resourceTemplates' ? undefined : kind;
        for (const d of differences ?? []) {
          if (d.kind !== pinKind || d.key !== key) continue;
          findings.push(pinFinding(d, policy));
          because.push(`pin.${d.status}`);
        }
        let outcome: Outcome = refused ? 'list-refused' : kept && !kept.has(key) ? 'hidden' : 'shown';
        if (outcome === 'shown' && verdict?.visible && verdict.action === 'block') {
          outcome = 'calls-blocked';
          because.push(verdict.ruleId);
        }
        definitions.push({ kind, key, outcome, because: outcome === 'shown' ? [] : because, findings });
      }
    });
  }
  // Pinned definitions that are gone have no entry of their own in the listing.
  for (const d of differences ?? []) {
    if (d.status === 'removed') definitions.push({ kind: d.kind, key: d.key, outcome: 'hidden', because: [`pin.removed`], findings: [pinFinding(d, policy)] });
  }
  const counts = Object.fromEntries(LIST_KINDS.map((k) => [k, entriesOf(listing, k).length])) as Record<ListKind, number>;
  return { server: listing.serverInfo ?? {}, counts, definitions, refusedLists, ...(differences && { lockDifferences: differences }) };
}

function pinFinding(d: LockDifference, policy: CompiledPolicy): ScanFinding {
  const p = policy.pinning;
  const action = d.status === 'changed' ? p.onChanged : d.status === 'new' ? p.onNew : d.status === 'renamed' ? p.onRenamed : p.onRemoved;
  const what = d.status === 'renamed' ? `renamed from "${d.from}" since pinned` : d.status === 'removed' ? 'pinned, but no longer listed' : d.status === 'new' ? 'not in the lock file' : 'changed since it was pinned';
  return {
    ruleId: `pin.${d.status}`,
    category: 'pinning',
    severity: PIN_SEVERITY[d.status],
    location: locationOf(d.kind, d.key, ''),
    evidence: '',
    message: `${d.kind === 'tools' ? 'Tool' : d.kind === 'prompts' ? 'Prompt' : 'Resource'} "${d.key}" is ${what}; the policy's action: ${action}.`,
    acted: action !== 'off',
  };
}

/** Every finding of a report, in report order. */
export function allFindings(report: ScanReport): ScanFinding[] {
  return report.definitions.flatMap((d) => d.findings);
}
