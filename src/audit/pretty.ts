/**
 * One audit record as a line a person reads in a terminal (`--log-format pretty`, and the
 * rows of `vanguard audit show`). The file always keeps the JSON; this is for eyes only.
 */
import { parseJson } from '../protocol/escaped-keys.js';

/** pino's level numbers by name, and back. */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** The level of a record as a word, whether written as a number (now) or a name (older files). */
export function levelName(level: unknown): string {
  if (typeof level === 'number') return LEVEL_NAMES[level] ?? String(level);
  return typeof level === 'string' ? level.toUpperCase() : '?';
}

// Control characters would let a peer's text rewrite the terminal.
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/**
 * `12:03:04.123 WARN  filesystem  blocked tools/call read_file  rules=path.outside-root  reason=…`.
 * A line that is not a JSON object is returned as it was (minus control characters).
 */
export function prettyRecord(line: string): string {
  let record: Record<string, unknown>;
  try {
    const value: unknown = parseJson(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return oneLine(line.trimEnd());
    record = value as Record<string, unknown>;
  } catch {
    return oneLine(line.trimEnd());
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const parts = [time, levelName(record.level).padEnd(5), typeof record.server === 'string' ? record.server : '', String(record.msg ?? '')];
  if (Array.isArray(record.rules) && record.rules.length > 0) parts.push(`rules=${record.rules.join(',')}`);
  if (typeof record.reason === 'string') parts.push(`reason=${record.reason}`);
  return oneLine(parts.filter((p) => p !== '').join('  '));
}
