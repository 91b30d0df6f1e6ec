/**
 * One glob dialect (issue 9): paths.deny and the host lists are checked like tool globs, and
 * entries that can never match are warned about.
 */
import { describe, expect, test } from 'vitest';
import { formatIssue, loadPolicy } from '../../src/config/index.js';
import { hostNeverMatches, toolGlobNeverMatches } from '../../src/config/check-globs.js';
import { memoryIO } from './helpers.js';

const load = (text: string, file = '/p/policy.yaml') => loadPolicy(file, memoryIO({ [file]: text }));

describe('errors', () => {
  test('an unclosed bracket in paths.deny is refused, as in tools.deny (it was accepted)', () => {
    const r = load('paths:\n  deny: ["~/.ssh/**", "[oops"]\n');
    expect(r.errors.map(formatIssue)).toEqual([`/p/policy.yaml:2:23: in "paths.deny": invalid glob "[oops": "[" is never closed (for a literal "[", write '\\[' in single quotes)`]);
  });

  test('a negated path or host glob is refused: it would deny everything else', () => {
    const r = load('paths:\n  deny: ["!**/*.txt"]\nnetwork:\n  denyHosts: ["!good.example"]\n');
    expect(r.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('in "paths.deny": glob "!**/*.txt" starts with "!"'),
      expect.stringContaining('in "network.denyHosts": glob "!good.example" starts with "!"'),
    ]);
  });

  test('an invalid host glob is refused', () => {
    expect(load('network:\n  allowHosts: ["dev.{local"]\n').errors.map(formatIssue)).toEqual([expect.stringMatching(/^\/p\/policy\.yaml:2:16: in "network\.allowHosts": invalid glob "dev\.\{local": "\{" is never closed/)]);
  });
});

describe('warnings', () => {
  test('a URL in denyHosts never matches: warned, with the host to write', () => {
    const r = load('network:\n  denyHosts: ["https://evil.example/x", "user@evil.example", "evil.example/upload", "{paste,dump}.example"]\n');
    expect(r.errors).toEqual([]);
    expect(r.warnings.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:15: warning: in "network.denyHosts": "https://evil.example/x" is a URL, but hosts are matched alone (no scheme, no path), so it never matches; write "evil.example"',
      '/p/policy.yaml:2:41: warning: in "network.denyHosts": "user@evil.example" contains "@" (user info), which is not part of the host, so it never matches; write what follows "@"',
      '/p/policy.yaml:2:62: warning: in "network.denyHosts": "evil.example/upload" has a path, but hosts are matched alone, so it never matches; write the host part only',
    ]);
  });

  test('a tool glob with characters no tool name has is warned about', () => {
    const r = load('tools:\n  deny: ["write file", "edit_*"]\n  actions:\n    "run:shell": block\n');
    expect(r.warnings.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:10: warning: in "tools.deny": "write file" contains " ", which tool names do not (letters, digits, "_", "-", "." and "/"), so it never matches',
      '/p/policy.yaml:4:5: warning: in "tools.actions": "run:shell" contains ":", which tool names do not (letters, digits, "_", "-", "." and "/"), so it never matches',
    ]);
  });

  test('ordinary entries raise nothing', () => {
    expect(hostNeverMatches('*.ngrok.io')).toBeUndefined();
    expect(hostNeverMatches('localhost:3000')).toBeUndefined();
    expect(hostNeverMatches('[::1]:8080')).toBeUndefined();
    expect(toolGlobNeverMatches('{read,list}_*')).toBeUndefined();
    expect(toolGlobNeverMatches('name\\[1\\]')).toBeUndefined();
    expect(load('extends: strict\n').warnings).toEqual([]);
  });
});

describe('the effective policy', () => {
  test('braces in denyHosts compile and match (they never matched before)', () => {
    const r = load('network:\n  denyHosts: ["{paste,dump}.example"]\n');
    expect(r.errors).toEqual([]);
    expect(r.compiled!.inspection.network.denyHosts).toEqual(['{paste,dump}.example']);
  });
});

describe('relative paths in a policy', () => {
  test('paths.roots and paths.cwd are relative to the policy file, like audit.file and rulePacks', () => {
    const file = '/srv/policies/fs.yaml';
    const r = loadPolicy(file, memoryIO({ [file]: 'paths:\n  roots: [data, ../shared, /abs, "~/notes"]\n  cwd: work\n' }));
    expect(r.errors).toEqual([]);
    expect(r.effective!.paths).toMatchObject({ roots: ['/srv/policies/data', '/srv/shared', '/abs', '~/notes'], cwd: '/srv/policies/work' });
    expect(r.compiled!.inspection.paths.cwd).toBe('/srv/policies/work');
  });
});
