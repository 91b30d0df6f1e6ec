/** toolVerdict: which tools are visible, blocked, and by which rule. */
import { describe, expect, test } from 'vitest';
import { compilePolicy, loadPolicy, VERDICT_CACHE_LIMIT, type ToolVerdict } from '../../src/config/index.js';
import { memoryIO } from './helpers.js';

const policy = compilePolicy(
  {
    tools: {
      allow: ['read_*', 'list_*', 'delete_*', 'move_file', '.hidden', 'x?', '{get,set}_thing', 'file[12]'],
      deny: ['*_secret', 'read_private'],
      actions: {
        'delete_*': { action: 'block', reason: 'deletes are done by hand' },
        delete_tmp: 'allow', // exact name beats the earlier glob
        'list_*': 'allow',
        'list_dir*': 'block', // never reached: list_* comes first
        move_file: { action: 'block' },
      },
    },
  },
  ['/p.yaml'],
);

const hidden = (ruleId: string, pattern?: string): ToolVerdict => ({
  visible: false,
  action: 'block',
  ruleId,
  ...(pattern !== undefined && { pattern }),
});

describe('toolVerdict', () => {
  test.each<[string, ToolVerdict]>([
    ['read_file', { visible: true, action: 'allow', ruleId: 'default' }],
    ['read_secret', hidden('tools.deny', '*_secret')],
    ['list_secret', hidden('tools.deny', '*_secret')], // deny beats an action
    ['read_private', hidden('tools.deny', 'read_private')],
    ['write_file', hidden('tools.allow')],
    ['READ_FILE', hidden('tools.allow')], // case-sensitive
    ['read_a/b', hidden('tools.allow')], // * does not cross /
    ['delete_all', { visible: true, action: 'block', ruleId: 'tools.actions', pattern: 'delete_*', reason: 'deletes are done by hand' }],
    ['delete_tmp', { visible: true, action: 'allow', ruleId: 'tools.actions', pattern: 'delete_tmp' }],
    ['list_directory', { visible: true, action: 'allow', ruleId: 'tools.actions', pattern: 'list_*' }],
    ['move_file', { visible: true, action: 'block', ruleId: 'tools.actions', pattern: 'move_file' }],
    ['.hidden', { visible: true, action: 'allow', ruleId: 'default' }],
    ['xy', { visible: true, action: 'allow', ruleId: 'default' }],
    ['xyz', hidden('tools.allow')],
    ['set_thing', { visible: true, action: 'allow', ruleId: 'default' }],
    ['file2', { visible: true, action: 'allow', ruleId: 'default' }],
    ['file3', hidden('tools.allow')],
    ['', hidden('tools.allow')],
  ])('%j', (name, verdict) => {
    expect(policy.toolVerdict(name)).toEqual(verdict);
  });

  test('the defaults show every tool, including names starting with a dot', () => {
    const open = compilePolicy({}, []);
    for (const name of ['anything', '.dot', 'a.b-c_d']) {
      expect(open.toolVerdict(name)).toEqual({ visible: true, action: 'allow', ruleId: 'default' });
    }
  });

  test('verdicts are cached and frozen', () => {
    const v = policy.toolVerdict('delete_all');
    expect(policy.toolVerdict('delete_all')).toBe(v);
    expect(Object.isFrozen(v)).toBe(true);
  });

  test('the cache is bounded and stays correct past its limit', () => {
    const p = compilePolicy({ tools: { deny: ['bad_*'] } }, []);
    const first = p.toolVerdict('bad_0');
    for (let i = 0; i <= VERDICT_CACHE_LIMIT; i++) p.toolVerdict(`tool_${i}`);
    const again = p.toolVerdict('bad_0');
    expect(again).not.toBe(first); // evicted and recomputed
    expect(again).toEqual(first);
  });

  test('through extends: the extending file\'s action globs are tried before the base\'s', () => {
    const io = memoryIO({
      '/p/base.yaml': 'tools:\n  actions:\n    "*_file": block\n',
      '/p/top.yaml': 'extends: ./base.yaml\ntools:\n  actions:\n    "read_*": allow\n',
    });
    const { compiled } = loadPolicy('/p/top.yaml', io);
    expect(compiled!.toolVerdict('read_file')).toMatchObject({ action: 'allow', pattern: 'read_*' });
    expect(compiled!.toolVerdict('write_file')).toMatchObject({ action: 'block', pattern: '*_file' });
  });

  test('the compiled policy carries the settings with defaults filled', () => {
    const p = compilePolicy({ mode: 'monitor', audit: { arguments: 'omit' } }, ['a', 'b']);
    expect({ mode: p.mode, onBlock: p.onBlock, limits: p.limits, audit: p.audit, sources: p.sources }).toEqual({
      mode: 'monitor',
      onBlock: 'result',
      limits: { maxFrameBytes: 64 * 1024 * 1024 },
      audit: { stderr: true, arguments: 'omit', redactKeys: [], chain: true },
      sources: ['a', 'b'],
    });
  });
});

describe('glob syntax, as documented in the README (Policy reference, Globs)', () => {
  test.each<[string, string, boolean]>([
    ['*', 'a/b', false],
    ['**', 'a/b', true],
    ['*', '.dot', true],
    ['?_x', 'a_x', true],
    ['?_x', '/_x', false],
    ['[^a-c]x', 'dx', true],
    ['[^a-c]x', 'ax', false],
    ['{read,list}_*', 'list_dir', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['a\\[1\\]', 'a[1]', true],
    ['f(x)', 'f(x)', true],
    ['read_*', 'READ_X', false],
  ])('%s on %j: %s', (glob, name, visible) => {
    expect(compilePolicy({ tools: { allow: [glob] } }, []).toolVerdict(name).visible).toBe(visible);
  });
});
