/** The expectation matcher: each key, passing and failing, with what the report says. */
import { describe, expect, it } from 'vitest';
import { matchAnswer, matchList } from '../../src/testing/expect.js';
import type { Observation } from '../../src/testing/types.js';

const blocked: Observation = { verdict: 'blocked', rules: ['path.traversal', 'path.sensitive-file'], text: 'Blocked by Vanguard policy (rule path.traversal): no.', summary: 'blocked [path.traversal, path.sensitive-file]' };
const allowed: Observation = { verdict: 'allowed', rules: ['default', 'result.redact:aws-access-key-id'], text: 'id=[REDACTED:aws-access-key-id]\nHello', summary: 'allowed [default]' };

describe('matchAnswer', () => {
  it('passes when every expectation holds', () => {
    expect(matchAnswer({ verdict: 'blocked', rule: 'path.*', contains: ['Blocked'], notContains: ['AKIA'] }, blocked)).toEqual([]);
    expect(matchAnswer({ verdict: 'allowed', contains: ['Hello'], redacted: ['aws-access-key-id'], notContains: ['AKIA'] }, allowed)).toEqual([]);
  });

  it('reports a different verdict with what was seen', () => {
    expect(matchAnswer({ verdict: 'blocked' }, allowed)).toEqual([{ key: 'verdict', expected: 'blocked', got: 'allowed [default]' }]);
  });

  it('matches the rule glob against every refusing rule id, whole', () => {
    expect(matchAnswer({ verdict: 'blocked', rule: 'path.sensitive-*' }, blocked)).toEqual([]);
    expect(matchAnswer({ verdict: 'blocked', rule: 'path.{traversal,x}' }, blocked)).toEqual([]);
    expect(matchAnswer({ verdict: 'blocked', rule: 'path' }, blocked)).toEqual([
      { key: 'rule', expected: 'refused by a rule matching "path"', got: 'refused by path.traversal, path.sensitive-file' },
    ]);
    expect(matchAnswer({ verdict: 'blocked', rule: 'tools.*' }, blocked)[0]?.key).toBe('rule');
  });

  it('does not take the rules that touched an allowed answer for refusing rules', () => {
    expect(matchAnswer({ verdict: 'blocked', rule: 'result.*' }, allowed)).toEqual([
      { key: 'verdict', expected: 'blocked', got: 'allowed [default]' },
      { key: 'rule', expected: 'refused by a rule matching "result.*"', got: 'not refused (allowed [default])' },
    ]);
  });

  it('checks contains and notContains as plain substrings, showing where', () => {
    expect(matchAnswer({ verdict: 'allowed', contains: ['hello'] }, allowed)).toEqual([{ key: 'contains', expected: 'text containing "hello"', got: '"id=[REDACTED:aws-access-key-id]"' }]);
    expect(matchAnswer({ verdict: 'allowed', notContains: ['Hello'] }, allowed)).toEqual([{ key: 'notContains', expected: 'text without "Hello"', got: '"id=[REDACTED:aws-access-key-id]\\nHello"' }]);
    expect(matchAnswer({ verdict: 'allowed', contains: ['x'] }, { ...allowed, text: '' })[0]?.got).toBe('no text');
  });

  it('wants the exact [REDACTED:<kind>] marker and names the ones present', () => {
    expect(matchAnswer({ verdict: 'allowed', redacted: ['github-token'] }, allowed)).toEqual([{ key: 'redacted', expected: '[REDACTED:github-token]', got: 'only [REDACTED:aws-access-key-id]' }]);
    expect(matchAnswer({ verdict: 'allowed', redacted: ['aws'] }, allowed)[0]?.key).toBe('redacted');
    expect(matchAnswer({ verdict: 'allowed', redacted: ['aws-access-key-id'] }, { ...allowed, text: 'AKIA' })[0]?.got).toBe('no redaction in "AKIA"');
  });

  it('reports every expectation that failed, not only the first', () => {
    expect(matchAnswer({ verdict: 'error', contains: ['zzz', 'yyy'], notContains: ['Hello'] }, allowed).map((m) => m.key)).toEqual(['verdict', 'contains', 'contains', 'notContains']);
  });
});

describe('matchList', () => {
  const seen = { visible: ['read_file', 'list_directory'], hiddenByShim: ['write_file', 'edit_file'] };

  it('passes when visible tools are listed and hidden ones were left out by the shim', () => {
    expect(matchList({ visible: ['read_file'], hidden: ['write_file', 'edit_file'] }, seen)).toEqual([]);
  });

  it('fails a visible tool that is not listed, naming the list', () => {
    expect(matchList({ visible: ['write_file'] }, seen)).toEqual([{ key: 'visible', expected: 'write_file in the list', got: 'not in the list (read_file, list_directory)' }]);
  });

  it('fails a hidden tool that is listed', () => {
    expect(matchList({ hidden: ['read_file'] }, seen)).toEqual([{ key: 'hidden', expected: 'read_file hidden', got: 'read_file is in the list' }]);
  });

  it('fails a hidden name the server never offered: a typo proves nothing', () => {
    expect(matchList({ hidden: ['wirte_file'] }, seen)).toEqual([
      { key: 'hidden', expected: 'wirte_file hidden by the policy', got: 'the server does not offer wirte_file at all, so nothing hid it (misspelt?)' },
    ]);
  });
});
