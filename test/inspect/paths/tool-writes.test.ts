/** toolWrites reads the name through the flow rules' per-name facts: the same answer as reading its words afresh. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toolWrites } from '../../../src/inspect/detectors/paths/write-targets.js';
import { changesThings, toolWords } from '../../../src/flow/tool-words.js';
import { scaled } from '../../test-scale.js';

describe('toolWrites', () => {
  it('answers as the words of the name say, for named and generated tools', () => {
    for (const name of ['write_file', 'editFile', 'move', 'read_file', 'search_files', 'WRITEFile', 'set-config', 'x'.repeat(300) + '_write']) {
      expect(toolWrites(name), name).toBe(changesThings(toolWords(name)));
    }
    expect(toolWrites('write_file')).toBe(true);
    expect(toolWrites('read_file')).toBe(false);
    const word = fc.constantFrom('write', 'Edit', 'read', 'file', 'move', 'list', 'rm', 'get', 'Set', 'x');
    fc.assert(fc.property(fc.array(fc.oneof(word, fc.string({ maxLength: 4 })), { maxLength: 6 }), fc.constantFrom('_', '-', '', '.'), (words, joint) => {
      const name = words.join(joint);
      expect(toolWrites(name)).toBe(changesThings(toolWords(name)));
    }), { numRuns: scaled(2000) });
  });
});
