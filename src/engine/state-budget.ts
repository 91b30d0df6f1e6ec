/**
 * Byte and entry bounds on what a session remembers about the server's lists, kept beside
 * the session state (in a WeakMap, so SessionState itself stays as it is). Each table has a
 * meter; a table that cannot take an entry says so, and the caller fails closed: a listing
 * the shim could not remember in full is refused, and a definition it can no longer compare
 * counts as changed, never as unchanged.
 */
import type { SessionState } from './session.js';

/** The remembered tables, each with its bounds. */
export const STATE_LIMITS = {
  /** Tool schemas (kinds and input schemas), by tool. */
  schemas: { entries: 50_000, bytes: 32 * 1024 * 1024 },
  /** Trust on first use: definitions first seen in this session. */
  firstSeen: { entries: 50_000, bytes: 8 * 1024 * 1024 },
  /** Tools, prompts and resources hidden for their definitions. */
  refused: { entries: 50_000, bytes: 4 * 1024 * 1024 },
  /** The keys of the listing under way, per kind. */
  listing: { entries: 50_000, bytes: 8 * 1024 * 1024 },
} as const;

export type StateTable = keyof typeof STATE_LIMITS;

/** Rename probes (fingerprints of a new definition under a pinned name) one page may make. */
export const MAX_RENAME_PROBES_PER_PAGE = 200_000;

interface Meter {
  entries: number;
  bytes: number;
}

const meters = new WeakMap<SessionState, Map<string, Meter>>();

function meterOf(state: SessionState, table: string): Meter {
  let byTable = meters.get(state);
  if (!byTable) meters.set(state, (byTable = new Map()));
  let meter = byTable.get(table);
  if (!meter) byTable.set(table, (meter = { entries: 0, bytes: 0 }));
  return meter;
}

/**
 * Count one entry of `bytes` into `table` (`part` names a sub-table: a kind); false, and
 * nothing counted, when it does not fit.
 */
export function admit(state: SessionState, table: StateTable, bytes: number, part = ''): boolean {
  const meter = meterOf(state, `${table}:${part}`);
  const limit = STATE_LIMITS[table];
  if (meter.entries + 1 > limit.entries || meter.bytes + bytes > limit.bytes) return false;
  meter.entries += 1;
  meter.bytes += bytes;
  return true;
}

/** Take one entry of `bytes` out of `table`. */
export function release(state: SessionState, table: StateTable, bytes: number, part = ''): void {
  const meter = meterOf(state, `${table}:${part}`);
  meter.entries = Math.max(0, meter.entries - 1);
  meter.bytes = Math.max(0, meter.bytes - bytes);
}

/** Empty `table` (a listing starting again from its first page). */
export function resetTable(state: SessionState, table: StateTable, part = ''): void {
  const meter = meterOf(state, `${table}:${part}`);
  meter.entries = 0;
  meter.bytes = 0;
}

/** Entries counted in `table`. */
export function entriesIn(state: SessionState, table: StateTable, part = ''): number {
  return meterOf(state, `${table}:${part}`).entries;
}

const sizes = new WeakMap<SessionState, Map<string, Map<string, number>>>();

function sizesOf(state: SessionState, table: string): Map<string, number> {
  let byTable = sizes.get(state);
  if (!byTable) sizes.set(state, (byTable = new Map()));
  let map = byTable.get(table);
  if (!map) byTable.set(table, (map = new Map()));
  return map;
}

/**
 * Count `key` into `table` at `bytes` (its key included), replacing what it counted before;
 * false, and the old count kept, when the new size does not fit.
 */
export function admitKeyed(state: SessionState, table: StateTable, key: string, bytes: number, part = ''): boolean {
  const known = sizesOf(state, `${table}:${part}`);
  const before = known.get(key);
  const meter = meterOf(state, `${table}:${part}`);
  const limit = STATE_LIMITS[table];
  const entries = meter.entries + (before === undefined ? 1 : 0);
  const total = meter.bytes - (before ?? 0) + bytes + key.length;
  if (entries > limit.entries || total > limit.bytes) return false;
  meter.entries = entries;
  meter.bytes = total;
  known.set(key, bytes + key.length);
  return true;
}

/** Take `key` out of `table`, if it was counted. */
export function releaseKeyed(state: SessionState, table: StateTable, key: string, part = ''): void {
  const known = sizesOf(state, `${table}:${part}`);
  const before = known.get(key);
  if (before === undefined) return;
  known.delete(key);
  const meter = meterOf(state, `${table}:${part}`);
  meter.entries = Math.max(0, meter.entries - 1);
  meter.bytes = Math.max(0, meter.bytes - before);
}
