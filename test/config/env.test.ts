/** `${VAR}` expansion and `~` in audit.file. */
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expandString } from '../../src/config/env.js';
import { formatIssue, loadPolicy } from '../../src/config/index.js';
import { memoryIO } from './helpers.js';

describe('expandString', () => {
  const env = { HOME: '/home/t', EMPTY: '', NAME: 'vanguard' };
  test.each([
    ['no variables', 'plain text', 'plain text'],
    ['a variable', '${HOME}/x', '/home/t/x'],
    ['two variables', '${NAME}-${NAME}', 'vanguard-vanguard'],
    ['a default when unset', '${NOPE:-fallback}', 'fallback'],
    ['a default when empty', '${EMPTY:-fallback}', 'fallback'],
    ['no default needed', '${NAME:-fallback}', 'vanguard'],
    ['an empty default', '${NOPE:-}', ''],
    ['a set but empty variable', '[${EMPTY}]', '[]'],
    ['$$ is a literal $', 'cost: $$5', 'cost: $5'],
    ['$${X} stays literal', '$${HOME}', '${HOME}'],
    ['a lone $ stays', 'a$b $', 'a$b $'],
    ['a default with colons and slashes', '${NOPE:-http://x:1/}', 'http://x:1/'],
  ])('%s', (_, input, output) => {
    expect(expandString(input, env)).toEqual({ value: output });
  });

  test.each([
    ['unset', '${NOPE}', 'environment variable "NOPE" is not set (write ${NOPE:-default} to give a default)'],
    ['unclosed', 'a ${HOME', 'unclosed "${" in "a ${HOME" (write "$$" for a literal "$")'],
    ['bad name', '${1X}', 'invalid environment variable name "1X" in "${1X}"'],
    ['empty name', '${}', 'invalid environment variable name "" in "${}"'],
  ])('%s is an error', (_, input, error) => {
    expect(expandString(input, {})).toEqual({ error });
  });
});

describe('expansion in a policy', () => {
  const load = (text: string, env: Record<string, string | undefined>) =>
    loadPolicy('/p/policy.yaml', memoryIO({ '/p/policy.yaml': text }, env));

  test('values are expanded, keys are not', () => {
    const r = load('mode: ${MODE}\ntools:\n  actions:\n    "${KEY}": { action: block, reason: "${WHY:-no}" }\n', { MODE: 'monitor' });
    expect(r.errors).toEqual([]);
    expect(r.effective!.mode).toBe('monitor');
    expect(r.effective!.tools!.actions).toEqual({ '${KEY}': { action: 'block', reason: 'no' } });
  });

  test('an unquoted expansion that yields a number or boolean takes that type', () => {
    const r = load('limits:\n  maxFrameBytes: ${MAX}\naudit:\n  stderr: ${LOG:-false}\n', { MAX: '4096' });
    expect(r.errors).toEqual([]);
    expect(r.effective!.limits!.maxFrameBytes).toBe(4096);
    expect(r.effective!.audit!.stderr).toBe(false);
  });

  test('a quoted expansion stays a string', () => {
    const r = load('limits:\n  maxFrameBytes: "${MAX}"\n', { MAX: '4096' });
    expect(r.errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:18: "limits.maxFrameBytes" must be a whole number (got "4096")',
    ]);
  });

  test('an unset variable is reported once, at its value, with no schema noise', () => {
    const r = load('mode: enforce\naudit:\n  arguments: ${ARGS}\n', {});
    expect(r.errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:3:14: environment variable "ARGS" is not set (write ${ARGS:-default} to give a default)',
    ]);
    expect(r.errors[0]!.field).toBe('audit.arguments');
  });

  test('extends may use variables', () => {
    const r = load('extends: ${BASE:-monitor}\n', {});
    expect(r.errors).toEqual([]);
    expect(r.compiled!.mode).toBe('monitor');
  });
});

describe('audit.file', () => {
  const load = (file: string, env: Record<string, string | undefined>) =>
    loadPolicy('/p/q/policy.yaml', memoryIO({ '/p/q/policy.yaml': `audit:\n  file: ${file}\n` }, env));

  test('relative to the policy file\'s folder', () => {
    expect(load('./logs/a.jsonl', {}).compiled!.audit.file).toBe(resolve('/p/q/logs/a.jsonl'));
  });

  test('~ is the home folder from the env passed in', () => {
    expect(load('~/vanguard/a.jsonl', { HOME: '/home/t' }).compiled!.audit.file).toBe(resolve(join('/home/t', 'vanguard/a.jsonl')));
  });

  test('USERPROFILE stands in for HOME', () => {
    expect(load('~/a.jsonl', { USERPROFILE: '/users/t' }).compiled!.audit.file).toBe(resolve('/users/t/a.jsonl'));
  });

  test('~ without a home is an error at the value', () => {
    expect(load('~/a.jsonl', {}).errors.map(formatIssue)).toEqual([
      '/p/q/policy.yaml:2:9: cannot expand "~" in "audit.file": HOME is not set',
    ]);
  });

  test('variables expand before ~', () => {
    expect(load('${LOGS}/a.jsonl', { LOGS: '~', HOME: '/h' }).compiled!.audit.file).toBe(resolve('/h/a.jsonl'));
  });
});
