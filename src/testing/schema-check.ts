/**
 * A test file's shape, checked with ajv against policies/test-schema.json, each error
 * pointed at the line and column to edit (as a policy's errors are).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { defaultPresetsDir } from '../config/io.js';
import { errorAt, type PolicyIssue } from '../config/issues.js';
import { fieldName, locate, type FieldPath, type ParsedFile } from '../config/parse.js';
import { didYouMean } from '../config/suggest.js';

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

/** The shipped schema's path, for messages and the README. */
export function testSchemaPath(): string {
  return join(defaultPresetsDir(), 'test-schema.json');
}

// Compiled once per process: `vanguard test` is not on any client's start path, so the
// schema is read as shipped rather than precompiled.
function validator(): ValidateFunction {
  if (compiled === undefined) {
    const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
    const schema = JSON.parse(readFileSync(testSchemaPath(), 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

// A JSON pointer to keys and indices; indices become numbers so `locate` walks sequences.
function pathOf(pointer: string, root: unknown): FieldPath {
  const out: Array<string | number> = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out.push(Array.isArray(node) ? Number(key) : key);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', array: 'a list', object: 'a mapping', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'null',
};

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function subject(path: FieldPath): string {
  return path.length === 0 ? 'the test file' : `"${fieldName(path)}"`;
}

// One ajv error as a sentence, and whether to point at the key or at the value.
function explain(e: ErrorObject, path: FieldPath): { message: string; path: FieldPath; target: 'key' | 'value' } {
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const inside = path.length === 0 ? '' : ` in "${fieldName(path)}"`;
      return { message: `unknown key ${JSON.stringify(key)}${inside}${didYouMean(key, known)}`, path: [...path, key], target: 'key' };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return { message: `${subject(path)} must be one of: ${allowed} (got ${describe(e.data)})`, path, target: 'value' };
    }
    case 'type': {
      const types = String((e.params as { type: string }).type).split(',');
      return { message: `${subject(path)} must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')} (got ${describe(e.data)})`, path, target: 'value' };
    }
    case 'minLength':
      return { message: `${subject(path)} must not be empty`, path, target: 'value' };
    case 'minItems':
      return { message: `${subject(path)} must not be an empty list`, path, target: 'value' };
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { message: `${subject(path)} is missing the key "${missing}"`, path, target: 'key' };
    }
    default:
      return { message: `${subject(path)} ${e.message ?? 'is not valid'}`, path, target: 'value' };
  }
}

/** Every way `data` departs from the test schema, as `file:line:col` issues in file order. */
export function checkTestSchema(p: ParsedFile, data: unknown): PolicyIssue[] {
  const validate = validator();
  if (validate(data)) return [];
  let errors = validate.errors ?? [];
  // A value of the wrong type makes its other complaints noise.
  const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  errors = errors.filter((e) => e.keyword === 'type' || !mistyped.has(e.instancePath));
  const issues = errors.map((e) => {
    const ex = explain(e, pathOf(e.instancePath, data));
    return errorAt(locate(p, ex.path, ex.target), ex.message);
  });
  const unique = new Map(issues.map((i) => [`${i.line}:${i.col}\0${i.message}`, i]));
  return [...unique.values()].sort((a, b) => a.line - b.line || a.col - b.col);
}
