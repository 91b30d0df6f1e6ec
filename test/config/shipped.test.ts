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

  test('filesystem-readonly hides every tool not declaring itself read-only, blocks directory_tree with a way out, allows reads', () => {
    const { compiled } = loadPolicy(preset('filesystem-readonly'), diskIO());
    const readOnly = { readOnlyHint: true };
    const hidden = { visible: false, action: 'block', ruleId: 'tools.deny', pattern: 'annotations{readOnlyHint=false}' };
    for (const name of ['write_file', 'edit_file', 'move_file', 'create_directory', 'some_new_tool']) {
      expect(compiled!.toolVerdict(name, { readOnlyHint: false })).toEqual(hidden);
      // Declaring nothing, or not listed yet: not read-only.
      expect(compiled!.toolVerdict(name, {})).toEqual(hidden);
      expect(compiled!.toolVerdict(name)).toEqual(hidden);
    }
    expect(compiled!.toolVerdict('directory_tree', readOnly)).toMatchObject({ visible: true, action: 'block', ruleId: 'tools.actions' });
    expect(compiled!.toolVerdict('directory_tree', readOnly).reason).toContain('list_directory');
    for (const name of ['read_text_file', 'list_directory', 'search_files', 'get_file_info']) {
      expect(compiled!.toolVerdict(name, readOnly)).toEqual({ visible: true, action: 'allow', ruleId: 'default' });
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

describe('policies/schema.json', () => {
  test('is a valid draft-07 schema under strict mode (the loader skips this check at run time)', async () => {
    const { Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync(join(defaultPresetsDir(), 'schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(ajv.errors ?? []).toEqual([]);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});

describe('the precompiled schema validator', () => {
  test('reports exactly what the run-time compiled one reports, on every fixture', async () => {
    const { createRequire } = await import('node:module');
    const { mkdtempSync, rmSync, writeFileSync: write } = await import('node:fs');
    const { parse } = await import('yaml');
    const { Ajv } = await import('ajv');
    const { AJV_OPTIONS } = await import('../../src/config/ajv-options.js');
    // @ts-expect-error: a plain .mjs build script without types
    const { validatorSource } = (await import('../../scripts/schema-validator.mjs')) as { validatorSource(schema: object): Promise<string> };
    const schema = JSON.parse(readFileSync(join(defaultPresetsDir(), 'schema.json'), 'utf8')) as object;
    // Inside the repo, so the generated code finds ajv's runtime helpers in node_modules.
    const folder = mkdtempSync(join(defaultPresetsDir(), '..', 'node_modules', '.vanguard-validator-'));
    const file = join(folder, 'validator.cjs');
    write(file, await validatorSource(schema));
    const precompiled = createRequire(import.meta.url)(file) as ((data: unknown) => boolean) & { errors?: unknown };
    rmSync(folder, { recursive: true, force: true });
    const runtime = new Ajv(AJV_OPTIONS).compile(schema);
    const dir = join(defaultPresetsDir(), '..', 'test', 'fixtures', 'policies', 'invalid');
    const samples = [...readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(dir, f)), ...presets.map((p) => join(defaultPresetsDir(), `${p}.yaml`))];
    let invalid = 0;
    for (const sample of samples) {
      let data: unknown;
      try {
        data = parse(readFileSync(sample, 'utf8'));
      } catch {
        continue; // a YAML syntax fixture never reaches the schema
      }
      const ok = precompiled(data);
      expect(ok, sample).toBe(runtime(data));
      expect(precompiled.errors ?? null, sample).toEqual(runtime.errors ?? null);
      if (!ok) invalid++;
    }
    expect(invalid).toBeGreaterThan(5);
  });
});
