/** The shipped presets and schema: clean, documented, and what the docs promise. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultPresetsDir, formatIssue, loadPolicy, renderEffectivePolicy } from '../../src/config/index.js';
import { diskIO, memoryIO, preset } from './helpers.js';

const presets = readdirSync(defaultPresetsDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));

describe('shipped policies', () => {
  test('the presets folder is found from the source tree', () => {
    expect(existsSync(join(defaultPresetsDir(), 'schema.json'))).toBe(true);
    expect(presets.sort()).toEqual(['default', 'filesystem-readonly', 'monitor', 'strict']);
  });

  test.each(presets)('%s loads with no errors and no warnings', (name) => {
    const r = loadPolicy(preset(name), diskIO());
    expect([...r.errors, ...r.warnings].map(formatIssue)).toEqual([]);
    expect(r.compiled).toBeDefined();
  });

  test.each(presets)('%s loads by name through extends', (name) => {
    const r = loadPolicy('/p/mine.yaml', memoryIO({ '/p/mine.yaml': `extends: ${name}\n` }));
    expect([...r.errors, ...r.warnings].map(formatIssue)).toEqual([]);
  });

  test('no file means the default preset', () => {
    const r = loadPolicy(undefined, diskIO());
    expect(r.errors).toEqual([]);
    expect(r.compiled!.sources).toEqual([preset('default')]);
    expect(r.compiled!.mode).toBe('enforce');
    expect(r.compiled!.audit).toEqual({ stderr: true, arguments: 'redacted', redactKeys: [], chain: true });
  });

  test('default.yaml spells out exactly the built-in defaults', () => {
    const fromFile = loadPolicy(preset('default'), diskIO()).effective;
    const fromNothing = loadPolicy('/p/empty.yaml', memoryIO({ '/p/empty.yaml': 'mode: enforce\n' })).effective;
    expect(fromFile).toEqual(fromNothing);
  });

  test('monitor blocks nothing; strict enforces', () => {
    expect(loadPolicy(preset('monitor'), diskIO()).compiled!.mode).toBe('monitor');
    expect(loadPolicy(preset('strict'), diskIO()).compiled).toMatchObject({ mode: 'enforce', onBlock: 'result' });
  });

  test('filesystem-readonly hides writes, blocks directory_tree with a way out, allows reads', () => {
    const { compiled } = loadPolicy(preset('filesystem-readonly'), diskIO());
    for (const name of ['write_file', 'edit_file', 'move_file', 'create_directory']) {
      expect(compiled!.toolVerdict(name)).toEqual({ visible: false, action: 'block', ruleId: 'tools.deny', pattern: name });
    }
    expect(compiled!.toolVerdict('directory_tree')).toMatchObject({ visible: true, action: 'block', ruleId: 'tools.actions' });
    expect(compiled!.toolVerdict('directory_tree').reason).toContain('list_directory');
    for (const name of ['read_text_file', 'list_directory', 'search_files', 'get_file_info']) {
      expect(compiled!.toolVerdict(name)).toEqual({ visible: true, action: 'allow', ruleId: 'default' });
    }
  });
});

describe('renderEffectivePolicy', () => {
  const r = loadPolicy(preset('filesystem-readonly'), diskIO());
  const text = renderEffectivePolicy(r.effective!, r.compiled!.sources);

  test('starts with a header naming the sources, base first', () => {
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# Effective Vanguard policy: presets merged, environment variables expanded, defaults filled in.',
      '# Sources, base first:',
      `#   ${preset('default')}`,
      `#   ${preset('filesystem-readonly')}`,
    ]);
  });

  test('loads back as the same policy, with no issues', () => {
    const again = loadPolicy('/p/effective.yaml', memoryIO({ '/p/effective.yaml': text }));
    expect([...again.errors, ...again.warnings]).toEqual([]);
    expect(again.effective).toEqual(r.effective);
  });
});

describe('schema.json', () => {
  const schema = JSON.parse(readFileSync(join(defaultPresetsDir(), 'schema.json'), 'utf8')) as Record<string, unknown>;

  // Editors show these descriptions; every property should have one.
  function undocumented(node: unknown, path: string): string[] {
    if (node === null || typeof node !== 'object') return [];
    const props = (node as { properties?: Record<string, unknown> }).properties ?? {};
    const missing = Object.entries(props).flatMap(([k, v]) => [
      ...((v as { description?: string }).description === undefined ? [`${path}.${k}`] : []),
      ...undocumented(v, `${path}.${k}`),
    ]);
    const nested = ['additionalProperties', 'items'].flatMap((k) => undocumented((node as Record<string, unknown>)[k], path));
    const branches = ((node as { oneOf?: unknown[] }).oneOf ?? []).flatMap((b) => undocumented(b, path));
    return [...missing, ...nested, ...branches];
  }

  test('every property has a description', () => {
    expect(undocumented(schema, '')).toEqual([]);
  });

  test('every object forbids unknown keys', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.additionalProperties === undefined) open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    walk(schema, '');
    expect(open).toEqual([]);
  });
});
