/**
 * ajv for the few policies that give a constraint a JSON Schema. Loading ajv costs
 * 50-150 ms of startup, so `vanguard start` loads it only when such a schema is compiled.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, Options } from 'ajv';

const require = createRequire(import.meta.url);

/** A new ajv instance; ajv is loaded on the first call. */
export function newAjv(options: Options): AjvClass {
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  return new Ajv(options);
}
