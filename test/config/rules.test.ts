/** Semantic checks (phase 3), issue shapes, and loading edge cases. */
import { describe, expect, test } from 'vitest';
import { formatIssue, loadPolicy, type PolicyIssue } from '../../src/config/index.js';
import { memoryIO } from './helpers.js';

const load = (text: string, file = '/p/policy.yaml') => loadPolicy(file, memoryIO({ [file]: text }));

describe('warnings', () => {
  test('an empty allow list hides every tool, and still loads', () => {
    const r = load('tools:\n  allow: []\n');
    expect(r.warnings.map(formatIssue)).toEqual(['/p/policy.yaml:2:3: warning: "tools.allow" is empty: every tool is hidden']);
    expect(r.compiled!.toolVerdict('anything')).toMatchObject({ visible: false, ruleId: 'tools.allow' });
  });

  test('a repeated entry is reported at its second occurrence', () => {
    const r = load('tools:\n  deny:\n    - a\n    - b\n    - a\naudit:\n  redactKeys: [k, k]\n');
    expect(r.warnings.map(formatIssue)).toEqual([
      '/p/policy.yaml:5:7: warning: "a" is listed twice in "tools.deny"',
      '/p/policy.yaml:7:19: warning: "k" is listed twice in "audit.redactKeys"',
    ]);
  });

  test('actions that can never apply', () => {
    const r = load(
      [
        'tools:',
        '  allow: ["read_*", "write_*"]',
        '  deny: ["write_*", "read_secret"]',
        '  actions:',
        '    "write_*": block', // identical glob in deny
        '    write_file: block', // a name deny hides
        '    fetch: block', // a name no allow glob shows
        '    "read_*": block', // fine
        '',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings.map(formatIssue)).toEqual([
      '/p/policy.yaml:5:5: warning: action for "write_*" never applies: tools.deny hides every tool it matches ("write_*")',
      '/p/policy.yaml:6:5: warning: action for "write_file" never applies: tools.deny hides every tool it matches ("write_*")',
      '/p/policy.yaml:7:5: warning: action for "fetch" never applies: no glob in tools.allow matches it',
    ]);
  });

  test('a dead action in a base is reported in the base, against the merged deny list', () => {
    const io = memoryIO({
      '/p/base.yaml': 'tools:\n  actions:\n    move_file: block\n',
      '/p/top.yaml': 'extends: ./base.yaml\ntools:\n  deny: [move_file]\n',
    });
    expect(loadPolicy('/p/top.yaml', io).warnings.map(formatIssue)).toEqual([
      '/p/base.yaml:3:5: warning: action for "move_file" never applies: tools.deny hides every tool it matches ("move_file")',
    ]);
  });

  test('an unknown YAML tag is a warning from the parser', () => {
    expect(load('mode: !custom enforce\n').warnings.map(formatIssue)).toEqual([
      '/p/policy.yaml:1:7: warning: Unresolved tag: !custom',
    ]);
  });

  test('an empty file loads with the defaults and a warning', () => {
    const r = load('# nothing yet\n');
    expect(r.warnings.map(formatIssue)).toEqual(['/p/policy.yaml:1:1: warning: the policy file is empty: defaults apply']);
    expect(r.compiled!.mode).toBe('enforce');
  });
});

describe('errors', () => {
  test('an issue carries severity, file, line, col and field', () => {
    const r = load('tools:\n  actions:\n    "!delete_*": block\n');
    expect(r.errors).toEqual<PolicyIssue[]>([
      {
        severity: 'error',
        file: '/p/policy.yaml',
        line: 3,
        col: 5,
        field: 'tools.actions["!delete_*"]',
        message: 'glob "!delete_*" starts with "!": negation is not supported; list the exact name or a narrower glob first; it takes precedence',
      },
    ]);
  });

  test('a missing file is an issue at 1:1, not an exception', () => {
    expect(loadPolicy('/p/nope.yaml', memoryIO({})).errors.map(formatIssue)).toEqual([
      '/p/nope.yaml:1:1: cannot read policy file: file not found',
    ]);
  });

  test('every problem in a file is reported, in line order', () => {
    const r = load('mode: loud\nonBlock: shout\ntools:\n  deny: {}\nextra: 1\n');
    expect(r.errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:1:7: "mode" must be one of: enforce, monitor (got "loud")',
      '/p/policy.yaml:2:10: "onBlock" must be one of: result, error (got "shout")',
      '/p/policy.yaml:4:3: "tools.deny" must be a list (got a mapping)',
      '/p/policy.yaml:5:1: unknown top-level key "extra"',
    ]);
  });

  test('a document that is not a mapping', () => {
    expect(load('- mode\n').errors.map(formatIssue)).toEqual(['/p/policy.yaml:1:1: the policy must be a mapping (got a list)']);
  });

  test('an empty section is a type error, not a silent default', () => {
    expect(load('tools:\naudit: {}\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:1:1: "tools" must be a mapping (got an empty value)',
    ]);
  });

  test('an action missing its action key', () => {
    expect(load('tools:\n  actions:\n    x: { reason: "why" }\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:3:5: "tools.actions.x" is missing the key "action"',
    ]);
  });

  test('maxFrameBytes above 1 GiB and not whole', () => {
    expect(load('limits:\n  maxFrameBytes: 2147483648\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:18: "limits.maxFrameBytes" must be at most 1073741824 (got 2147483648)',
    ]);
    expect(load('limits:\n  maxFrameBytes: 4096.5\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:18: "limits.maxFrameBytes" must be a whole number (got number 4096.5)',
    ]);
  });

  test('a duplicate key is a YAML error', () => {
    expect(load('mode: enforce\nmode: monitor\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:1: duplicate key: each key may appear only once in a mapping',
    ]);
  });

  test('a misspelt key far from any known key gets no suggestion', () => {
    expect(load('tools:\n  detectors: {}\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:2:3: unknown key "detectors" in "tools"',
    ]);
  });

  test('a list used as a key is refused', () => {
    expect(load('tools:\n  actions:\n    ? [a]\n    : block\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:3:7: a key must be a plain name, not a list or mapping',
    ]);
  });

  test('an unknown key with control characters is quoted, not printed raw', () => {
    expect(load('"\\u001b[31mmode": x\n').errors.map(formatIssue)).toEqual([
      '/p/policy.yaml:1:1: unknown top-level key "\\u001b[31mmode"',
    ]);
  });

  test('an alias bomb is refused', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', ''].join('\n');
    const r = load(bomb);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(1);
  });
});
