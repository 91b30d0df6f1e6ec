/** The starter file of `vanguard test --init`: valid as written, whatever the tools are called. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderStarterFile } from '../../src/testing/init.js';
import { parseTestFile } from '../../src/testing/load.js';

const tool = (name: string, properties: Record<string, unknown> = {}, required: string[] = []) => ({ name, inputSchema: { type: 'object', properties, required } });

describe('renderStarterFile', () => {
  const odd = ['read_file', 'true', 'a: b', '#x', 'line\nbreak', "it's \"quoted\"", '01', '-dash', '[x]'];

  it('writes a file that loads with no issue and lists every tool as named, however odd', () => {
    const text = renderStarterFile({ server: { argv: ['node', 'my server.js', '--flag', 'yes'] }, policy: '../fs.yaml', cwd: '..', tools: odd.map((n) => tool(n)), hidden: ['write_file', 'no'] });
    const { testFile, issues } = parseTestFile('/x/t.yaml', text, { exists: () => true });
    expect(issues).toEqual([]);
    expect(testFile!.argv).toEqual(['node', 'my server.js', '--flag', 'yes']);
    expect(testFile!.policy).toBe('/fs.yaml');
    expect(testFile!.cwd).toBe('/');
    expect(testFile!.cases).toEqual([{ name: 'the tool list is as reviewed', index: 0, expect: { visible: odd, hidden: ['no', 'write_file'] } }]);
  });

  it('keeps a --server line as a line, and leaves policy and cwd out when not given', () => {
    const text = renderStarterFile({ server: { line: 'npx -y "@scope/server" ./data' }, tools: [tool('a')], hidden: [] });
    const data = parse(text) as Record<string, unknown>;
    expect(data.server).toBe('npx -y "@scope/server" ./data');
    expect(Object.keys(data)).toEqual(['server', 'cases']);
    expect(text).not.toContain('hidden:');
  });

  it('comments one call per tool, with a placeholder of the right type per required argument; uncommented, each loads', () => {
    const tools = [tool('read', { path: { type: 'string' }, n: { type: 'integer' }, all: { type: 'boolean' }, paths: { type: 'array' }, opts: { type: 'object' }, x: {} }, ['path', 'n', 'all', 'paths', 'opts', 'x']), tool('ping')];
    const text = renderStarterFile({ server: { argv: ['s'] }, tools, hidden: [] });
    expect(text).toContain('  #   call: { tool: read, arguments: { path: "", "n": 0, all: false, paths: [], opts: {}, x: "" } }');
    expect(text).toContain('  #   call: { tool: ping, arguments: {} }');
    const uncommented = text.replace(/^ {2}# (?=- name:| {2}call:| {2}expect:)/gm, '  ');
    const { testFile, issues } = parseTestFile('/x/t.yaml', uncommented, { exists: () => false });
    expect(issues).toEqual([]);
    expect(testFile!.cases.map((c) => c.request?.params)).toEqual([
      undefined,
      { name: 'read', arguments: { path: '', n: 0, all: false, paths: [], opts: {}, x: '' } },
      { name: 'ping', arguments: {} },
    ]);
  });
});
