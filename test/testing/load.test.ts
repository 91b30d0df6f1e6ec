/**
 * Loading test files: a valid file with its paths resolved against its folder, and one
 * invalid file per failure mode with its exact `file:line:col` message.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/config/issues.js';
import { parseTestFile } from '../../src/testing/load.js';

const none = { exists: () => false };
const load = (text: string, exists = none) => parseTestFile('t.yaml', text, exists);
const errors = (text: string): string[] => load(text).issues.map(formatIssue);

describe('a valid test file', () => {
  it('resolves policy and cwd against the file, splits server like --server, and reads every case', () => {
    const file = path.join('/work', 'suite', 'vanguard.test.yaml');
    const { testFile, issues } = parseTestFile(
      file,
      `server: "node 'my server.js' --root ./data"
policy: ./fs.yaml
cwd: ../srv
env: { LOG_LEVEL: debug }
cases:
  - name: listing
    expect: { visible: read_file, hidden: [write_file] }
  - name: call
    call: { tool: read_file, arguments: { path: a.txt } }
    expect: { verdict: blocked, rule: "path.*", contains: Blocked, notContains: [AKIA] }
  - name: resource
    method: resources/read
    params: { uri: "file:///x" }
    expect: { verdict: allowed, redacted: aws-access-key-id }
`,
      none,
    );
    expect(issues).toEqual([]);
    expect(testFile).toMatchObject({
      name: file,
      argv: ['node', 'my server.js', '--root', './data'],
      policy: path.join('/work', 'suite', 'fs.yaml'),
      cwd: path.join('/work', 'srv'),
      env: { LOG_LEVEL: 'debug' },
    });
    expect(testFile!.cases).toEqual([
      { name: 'listing', index: 0, expect: { visible: ['read_file'], hidden: ['write_file'] } },
      { name: 'call', index: 1, request: { method: 'tools/call', params: { name: 'read_file', arguments: { path: 'a.txt' } } }, expect: { verdict: 'blocked', rule: 'path.*', contains: ['Blocked'], notContains: ['AKIA'] } },
      { name: 'resource', index: 2, request: { method: 'resources/read', params: { uri: 'file:///x' } }, expect: { verdict: 'allowed', redacted: ['aws-access-key-id'] } },
    ]);
  });

  it('reads JSON too, takes command as argv, and defaults cwd to the file folder', () => {
    const { testFile } = parseTestFile('/x/t.json', '{"command": ["node", "s.js"], "cases": [{"name": "n", "call": {"tool": "t"}, "expect": {"verdict": "unknown"}}]}', none);
    expect(testFile).toMatchObject({ argv: ['node', 's.js'], cwd: '/x', policy: undefined });
    expect(testFile!.cases[0]!.request).toEqual({ method: 'tools/call', params: { name: 't', arguments: {} } });
  });

  it('takes a bare word with no such file as a shipped preset name', () => {
    const text = 'server: s\npolicy: strict\ncases: [{ name: n, expect: { visible: [a] } }]\n';
    expect(parseTestFile('/x/t.yaml', text, none).testFile!.policy).toBe('strict');
    expect(parseTestFile('/x/t.yaml', text, { exists: () => true }).testFile!.policy).toBe('/x/strict');
  });
});

describe('invalid test files', () => {
  const head = 'server: s\ncases:\n';
  it.each([
    ['a YAML syntax error', 'server: "s\ncases: []\n', 't.yaml:3:1: Missing closing "quote'],
    ['not a mapping', '- a\n', 't.yaml:1:1: a test file is a mapping with "server" (or "command") and "cases"'],
    ['an unknown top-level key', 'sever: s\ncases: [{ name: n, expect: { visible: [a] } }]\n', 't.yaml:1:1: unknown key "sever" (did you mean "server"?)'],
    ['no server', 'cases: [{ name: n, expect: { visible: [a] } }]\n', 't.yaml:1:1: say which server to run: server: "npx -y @modelcontextprotocol/server-filesystem ./data", or command: [node, server.js]'],
    ['server and command', 'server: s\ncommand: [s]\ncases: [{ name: n, expect: { visible: [a] } }]\n', 't.yaml:2:1: give the server either as "server" (a command line) or as "command" (a list), not both'],
    ['an unterminated quote in server', `server: "node 'x"\ncases: [{ name: n, expect: { visible: [a] } }]\n`, 't.yaml:1:9: "server": unterminated single quote opened at position 5'],
    ['no cases', 'server: s\ncases: []\n', 't.yaml:2:1: "cases" must not be an empty list'],
    ['a misspelt verdict', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: blockd }\n`, 't.yaml:5:24: "cases[0].expect.verdict" must be one of: allowed, blocked, unknown, error (got "blockd")'],
    ['an unknown expectation', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: allowed, contain: x }\n`, 't.yaml:5:33: unknown key "contain" in "cases[0].expect" (did you mean "contains"?)'],
    ['a number in env', 'server: s\nenv: { N: 1 }\ncases: [{ name: n, expect: { visible: [a] } }]\n', 't.yaml:2:11: "env.N" must be a string (got number 1)'],
    ['a case without expect', `${head}  - name: n\n    call: { tool: t }\n`, 't.yaml:3:5: "cases[0]" is missing the key "expect"'],
    ['an empty contains', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: allowed, contains: "" }\n`, 't.yaml:5:43: "cases[0].expect.contains" must not be empty'],
    ['a request without a verdict', `${head}  - name: n\n    call: { tool: t }\n    expect: { contains: x }\n`, 't.yaml:5:5: say how the request must come back: "verdict" is one of allowed, blocked, unknown, error'],
    ['a listing with nothing to check', `${head}  - name: n\n    expect: {}\n`, 't.yaml:4:5: nothing to check: give "visible" or "hidden" tools, or a "call" with a "verdict"'],
    ['a verdict without a request', `${head}  - name: n\n    expect: { visible: [a], verdict: allowed }\n`, 't.yaml:4:29: "verdict" is checked on the answer to a request: add "call" (a tool) or "method"'],
    ['visible on a call', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: allowed, visible: [t] }\n`, 't.yaml:5:33: "visible" is checked on the tool list: put it in a case of its own, without "call" or "method"'],
    ['call and method', `${head}  - name: n\n    call: { tool: t }\n    method: prompts/get\n    expect: { verdict: allowed }\n`, 't.yaml:5:5: give either "call" (a tools/call) or "method" with "params", not both'],
    ['params without method', `${head}  - name: n\n    params: { a: 1 }\n    expect: { visible: [a] }\n`, 't.yaml:4:5: "params" belong to a request: add "method" (e.g. resources/read), or use "call" for a tool'],
    ['a rule without verdict blocked', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: unknown, rule: "tools.*" }\n`, 't.yaml:5:33: "rule" names the rules that refused the request: it goes with verdict: blocked'],
    ['an invalid rule glob', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: blocked, rule: "path.[x" }\n`, `t.yaml:5:39: invalid glob "path.[x": "[" is never closed (for a literal "[", write '\\[' in single quotes)`],
    ['redacted with nothing from the server', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: blocked, redacted: [k] }\n`, 't.yaml:5:33: "redacted" is checked in the server\'s answer, and with verdict: blocked the server never answers'],
    ['contains and notContains that contradict', `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: allowed, contains: Hello, notContains: ell }\n`, 't.yaml:5:50: contradicts "contains": text containing "Hello" always contains "ell"'],
    ['a tool both visible and hidden', `${head}  - name: n\n    expect: { visible: [a, b], hidden: [b] }\n`, 't.yaml:4:32: "b" cannot be both visible and hidden'],
    ['a case name used twice', `${head}  - name: n\n    expect: { visible: [a] }\n  - name: n\n    expect: { visible: [b] }\n`, 't.yaml:5:11: the case name "n" is already used by cases[0]'],
  ])('%s', (_, text, message) => {
    expect(errors(text)).toEqual([message]);
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = `${head}  - name: n\n    call: { tool: t }\n    expect: { verdict: unknown, rule: x }\n  - name: m\n    expect: {}\n`;
    expect(errors(text)).toEqual([
      't.yaml:5:33: "rule" names the rules that refused the request: it goes with verdict: blocked',
      't.yaml:7:5: nothing to check: give "visible" or "hidden" tools, or a "call" with a "verdict"',
    ]);
  });
});

describe('policies/test-schema.json', () => {
  it('is a valid draft-07 schema under strict mode', async () => {
    const { Ajv } = await import('ajv');
    const { readFileSync } = await import('node:fs');
    const { testSchemaPath } = await import('../../src/testing/schema-check.js');
    const schema = JSON.parse(readFileSync(testSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('accepts the example of issue 9 as written', () => {
    const example = `server: "npx -y @modelcontextprotocol/server-filesystem ./data"   # a command line, split like --server
# command: [node, server.js, --flag]                              # or an argv list
policy: ./fs.yaml          # relative to the test file; default: the shipped default policy
cwd: ./                    # optional, relative to the test file
env: { LOG_LEVEL: debug }  # optional, added to the environment
cases:
  - name: write tools are hidden
    expect: { visible: [read_text_file, list_directory], hidden: [write_file, edit_file] }
  - name: traversal is refused
    call: { tool: read_text_file, arguments: { path: ../../etc/passwd } }
    expect: { verdict: blocked, rule: "path.*" }
  - name: a hidden tool is answered as unknown
    call: { tool: write_file, arguments: { path: x.txt, content: y } }
    expect: { verdict: unknown }
  - name: a permitted read works
    call: { tool: read_text_file, arguments: { path: hello.txt } }
    expect: { verdict: allowed, contains: "Hello" }
  - name: keys come back redacted
    call: { tool: read_text_file, arguments: { path: notes.txt } }
    expect: { verdict: allowed, redacted: [aws-access-key-id], notContains: "AKIA" }
`;
    const { testFile, issues } = parseTestFile('/x/vanguard.test.yaml', example, none);
    expect(issues).toEqual([]);
    expect(testFile!.argv).toEqual(['npx', '-y', '@modelcontextprotocol/server-filesystem', './data']);
    expect(testFile!.cases).toHaveLength(5);
  });
});
