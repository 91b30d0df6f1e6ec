/**
 * One fixture per failure mode, each with its exact formatted issues.
 * File names are shown relative to the fixtures folder.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatIssue, loadPolicy } from '../../src/config/index.js';
import { diskIO } from './helpers.js';

const dir = fileURLToPath(new URL('../fixtures/policies/invalid/', import.meta.url));

const expected: Record<string, string[]> = {
  'yaml-syntax.yaml': ['yaml-syntax.yaml:4:3: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  'unknown-top-level-key.yaml': ['unknown-top-level-key.yaml:3:1: unknown top-level key "mdoe" (did you mean "mode"?)'],
  'misspelt-nested-key.yaml': ['misspelt-nested-key.yaml:2:3: unknown key "alow" in "tools" (did you mean "allow"?)'],
  'wrong-type.yaml': [
    'wrong-type.yaml:2:11: "audit.stderr" must be true or false (got "yes")',
    'wrong-type.yaml:3:15: "audit.redactKeys" must be a list (got "apiKey")',
  ],
  'bad-enum.yaml': ['bad-enum.yaml:1:7: "mode" must be one of: enforce, monitor (got "enforcee")'],
  'bad-glob.yaml': [`bad-glob.yaml:4:7: invalid glob "edit_[file": "[" is never closed (for a literal "[", write '\\[' in single quotes)`],
  'negated-glob.yaml': [
    'negated-glob.yaml:2:11: glob "!write_*" starts with "!": negation is not supported; list the tools to hide in tools.deny instead',
  ],
  'unset-env.yaml': [
    'unset-env.yaml:2:9: environment variable "VANGUARD_AUDIT_DIR" is not set (write ${VANGUARD_AUDIT_DIR:-default} to give a default)',
  ],
  'extends-cycle.yaml': ['cycle/loop.yaml:1:10: extends cycle: extends-cycle.yaml -> cycle/loop.yaml -> extends-cycle.yaml'],
  'extends-missing-preset.yaml': [
    'extends-missing-preset.yaml:1:11: extends "defualt": no shipped preset has that name (did you mean "default"?); shipped presets: default, filesystem-readonly, monitor, strict',
  ],
  'extends-missing-file.yaml': [
    'extends-missing-file.yaml:1:10: extends "./no-such-base.yaml": cannot read no-such-base.yaml: file not found',
  ],
  'max-frame-bytes.yaml': ['max-frame-bytes.yaml:2:18: "limits.maxFrameBytes" must be at least 1024 (got 512)'],
  'json-bad-value.json': ['json-bad-value.json:5:31: "tools.actions.move_file" must be one of: allow, block, ask (got "blok")'],
  'approval-settings.yaml': [
    'approval-settings.yaml:2:12: "approval.timeout" must match pattern "^[1-9][0-9]{0,8}(ms|s|m|h)$"',
    'approval-settings.yaml:3:3: unknown key "tll" in "approval" (did you mean "ttl"?)',
  ],
  'json-syntax.json': ['json-syntax.json:3:3: Missing , between flow map items'],
  'action-shape.yaml': [
    'action-shape.yaml:3:33: unknown key "reson" in "tools.actions.move_file" (did you mean "reason"?)',
    'action-shape.yaml:4:17: "tools.actions.delete_*" must be a string or a mapping (got number 3)',
  ],
  'flow-rule.yaml': [
    'flow-rule.yaml:3:54: "flow.rules[0].action" must be one of: ask, block, warn (got "deny")',
    'flow-rule.yaml:4:67: "flow.rules[1].within" must match pattern "^[1-9][0-9]{0,8}(ms|s|m|h)$"',
    'flow-rule.yaml:5:17: "flow.burst.max" must be at least 1 (got 0)',
  ],
  'flow-meaning.yaml': [
    `flow-meaning.yaml:3:5: invalid glob "fetch_[x": "[" is never closed (for a literal "[", write '\\[' in single quotes)`,
    'flow-meaning.yaml:7:7: two flow rules have the id "flow.untrusted-source-then-exec"; give one a different "name"',
    'flow-meaning.yaml:5:38: warning: label "egres" is neither inferred nor given by flow.labels in this file: unless an extended policy gives it, this never matches (did you mean "egress"?)',
  ],
  'audit-file-tilde-user.yaml': [
    'audit-file-tilde-user.yaml:2:9: only "~" and "~/" are expanded in "audit.file" (got "~bob/audit.jsonl")',
  ],
};

describe('invalid policy fixtures', () => {
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

  test('every fixture has an expectation and every expectation a fixture', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(files)('%s', (name) => {
    const result = loadPolicy(dir + name, diskIO());
    const shown = [...result.errors, ...result.warnings].map((i) => formatIssue(i).replaceAll(dir, ''));
    expect(shown).toEqual(expected[name]);
    expect(result.compiled).toBeUndefined();
    expect(result.errors.length).toBeGreaterThan(0);
  });
});
