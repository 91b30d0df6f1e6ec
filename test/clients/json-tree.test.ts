import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonTree } from '../../src/clients/json-tree.js';
import { toValue } from './helpers.js';
import { referenceJsonParse } from '../protocol/json-reference.js';
import { scaled } from '../test-scale.js';

function syntaxError(text: string, jsonc = false): { message: string; at: string } {
  try {
    parseJsonTree(text, { jsonc });
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { message: error.message, at: `${error.line}:${error.col}` };
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parseJsonTree', () => {
  it('reads what JSON.parse reads, in every indentation, keys in order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const tree = parseJsonTree(text, { jsonc: false });
        expect(toValue(tree)).toEqual(referenceJsonParse(text));
        if (tree.kind === 'object') expect(tree.members.map((m) => m.key)).toEqual(Object.keys(referenceJsonParse(text) as object));
      }),
      { numRuns: scaled(300) },
    );
  });

  it('gives each value its exact span in the text', () => {
    const text = '{ "a" : [1, "x\\u00e9", {"b": null}] ,"c":true }';
    const root = parseJsonTree(text, { jsonc: false });
    if (root.kind !== 'object') throw new Error('object expected');
    const a = root.members[0]!;
    expect(text.slice(a.keySpan.start, a.keySpan.end)).toBe('"a"');
    expect(text.slice(a.value.start, a.value.end)).toBe('[1, "x\\u00e9", {"b": null}]');
    if (a.value.kind !== 'array') throw new Error('array expected');
    expect(text.slice(a.value.elements[1]!.start, a.value.elements[1]!.end)).toBe('"x\\u00e9"');
    expect(a.value.elements[1]!.kind === 'string' && a.value.elements[1]!.value).toBe('xé');
    expect(text.slice(root.members[1]!.value.start, root.members[1]!.value.end)).toBe('true');
  });

  it('skips a byte order mark', () => {
    expect(toValue(parseJsonTree('\ufeff{"a":1}', { jsonc: false }))).toEqual({ a: 1 });
  });

  it.each([
    ['{\n  "a": 1,\n}', '3:1', 'a comma before "}" is not allowed in JSON'],
    ['{\n  "a": [1,]\n}', '2:11', 'a comma before "]" is not allowed in JSON'],
    ['{\n  // note\n  "a": 1\n}', '2:3', 'comments are not allowed in this file (the client reads it as plain JSON)'],
    ['{\n  "a": 1\n  "b": 2\n}', '3:3', 'expected "," or "}" in an object, found "\\""'],
    ['{"a": 1, "a": 2}', '1:10', 'duplicate key "a"'],
    ['{"a": tru}', '1:7', 'expected a value, found "t"'],
    ['{"a": "x', '1:7', 'unterminated string'],
    ['{"a": "\\q"}', '1:8', 'invalid escape \\q'],
    ['{"a": "tab\there"}', '1:11', 'a control character must be escaped inside a string'],
    ['', '1:1', 'expected a value, found the end of the file'],
    ['{} {}', '1:4', 'unexpected "{" after the end of the JSON value'],
    ['{\r\n  "a": 01\r\n}', '2:9', 'expected "," or "}" in an object, found "1"'],
    ['[' .repeat(600), '1:514', 'nesting deeper than 512 levels'],
  ])('refuses %j at %s', (text, at, message) => {
    expect(syntaxError(text)).toEqual({ message, at });
  });

  it('reads comments and trailing commas as JSONC, and still refuses what JSONC refuses', () => {
    const text = '{\n  // a\n  "a": [1, /* b */ 2,],\n}\n';
    expect(toValue(parseJsonTree(text, { jsonc: true }))).toEqual({ a: [1, 2] });
    expect(syntaxError('{ /* open', true)).toEqual({ message: 'unterminated /* comment', at: '1:3' });
    expect(syntaxError('{"a": 1,,}', true)).toEqual({ message: 'expected a key in double quotes, found ","', at: '1:9' });
  });
});
