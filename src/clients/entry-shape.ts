/**
 * What kind of server entry a config holds: a stdio server we can wrap, a remote one we
 * leave alone, one already started through Vanguard, or one we cannot read.
 */
import { member, type JsonArray, type JsonMember, type JsonNode, type JsonObject, type JsonScalar } from './json-tree.js';

export const REMOTE_TYPES = new Set(['http', 'sse', 'streamable-http', 'streamableHttp', 'ws', 'websocket']);

/**
 * How `vanguard wrap` marks an entry that had no `args` key: the `--` separator written
 * with JSON escapes. Clients and Vanguard read the same `--`; unwrap reads the raw text to
 * know it must remove `args` rather than leave `"args": []`.
 */
export const NO_ARGS_SEPARATOR = '"\\u002d\\u002d"';

/** An entry in the shape `vanguard wrap` writes, with the places unwrap needs. */
export interface WrappedShape {
  command: JsonMember & { value: JsonScalar };
  args: JsonMember & { value: JsonArray };
  /** Index of the `--` element. */
  separator: number;
}

export type EntryShape =
  | { kind: 'stdio'; entry: JsonObject; command: JsonMember & { value: JsonScalar }; args?: JsonMember & { value: JsonArray } }
  | { kind: 'wrapped'; entry: JsonObject; shape: WrappedShape }
  | { kind: 'other'; reason: string; problem: boolean };

const baseName = (file: string): string => (file.split(/[\\/]/).pop() ?? file).replace(/\.(cmd|exe|ps1)$/i, '').toLowerCase();

/** Whether a path names Vanguard's executable script (bin/vanguard.js). */
export function isVanguardScript(file: string): boolean {
  return /(^|[\\/])bin[\\/]vanguard\.js$/.test(file);
}

/** The index of the `--` that ends Vanguard's own options, if args are in the wrapped shape. */
function wrappedSeparator(values: readonly string[]): number | undefined {
  if (values.length < 4 || !isVanguardScript(values[0]!) || values[1] !== 'start') return undefined;
  for (let i = 2; i < values.length - 1; i++) {
    // A `--` that is the value of --name or --policy is not the separator.
    if (values[i] === '--' && values[i - 1] !== '--name' && values[i - 1] !== '--policy') return i;
  }
  return undefined;
}

/** Classify one entry of a server map. */
export function entryShape(node: JsonNode): EntryShape {
  if (node.kind !== 'object') return { kind: 'other', reason: 'not an object', problem: true };
  const type = member(node, 'type')?.value;
  const url = member(node, 'url') ?? member(node, 'serverUrl');
  if (url || (type?.kind === 'string' && REMOTE_TYPES.has(type.value as string))) {
    return { kind: 'other', reason: 'a remote server (url): Vanguard wraps stdio servers only', problem: false };
  }
  const command = member(node, 'command');
  if (!command) return { kind: 'other', reason: 'no "command"', problem: false };
  if (command.value.kind !== 'string') return { kind: 'other', reason: '"command" is not a string', problem: true };
  const args = member(node, 'args');
  if (args && args.value.kind !== 'array') return { kind: 'other', reason: '"args" is not an array', problem: true };
  const argsArray = args?.value as JsonArray | undefined;
  if (argsArray && argsArray.elements.some((e) => e.kind !== 'string')) {
    return { kind: 'other', reason: '"args" holds something other than strings', problem: true };
  }
  const cmd = command as JsonMember & { value: JsonScalar };
  const argMember = args as (JsonMember & { value: JsonArray }) | undefined;
  const values = (argsArray?.elements ?? []).map((e) => (e as JsonScalar).value as string);
  const separator = wrappedSeparator(values);
  if (argMember && separator !== undefined) return { kind: 'wrapped', entry: node, shape: { command: cmd, args: argMember, separator } };
  const name = baseName(cmd.value.value as string);
  if (name === 'vanguard' || (values[0] !== undefined && isVanguardScript(values[0])) || values.some((v) => /^vanguard-mcp(@|$)/.test(v))) {
    return { kind: 'other', reason: 'already starts through Vanguard, but not in the shape `vanguard wrap` writes', problem: false };
  }
  return { kind: 'stdio', entry: node, command: cmd, ...(argMember ? { args: argMember } : {}) };
}
