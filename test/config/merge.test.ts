/** `extends` and merge semantics. */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatIssue, loadPolicy, mergePolicies } from '../../src/config/index.js';
import { memoryIO, preset } from './helpers.js';

const BASE = `
mode: monitor
onBlock: error
tools:
  allow: ["read_*", "list_*"]
  deny: [shell]
  actions:
    "x_*": block
    y: block
limits: { maxFrameBytes: 2048 }
audit:
  redactKeys: ["*token*"]
  arguments: hashed
`;

const CHILD = `
$schema: ./schema.json
extends: ./base.yaml
mode: enforce
tools:
  allow: ["*"]
  deny: [write_file, shell]
  actions:
    y: allow
    "z_*": { action: block, reason: "ask a human" }
audit:
  redactKeys: ["password"]
  file: logs/audit.jsonl
`;

describe('merging a policy with what it extends', () => {
  const result = loadPolicy('/p/child.yaml', memoryIO({ '/p/base.yaml': BASE, '/p/child.yaml': CHILD }));

  test('loads clean', () => {
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.warnings.map(formatIssue)).toEqual([]);
  });

  test('scalars: the extending file wins, unset ones come from the base, defaults fill the rest', () => {
    expect(result.effective).toEqual({
      mode: 'enforce',
      onBlock: 'error',
      tools: {
        allow: ['*'],
        deny: ['shell', 'write_file'],
        actions: { y: 'allow', 'z_*': { action: 'block', reason: 'ask a human' }, 'x_*': 'block' },
        validateArguments: false,
      },
      approval: { timeout: '2m', ttl: '10m' },
      limits: { maxFrameBytes: 2048 },
      audit: {
        stderr: true,
        file: resolve('/p/logs/audit.jsonl'),
        arguments: 'hashed',
        redactKeys: ['*token*', 'password'],
        chain: true,
      },
      detectors: {
        'path-traversal': 'block',
        'command-injection': 'block',
        'sql-injection': 'block',
        ssrf: 'block',
        secrets: 'block',
        'prompt-injection': 'block',
        'hidden-characters': 'block',
        pii: 'off',
      },
      metadata: { poisoning: 'hide', minSeverity: 'high' },
      results: {
        injection: { action: 'block', minSeverity: 'medium' },
        secrets: 'redact',
        pii: { action: 'redact', kinds: ['payment-card', 'iban', 'national-id'] },
        hidden: 'strip',
      },
      flow: {
        labels: {},
        rules: [
          { name: 'sensitive-read-then-egress', after: 'sensitive-read', then: 'egress', action: 'ask' },
          { name: 'untrusted-then-exec', after: 'untrusted-source', then: ['exec', 'persistence'], action: 'ask' },
          { name: 'write-then-exec', after: 'write', then: 'exec-written', action: 'ask' },
          { name: 'persistence-then-callback', after: 'persistence', then: ['egress', 'exec'], action: 'ask' },
        ],
        burst: { labels: ['exec', 'write'], max: 30, within: '1m', action: 'ask' },
      },
    });
  });

  test('flow: labels merge glob by glob, rules and burst replace', async () => {
    const { mergePolicies } = await import('../../src/config/merge.js');
    const merged = mergePolicies(
      { flow: { labels: { 'fetch*': ['untrusted-source'], 'send_*': ['egress'] }, rules: [{ after: 'write', then: 'exec', action: 'warn' }], burst: { max: 5, within: '1m' } } },
      { flow: { labels: { 'fetch*': ['untrusted-source', 'egress'] }, rules: [], burst: 'off' } },
    );
    expect(merged.flow).toEqual({ labels: { 'fetch*': ['untrusted-source', 'egress'], 'send_*': ['egress'] }, rules: [], burst: 'off' });
  });

  test('results: merged key by key, a whole injection or pii setting at once', async () => {
    const { mergePolicies } = await import('../../src/config/merge.js');
    const merged = mergePolicies(
      { results: { injection: 'flag', pii: { action: 'redact', kinds: ['email'] }, hidden: 'warn' } },
      { results: { pii: 'off', secrets: 'warn' } },
    );
    expect(merged.results).toEqual({ injection: 'flag', secrets: 'warn', pii: 'off', hidden: 'warn' });
  });

  test('inspection sections: detectors merge key by key, roots and allowHosts replace, deny lists add up', async () => {
    const { mergePolicies } = await import('../../src/config/merge.js');
    const merged = mergePolicies(
      { detectors: { ssrf: 'warn', secrets: 'off' }, paths: { roots: ['/a'], deny: ['**/.env'] }, network: { allowHosts: ['localhost'], denyHosts: ['a.example'] }, arguments: { run: { exempt: ['command-injection'] } } },
      { detectors: { ssrf: 'block' }, paths: { roots: ['/b'], deny: ['~/.ssh/**'] }, network: { allowHosts: ['dev.local'], denyHosts: ['b.example'] }, arguments: { q: { kinds: { sql: 'sql' } } } },
    );
    expect(merged.detectors).toEqual({ ssrf: 'block', secrets: 'off' });
    expect(merged.paths).toEqual({ roots: ['/b'], deny: ['**/.env', '~/.ssh/**'] });
    expect(merged.network).toEqual({ allowHosts: ['dev.local'], denyHosts: ['a.example', 'b.example'] });
    expect(merged.arguments).toEqual({ run: { exempt: ['command-injection'] }, q: { kinds: { sql: 'sql' } } });
  });

  test('the extending file\'s actions come first, so they are tried first', () => {
    expect(Object.keys(result.effective!.tools!.actions!)).toEqual(['y', 'z_*', 'x_*']);
  });

  test('sources list the base first and the extending file last', () => {
    expect(result.compiled!.sources).toEqual(['/p/base.yaml', '/p/child.yaml']);
  });
});

