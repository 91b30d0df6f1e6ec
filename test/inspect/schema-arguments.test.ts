import { describe, expect, it } from 'vitest';
import { checkArguments } from '../../src/inspect/schema-arguments.js';

const readFile = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { path: { type: 'string' }, head: { type: 'number' } },
  required: ['path'],
  additionalProperties: false,
};

describe('checkArguments', () => {
  it('accepts arguments that match, and names what does not', () => {
    expect(checkArguments(readFile, { path: 'a.txt', head: 3 })).toEqual({ ok: true });
    expect(checkArguments(readFile, { path: 5 })).toEqual({ ok: false, message: "argument path must be string (the tool's input schema)" });
    expect(checkArguments(readFile, {})).toEqual({ ok: false, message: "the arguments must have required property 'path' (the tool's input schema)" });
    expect(checkArguments(readFile, { path: 'a', extra: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('must NOT have additional properties') });
  });

  it('reads a schema without $schema as JSON Schema 2020-12', () => {
    const schema = { type: 'object', properties: { items: { type: 'array', prefixItems: [{ type: 'string' }], items: false } } };
    expect(checkArguments(schema, { items: ['a'] })).toEqual({ ok: true });
    expect(checkArguments(schema, { items: ['a', 'b'] }).ok).toBe(false);
  });

  it('runs a server\'s pattern in linear time, even one that backtracks catastrophically elsewhere', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } };
    expect(checkArguments(schema, { s: `${'a'.repeat(50_000)}!` }).ok).toBe(false);
    expect(checkArguments(schema, { s: 'aaaa' })).toEqual({ ok: true });
  });

  it('fails closed on a schema it cannot compile safely', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '(?=x)x' } } };
    expect(checkArguments(schema, { s: 'x' })).toMatchObject({ ok: false, message: expect.stringContaining('cannot be checked safely') });
  });
});
