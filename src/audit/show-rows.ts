/**
 * `vanguard audit show`, the pure part: audit records to rows a person reads, the filters,
 * and the table. A list decision that hid definitions for their poisoning or a pin
 * difference gets a row of its own per definition, so those are not buried in a `rewrite`.
 */
import micromatch from 'micromatch';
import { TOOL_GLOB_OPTIONS } from '../config/globs.js';
import { levelName } from './pretty.js';

/** One row of the table (and one object of `--json`). */
export interface ShowRow {
  time: string;
  level: string;
  server: string;
  session: string;
  method: string;
  tool: string;
  verdict: string;
  rules: string[];
  reason: string;
}

/** What to keep: every field optional. */
export interface ShowFilter {
  /** Keep rows at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Keep rows whose verdict is one of these. */
  verdicts?: string[];
  /** Keep rows whose tool matches this glob (the policy's tool-glob rules). */
  tool?: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The rows of one record: none for a line that is neither a decision nor a warning. */
export function rowsOf(record: Record<string, unknown>): ShowRow[] {
  const base = { time: text(record.time), level: levelName(record.level), server: text(record.server), session: text(record.session) };
  if (typeof record.verdict !== 'string') {
    // Operational lines matter when something went wrong: shown at warn and above.
    const level = typeof record.level === 'number' ? record.level : { warn: 40, error: 50, fatal: 60 }[text(record.level)] ?? 0;
    if (level < 40) return [];
    return [{ ...base, method: '', tool: text(record.tool), verdict: 'log', rules: list(record.rules).map(text), reason: text(record.msg) }];
  }
  // A call held for the shim's own listing is decided by a later record: one row, not two.
  if (list(record.rules).includes('tools.held-for-list')) return [];
  const rows: ShowRow[] = [{ ...base, method: text(record.method), tool: text(record.tool), verdict: record.verdict, rules: list(record.rules).map(text), reason: text(record.reason) }];
  const detail = (record.detail ?? {}) as Record<string, unknown>;
  for (const item of list(detail.poisoned)) {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = text(entry.tool ?? entry.entry);
    rows.push({ ...base, method: text(record.method), tool: name, verdict: definitionVerdict(record.verdict, 'hide'), rules: list(entry.rules).map(text), reason: 'poisoned definition' });
  }
  for (const item of list(detail.pinned)) {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = text(entry.tool ?? entry.key);
    const status = text(entry.status);
    const from = typeof entry.from === 'string' ? ` (was ${entry.from})` : '';
    rows.push({ ...base, method: text(record.method), tool: name, verdict: definitionVerdict(record.verdict, text(entry.action)), rules: [`pin.${status}`], reason: `${status} since pinned${from}` });
  }
  for (const item of list(detail.matchedNoTool)) {
    const entry = (item ?? {}) as Record<string, unknown>;
    rows.push({ ...base, method: text(record.method), tool: text(entry.glob), verdict: 'warn', rules: ['policy.unmatched-name'], reason: `${text(entry.where)} names no tool the server lists` });
  }
  return rows;
}

// What happened to one definition: the list's fate when it was refused or only watched.
function definitionVerdict(listVerdict: string, action: string): string {
  if (listVerdict === 'block' || listVerdict === 'would-block') return listVerdict;
  if (listVerdict === 'forward') return 'warn';
  return action === '' ? 'hide' : action;
}

/** Parse `--since`: `90s`, `15m`, `1h`, `2d`, or an ISO date; ms since the epoch, or an error. */
export function parseSince(value: string, nowMs: number): number | { error: string } {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(value.trim());
  if (m) return nowMs - Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const at = Date.parse(value);
  if (!Number.isNaN(at) && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) return at;
  return { error: `--since takes a duration (90s, 15m, 1h, 2d) or a date (2026-01-31, 2026-01-31T12:00:00Z), not "${value}"` };
}

/** A predicate for rows; throws a plain Error for an invalid `tool` glob. */
export function rowFilter(filter: ShowFilter): (row: ShowRow) => boolean {
  const tool = filter.tool === undefined ? undefined : micromatch.matcher(filter.tool, { ...TOOL_GLOB_OPTIONS });
  const verdicts = filter.verdicts === undefined ? undefined : new Set(filter.verdicts);
  return (row) => {
    if (filter.sinceMs !== undefined && !(Date.parse(row.time) >= filter.sinceMs)) return false;
    if (verdicts !== undefined && !verdicts.has(row.verdict)) return false;
    if (tool !== undefined && (row.tool === '' || !tool(row.tool))) return false;
    return true;
  };
}

const COLUMNS = ['time', 'server', 'method', 'tool', 'verdict', 'rules', 'reason'] as const;
// The free-text columns are cut, so a row stays on one line of a wide terminal.
const WIDEST: Record<(typeof COLUMNS)[number], number> = { time: 24, server: 24, method: 28, tool: 32, verdict: 11, rules: 40, reason: 120 };
const oneLine = (value: string): string => value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/** The cells of a row, as printed. */
function cells(row: ShowRow): Record<(typeof COLUMNS)[number], string> {
  const raw = { time: row.time, server: row.server, method: row.method, tool: row.tool, verdict: row.verdict, rules: row.rules.join(','), reason: row.reason };
  const out = {} as Record<(typeof COLUMNS)[number], string>;
  for (const c of COLUMNS) {
    const v = oneLine(raw[c]);
    out[c] = v.length > WIDEST[c] ? `${v.slice(0, WIDEST[c] - 1)}…` : v;
  }
  return out;
}

/** The table: a header and one line per row, columns padded to the widest cell. */
export function renderTable(rows: readonly ShowRow[]): string[] {
  const all = rows.map(cells);
  const width = Object.fromEntries(COLUMNS.map((c) => [c, Math.max(c.length, ...all.map((r) => r[c].length))])) as Record<(typeof COLUMNS)[number], number>;
  const line = (r: Record<(typeof COLUMNS)[number], string>): string => COLUMNS.map((c, i) => (i === COLUMNS.length - 1 ? r[c] : r[c].padEnd(width[c]))).join('  ').trimEnd();
  return [line(Object.fromEntries(COLUMNS.map((c) => [c, c.toUpperCase()])) as Record<(typeof COLUMNS)[number], string>), ...all.map(line)];
}

/** One row as a line with no header, for `--follow` (widths cannot be known ahead). */
export function renderFollowLine(row: ShowRow): string {
  const c = cells(row);
  return COLUMNS.map((k) => c[k] || '-').join('  ');
}