describe('extends', () => {
  test('a list is applied in order: later entries override earlier ones', () => {
    const io = memoryIO({
      '/p/a.yaml': 'mode: monitor\nonBlock: error\n',
      '/p/b.yaml': 'mode: enforce\n',
      '/p/top.yaml': 'extends: [./a.yaml, ./b.yaml]\n',
    });
    const r = loadPolicy('/p/top.yaml', io);
    expect(r.effective).toMatchObject({ mode: 'enforce', onBlock: 'error' });
    expect(r.compiled!.sources).toEqual(['/p/a.yaml', '/p/b.yaml', '/p/top.yaml']);
  });

  test('a base reached twice (diamond) is merged once, not reported as a cycle', () => {
    const io = memoryIO({ '/p/top.yaml': 'extends: [monitor, strict]\n' });
    const r = loadPolicy('/p/top.yaml', io);
    expect(r.errors).toEqual([]);
    expect(r.compiled!.sources).toEqual([preset('default'), preset('monitor'), preset('strict'), '/p/top.yaml']);
    expect(r.compiled!.mode).toBe('enforce'); // strict comes last and says enforce
  });

  test('a preset\'s deny list survives an extending file that sets its own', () => {
    const io = memoryIO({ '/p/top.yaml': 'extends: filesystem-readonly\ntools:\n  deny: [search_files]\n' });
    const r = loadPolicy('/p/top.yaml', io);
    expect(r.effective!.tools!.deny).toEqual([{ annotations: { readOnlyHint: false } }, 'search_files']);
  });

  test('paths are relative to the extending file, through folders', () => {
    const io = memoryIO({
      '/p/top.yaml': 'extends: ./shared/team.yaml\n',
      '/p/shared/team.yaml': 'extends: ../base/core.yaml\nonBlock: error\n',
      '/p/base/core.yaml': 'mode: monitor\n',
    });
    const r = loadPolicy('/p/top.yaml', io);
    expect(r.errors).toEqual([]);
    expect(r.compiled!.sources).toEqual(['/p/base/core.yaml', '/p/shared/team.yaml', '/p/top.yaml']);
    expect(r.effective).toMatchObject({ mode: 'monitor', onBlock: 'error' });
  });

  test('an issue in an extended file names that file', () => {
    const io = memoryIO({ '/p/top.yaml': 'extends: ./base.yaml\n', '/p/base.yaml': 'mode: loud\n' });
    expect(loadPolicy('/p/top.yaml', io).errors.map(formatIssue)).toEqual([
      '/p/base.yaml:1:7: "mode" must be one of: enforce, monitor (got "loud")',
    ]);
  });
});

describe('mergePolicies', () => {
  test('allow is replaced, deny and redactKeys are unions, $schema and extends are dropped', () => {
    expect(
      mergePolicies(
        { tools: { allow: ['a'], deny: ['x'] }, audit: { redactKeys: ['k'] } },
        { $schema: 's', extends: 'default', tools: { allow: ['b'], deny: ['x', 'y'] }, audit: { redactKeys: ['K'] } },
      ),
    ).toEqual({ tools: { allow: ['b'], deny: ['x', 'y'] }, audit: { redactKeys: ['k', 'K'] } });
  });

  test('an empty allow list in the extending file replaces the base (and hides everything)', () => {
    expect(mergePolicies({ tools: { allow: ['*'] } }, { tools: { allow: [] } })).toEqual({ tools: { allow: [] } });
  });
});
