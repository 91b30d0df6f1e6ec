/**
 * The corpora's tool calls and their strings, for the equivalence tests that hold a shortcut
 * to the reading it stands for. Empty where the corpora are not checked out (../shared/corpora,
 * or VANGUARD_CORPORA): those tests then run on rule examples and generated text alone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The corpora's folder, if there is one here. */
export const CORPORA_DIR = [process.env.VANGUARD_CORPORA, '/work/shared/corpora', path.resolve('../shared/corpora')].find((d) => d !== undefined && existsSync(d));

/** Every string in a value, object keys included. */
export const stringsIn = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(stringsIn) : typeof v === 'object' && v !== null ? Object.entries(v).flatMap(([k, x]) => [k, ...stringsIn(x)]) : [];

/** A corpus item that is a tool call, as the eval sends it. */
export interface CorpusCall {
  tool: string;
  args: unknown;
}

// Every item of every corpus file, parsed.
function corpusItems(): Array<Record<string, unknown>> {
  if (CORPORA_DIR === undefined) return [];
  return readdirSync(CORPORA_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(CORPORA_DIR, f), 'utf8').split('\n'))
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The corpora's calls whose arguments serialise to at most `maxArgsChars` characters. */
export function corpusCalls(maxArgsChars = Infinity): CorpusCall[] {
  return corpusItems().flatMap((item) => (typeof item.tool === 'string' && item.args !== undefined && JSON.stringify(item.args).length <= maxArgsChars ? [{ tool: item.tool, args: item.args }] : []));
}

/** Every string of the corpora's arguments (of items with arguments of at most `maxArgsChars`). */
export function corpusStrings(maxArgsChars = Infinity): string[] {
  return corpusItems().flatMap((item) => (item.args !== undefined && JSON.stringify(item.args).length <= maxArgsChars ? stringsIn(item.args) : []));
}

/**
 * Every string of every corpus item, keys included, or only of the named fields (arguments,
 * text, result) when `fields` is given; strings longer than `maxChars` are left out.
 */
export function corpusItemStrings(fields?: readonly string[], maxChars = Infinity): string[] {
  return corpusItems()
    .flatMap((item) => stringsIn(fields === undefined ? item : fields.map((f) => item[f])))
    .filter((s) => s.length <= maxChars);
}
