/**
 * The lock file: per definition (tools, prompts, resources) its name, a fingerprint of the
 * whole canonical definition, and a short readable summary, so a review of the diff shows
 * what changed. Comparing a live list with it finds changed, new, renamed and removed ones.
 */
import { fingerprint } from './canonical.js';
import { parseJson } from '../protocol/escaped-keys.js';

export type DefinitionKind = 'tools' | 'prompts' | 'resources';
export const DEFINITION_KINDS: readonly DefinitionKind[] = ['tools', 'prompts', 'resources'];

export interface LockEntry {
  sha256: string;
  summary: string;
}

export interface LockFile {
  vanguardLock: 1;
  server: string;
  pinnedAt: string;
  tools: Record<string, LockEntry>;
  prompts: Record<string, LockEntry>;
  resources: Record<string, LockEntry>;
}

// The key a definition is pinned under: a tool's or prompt's name, a resource's URI.
export function definitionKey(kind: DefinitionKind, definition: Record<string, unknown>): string | undefined {
  const key = kind === 'resources' ? definition.uri : definition.name;
  return typeof key === 'string' ? key : undefined;
}

function summaryOf(definition: Record<string, unknown>): string {
  const text = [definition.title, definition.description].find((v) => typeof v === 'string') as string | undefined;
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/** The lock entries of one kind, keys sorted. */
export function pinDefinitions(kind: DefinitionKind, definitions: Array<Record<string, unknown>>): Record<string, LockEntry> {
  const entries: Array<[string, LockEntry]> = [];
  for (const definition of definitions) {
    const key = definitionKey(kind, definition);
    if (key !== undefined) entries.push([key, { sha256: fingerprint(definition), summary: summaryOf(definition) }]);
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The lock file as written: stable order, one entry per line pair, for reviewable diffs. */
export function renderLock(lock: LockFile): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** Read a lock file's text; a problem is returned as a message. */
export function parseLock(text: string): { ok: true; lock: LockFile } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    return { ok: false, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const lock = value as Partial<LockFile>;
  if (typeof lock !== 'object' || lock === null || lock.vanguardLock !== 1) return { ok: false, message: 'not a Vanguard lock file (no "vanguardLock": 1)' };
  for (const kind of DEFINITION_KINDS) {
    const entries = lock[kind];
    if (typeof entries !== 'object' || entries === null) return { ok: false, message: `"${kind}" must be an object` };
    for (const [name, entry] of Object.entries(entries)) {
      if (typeof entry?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) return { ok: false, message: `${kind} "${name}": sha256 must be 64 hex digits` };
    }
  }
  return { ok: true, lock: lock as LockFile };
}

/** How one live definition compares with the lock. */
export type PinStatus = { kind: 'same' } | { kind: 'changed' } | { kind: 'new' } | { kind: 'renamed'; from: string };

/** Compare one live definition with the pinned ones of its kind. */
export function comparePin(kind: DefinitionKind, entries: Record<string, LockEntry>, key: string, definition: Record<string, unknown>): PinStatus {
  const keyField = kind === 'resources' ? 'uri' : 'name';
  const pinned = entries[key];
  const hash = fingerprint(definition);
  if (pinned) return pinned.sha256 === hash ? { kind: 'same' } : { kind: 'changed' };
  // Same body under another name: a rename. The name is part of the definition, so compare
  // with the name put back.
  for (const [name, entry] of Object.entries(entries)) {
    if (name !== key && entry.sha256 === fingerprint({ ...definition, [keyField]: name })) return { kind: 'renamed', from: name };
  }
  return { kind: 'new' };
}
