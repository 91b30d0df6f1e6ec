import { describe, expect, it } from 'vitest';
import { DEFINITION_LISTS, definitionListFor } from '../../src/engine/definition-list.js';

// A request's method is the client's to choose: a plain object indexed by it would find what
// Object.prototype holds under that name.
describe('definitionListFor', () => {
  it('finds the list methods whose entries are scanned', () => {
    expect(definitionListFor('prompts/list')).toMatchObject({ field: 'prompts', key: 'name' });
    expect(definitionListFor('resources/list')).toMatchObject({ field: 'resources', key: 'uri' });
    expect(definitionListFor('resources/templates/list')).toMatchObject({ field: 'resourceTemplates', key: 'uriTemplate' });
    expect(Object.keys(DEFINITION_LISTS).map(definitionListFor)).not.toContain(undefined);
  });

  it("finds nothing for names Object's prototype holds", () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(name in DEFINITION_LISTS).toBe(true); // (what a bare index would have found)
      expect(definitionListFor(name)).toBeUndefined();
    }
  });

  it('finds nothing for other methods', () => {
    for (const method of ['tools/list', 'tools/call', 'prompts/get', 'resources/read', 'PROMPTS/LIST', 'prompts/list ', '']) expect(definitionListFor(method)).toBeUndefined();
  });
});
