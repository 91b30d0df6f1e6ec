/**
 * Phase 2: JSON Schema validation (policies/schema.json, draft-07) with ajv,
 * and the translation of ajv's errors into messages a policy author can act on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { AJV_OPTIONS } from './ajv-options.js';
import { defaultPresetsDir } from './io.js';
import { errorAt, type PolicyIssue } from './issues.js';
import { fieldName, locate, type FieldPath, type ParsedFile } from './parse.js';
import { didYouMean } from './suggest.js';

let compiled: ValidateFunction | undefined;
const require = createRequire(import.meta.url);

// Once per process. The build precompiles the schema (dist/config/schema-validator.cjs,
// see scripts/schema-validator.mjs); from the sources, as under vitest, it is compiled here
// with the same options.
function validator(): ValidateFunction {
  if (compiled === undefined) {
    try {
      compiled = require('./schema-validator.cjs') as ValidateFunction;
    } catch {
      const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
      const schema = JSON.parse(readFileSync(join(defaultPresetsDir(), 'schema.json'), 'utf8')) as object;
      compiled = new Ajv(AJV_OPTIONS).compile(schema);
    }
  }
  return compiled;
}

/** Split an ajv instancePath (a JSON pointer) into keys; sequence indices become numbers. */
function pathOf(pointer: string, root: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg = Array.isArray(node) ? Number(key) : key;
    out.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false',
  array: 'a list', object: 'a mapping', null: 'null',
};

/** A value as shown after "got". */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (ArrayBuffer.isView(value)) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  return `${typeof value} ${String(value)}`;
}

function typeWords(types: string[]): string {
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

// The subject of a sentence about a path; the root is "the policy".
function subject(path: FieldPath): string {
  return path.length === 0 ? 'the policy' : `"${fieldName(path)}"`;
}

/** One ajv error as a sentence, and the key (not the value) to point at when it is about a key. */
function explain(e: ErrorObject, path: FieldPath): { message: string; path: FieldPath; target: 'key' | 'value' } {
  const got = describe(e.data);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const where = path.length === 0 ? 'unknown top-level key' : 'unknown key';
      const inside = path.length === 0 ? '' : ` in "${fieldName(path)}"`;
      // JSON quoting: a key with control characters must not reach a terminal raw.
      return { message: `${where} ${JSON.stringify(key)}${inside}${didYouMean(key, known)}`, path: [...path, key], target: 'key' };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return { message: `${subject(path)} must be one of: ${allowed} (got ${got})`, path, target: 'value' };
    }
    case 'type': {
      const types = String((e.params as { type: string }).type).split(',');
      return { message: `${subject(path)} must be ${typeWords(types)} (got ${got})`, path, target: 'value' };
    }
    case 'minimum':
    case 'maximum': {
      const limit = (e.params as { limit: number }).limit;
      const bound = e.keyword === 'minimum' ? 'at least' : 'at most';
      return { message: `${subject(path)} must be ${bound} ${limit} (got ${String(e.data)})`, path, target: 'value' };
    }
    case 'minLength':
      return { message: `${subject(path)} must not be empty`, path, target: 'value' };
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { message: `${subject(path)} is missing the key "${missing}"`, path, target: 'key' };
    }
    default:
      return { message: `${subject(path)} ${e.message ?? 'is not valid'}`, path, target: 'value' };
  }
}

/**
 * ajv reports every failed branch of a oneOf. Keep only the branch that fits
 * the value's type; when none does, say which types were expected.
 */
function resolveOneOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const one of errors.filter((e) => e.keyword === 'oneOf')) {
    const prefix = one.schemaPath + '/';
    // The same oneOf applies to every entry of a map; keep to this entry's errors.
    const within = (e: ErrorObject) => e.instancePath === one.instancePath || e.instancePath.startsWith(one.instancePath + '/');
    const inside = out.filter((e) => e.schemaPath.startsWith(prefix) && within(e));
    const branchOf = (e: ErrorObject) => e.schemaPath.slice(prefix.length).split('/')[0]!;
    const typeMiss = inside.filter((e) => e.keyword === 'type' && e.instancePath === one.instancePath);
    const branches = [...new Set(inside.map(branchOf))];
    const fitting = branches.filter((b) => !typeMiss.some((e) => branchOf(e) === b));
    let keep: ErrorObject[];
    if (fitting.length === 1) keep = inside.filter((e) => branchOf(e) === fitting[0]);
    else if (fitting.length === 0) {
      const types = typeMiss.map((e) => String((e.params as { type: string }).type));
      keep = [{ ...one, keyword: 'type', params: { type: types.join(',') } }];
    } else keep = [one];
    out = out.filter((e) => e !== one && !inside.includes(e)).concat(keep);
  }
  return out;
}

/** Validate a file's data against the schema. Errors at `skip` pointers (failed env expansion) are dropped. */
export function validateSchema(p: ParsedFile, data: unknown, skip: ReadonlySet<string>): PolicyIssue[] {
  const validate = validator();
  if (validate(data)) return [];
  let errors = resolveOneOf(validate.errors ?? []).filter((e) => !skip.has(e.instancePath));
  // A value of the wrong type makes its other complaints (range, enum) noise.
  const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  errors = errors.filter((e) => e.keyword === 'type' || !mistyped.has(e.instancePath));
  const issues = errors.map((e) => {
    const ex = explain(e, pathOf(e.instancePath, data));
    return errorAt(locate(p, ex.path, ex.target), ex.message);
  });
  // Two schema branches can word the same complaint; say it once.
  const unique = new Map(issues.map((i) => [`${i.field}\0${i.message}`, i]));
  return [...unique.values()].sort((a, b) => a.line - b.line || a.col - b.col);
}
