/** Shared by the src/clients unit tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonTree, type JsonNode } from '../../src/clients/json-tree.js';
import type { WrapTarget } from '../../src/clients/wrap-entry.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'clients');

/** A fixture's exact text (CRLF and all). */
export const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Fixed paths, so expected texts can be written out in full. */
export const TARGET: WrapTarget = { node: '/opt/node/bin/node', script: '/opt/vanguard/bin/vanguard.js' };

/** The plain value a tree stands for, to compare with JSON.parse. */
export function toValue(node: JsonNode): unknown {
  if (node.kind === 'object') return Object.fromEntries(node.members.map((m) => [m.key, toValue(m.value)]));
  if (node.kind === 'array') return node.elements.map(toValue);
  return node.value;
}

/** Parse JSONC text to a plain value (JSON.parse cannot read comments). */
export const parseJsonc = (text: string): any => toValue(parseJsonTree(text, { jsonc: true }));

/** The args a wrapped entry must have. */
export function wrappedArgs(name: string, command: string, args: string[], target: WrapTarget = TARGET): string[] {
  return [target.script, 'start', ...(target.policy ? ['--policy', target.policy] : []), '--name', name, '--', command, ...args];
}
