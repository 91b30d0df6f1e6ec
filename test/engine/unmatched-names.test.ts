/** A tools.deny / tools.actions entry that names no listed tool is reported once per session. */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/index.js';
import { SessionState } from '../../src/engine/session.js';
import { unmatchedNames } from '../../src/engine/unmatched-names.js';
import { memoryIO } from '../config/helpers.js';

const policyOf = (text: string) => loadPolicy('/p.yaml', memoryIO({ '/p.yaml': text })).compiled!;
const tools = (...names: string[]) => names.map((name) => ({ name, inputSchema: { type: 'object' } }));
const whole = { firstPage: true, lastPage: true };

describe('unmatchedNames', () => {
  const policy = policyOf('tools:\n  deny: [wirte_file, "edit_*"]\n  actions:\n    "read_*": allow\n    move_file: block\n');

  it('names the typo and the action for a tool the server lacks, once', () => {
    const state = new SessionState();
    expect(unmatchedNames(tools('write_file', 'edit_file', 'read_file'), whole, policy, state)).toEqual([
      { where: 'tools.deny', glob: 'wirte_file' },
      { where: 'tools.actions', glob: 'move_file' },
    ]);
    expect(unmatchedNames(tools('write_file', 'edit_file', 'read_file'), whole, policy, state)).toEqual([]);
  });

  it('judges the whole listing: a name on a later page counts', () => {
    const state = new SessionState();
    expect(unmatchedNames(tools('edit_file', 'read_file'), { firstPage: true, lastPage: false }, policy, state)).toEqual([]);
    expect(unmatchedNames(tools('wirte_file', 'move_file'), { firstPage: false, lastPage: true }, policy, state)).toEqual([]);
  });

  it('says nothing about a listing not read from its first page, nor an empty one', () => {
    const state = new SessionState();
    expect(unmatchedNames(tools('a'), { firstPage: false, lastPage: true }, policy, state)).toEqual([]);
    expect(unmatchedNames([], whole, policy, state)).toEqual([]);
  });

  it('says nothing when every entry matches', () => {
    const state = new SessionState();
    expect(unmatchedNames(tools('wirte_file', 'edit_x', 'read_y', 'move_file'), whole, policy, state)).toEqual([]);
  });
});
