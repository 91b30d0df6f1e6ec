/**
 * The prose of a tool definition that a model reads as guidance: the tool's title and
 * description, and every title and description inside its input and output schemas
 * (parameter descriptions steer as well as the tool's own). Bounded in strings and characters:
 * what is past the bounds is not read here (the general scan still reads every string).
 */
import { isObject } from '../../protocol/jsonrpc.js';

export interface DefinitionText {
  /** Where the string is, as a JSON path (`description`, `inputSchema.properties.to.description`). */
  path: string;
  text: string;
}

/** Bounds on the prose read from one definition. */
export const PROSE_LIMITS = { strings: 512, chars: 256 * 1024, depth: 16 };

const PROSE_KEYS = new Set(['description', 'title']);

/** The prose strings of a definition, in document order. */
export function definitionProse(definition: unknown): DefinitionText[] {
  const out: DefinitionText[] = [];
  let chars = 0;
  const take = (path: string, value: unknown): void => {
    if (typeof value !== 'string' || out.length >= PROSE_LIMITS.strings || chars >= PROSE_LIMITS.chars) return;
    const text = value.slice(0, PROSE_LIMITS.chars - chars);
    chars += text.length;
    out.push({ path, text });
  };
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > PROSE_LIMITS.depth || out.length >= PROSE_LIMITS.strings) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (PROSE_KEYS.has(key) && typeof value === 'string') take(at, value);
      else walk(value, at, depth + 1);
    }
  };
  if (!isObject(definition)) return out;
  take('title', definition.title);
  take('description', definition.description);
  if (isObject(definition.annotations)) take('annotations.title', definition.annotations.title);
  walk(definition.inputSchema, 'inputSchema', 0);
  walk(definition.outputSchema, 'outputSchema', 0);
  return out;
}

/** The names of a definition's input parameters (a redirect to one of them is not to another tool). */
export function parameterNames(definition: unknown): string[] {
  if (!isObject(definition) || !isObject(definition.inputSchema) || !isObject(definition.inputSchema.properties)) return [];
  return Object.keys(definition.inputSchema.properties);
}
