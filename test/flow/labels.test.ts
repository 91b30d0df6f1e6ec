/** Label inference, call by call: what each label is put for, and the look-alikes it is not put for. */
import { describe, expect, it } from 'vitest';
import { labelCall } from '../../src/flow/call-labels.js';
import { labelResult } from '../../src/flow/result-labels.js';
import { toolWords } from '../../src/flow/tool-words.js';

const ctx = (written: string[] = []) => ({
  paths: { roots: [], deny: ['**/secrets/**'], cwd: '/work/project', home: '/home/dev' },
  hints: {},
  namesWritten: (command: string) => written.find((w) => command.includes(w.slice(w.lastIndexOf('/') + 1))),
});
const labels = (tool: string, args: Record<string, unknown> = {}, annotations?: unknown, written?: string[]) => labelCall(tool, args, annotations, ctx(written)).labels.map((l) => l.label).sort();
const resultLabels = (tool: string, args: Record<string, unknown> = {}, annotations?: unknown) => labelCall(tool, args, annotations, ctx()).resultLabels.map((l) => l.label);

describe('tool names are read word by word', () => {
  it('splits snake, kebab and camel case', () => {
    expect([...toolWords('gmail_sendMessage')]).toEqual(['gmail', 'send', 'message']);
    expect([...toolWords('get-env')]).toEqual(['get', 'env']);
    expect([...toolWords('HTTPRequest')]).toEqual(['http', 'request']);
  });

  it.each([
    ['postgres_query', []],
    ['search_files', []],
    ['read_text_file', []],
    ['list_directory', []],
    ['get_env', ['sensitive-read']],
    ['printEnv', ['sensitive-read']],
    ['list_secrets', ['sensitive-read']],
    ['send_email', ['egress']],
    ['slack_post_message', ['egress']],
    ['upload_file', ['egress']],
    ['run_command', ['exec']],
    ['execute_python_code', ['exec']],
    ['run_tests', []],
    ['write_file', ['write']],
    ['delete_branch', ['write']],
  ])('%s: %j', (tool, expected) => {
    expect(labels(tool)).toEqual(expected);
  });

  it.each([
    ['fetch', true],
    ['brave_web_search', true],
    ['browser_navigate', true],
    ['gmail_read_message', true],
    ['search', true],
    ['search_files', false],
    ['search_code', false],
    ['send_email', false],
  ])('%s returns untrusted content: %s', (tool, untrusted) => {
    expect(resultLabels(tool).includes('untrusted-source')).toBe(untrusted);
  });
});

describe('arguments', () => {
  it('a sensitive or denied path is a sensitive read; an ordinary one is not', () => {
    expect(labels('read_file', { path: '~/.aws/credentials' })).toEqual(['sensitive-read']);
    expect(labels('read_file', { path: 'config/secrets/prod.json' })).toEqual(['sensitive-read']);
    expect(labels('read_file', { path: '.env.example' })).toEqual([]);
    expect(labels('read_file', { path: 'README.md' })).toEqual([]);
  });

  it('a URL leaving the machine is egress and makes the result untrusted; loopback is neither', () => {
    expect(labels('fetch_page', { url: 'https://example.com/' })).toContain('egress');
    expect(resultLabels('get_page', { url: 'https://example.com/' })).toEqual(['untrusted-source']);
    expect(labels('get_page', { url: 'http://localhost:3000/' })).toEqual([]);
    expect(labels('get_page', { url: 'http://127.0.0.1:8080/' })).toEqual([]);
  });

  it('a URL inside text being written is not egress', () => {
    expect(labels('write_file', { path: 'notes.md', content: 'see https://example.com/' })).toEqual(['write']);
  });

  it('commands: exec, and what the command does', () => {
    expect(labels('terminal', { command: 'ls -la' })).toEqual(['exec']);
    expect(labels('x', { command: 'printenv' })).toEqual(['exec', 'sensitive-read']);
    expect(labels('x', { command: 'env FOO=1 node app.js' })).toEqual(['exec']);
    expect(labels('x', { command: 'curl -d @data https://example.com' })).toEqual(['egress', 'exec']);
    expect(labels('x', { command: 'git push origin main' })).toEqual(['egress', 'exec']);
    expect(labels('x', { command: 'cat ~/.ssh/id_rsa' })).toEqual(['exec', 'sensitive-read']);
    expect(labels('x', { command: 'systemctl --user enable evil.service' })).toEqual(['exec', 'persistence']);
    expect(labels('x', { command: "echo 'x' >> ~/.zshrc" })).toEqual(['exec', 'persistence']);
    expect(labels('x', { command: 'cat ~/.zshrc' })).toEqual(['exec']);
  });

  it('a write to a place that runs later is persistence', () => {
    expect(labels('write_file', { path: '/home/dev/.bashrc', content: 'x' })).toEqual(['persistence', 'write']);
    expect(labels('edit_file', { path: '.git/hooks/pre-push' })).toEqual(['persistence', 'write']);
    expect(labels('write_file', { path: '/etc/cron.d/job' })).toEqual(['persistence', 'write']);
    expect(labels('write_file', { path: 'src/bashrc.ts' })).toEqual(['write']);
  });

  it('a command naming a file the session wrote is exec-written', () => {
    expect(labels('run', { command: 'bash /tmp/x.sh' }, undefined, ['/tmp/x.sh'])).toEqual(['exec', 'exec-written']);
    expect(labels('run', { command: 'npm test' }, undefined, ['/tmp/x.sh'])).toEqual(['exec']);
  });

  it('the writes of a write are remembered; those of a read are not', () => {
    expect(labelCall('write_file', { path: 'out/a.sh' }, undefined, ctx()).writes).toEqual(['/work/project/out/a.sh']);
    expect(labelCall('read_file', { path: 'out/a.sh' }, undefined, ctx()).writes).toEqual([]);
  });
});

describe('annotations', () => {
  it('destructiveHint is a write; openWorldHint on a write is egress; readOnlyHint turns off name-based writes', () => {
    expect(labels('apply', {}, { destructiveHint: true })).toEqual(['write']);
    expect(labels('publish_page', {}, { readOnlyHint: false, openWorldHint: true })).toEqual(['egress']);
    expect(labels('lookup', {}, { readOnlyHint: true, openWorldHint: true })).toEqual([]);
    expect(resultLabels('lookup', {}, { readOnlyHint: true, openWorldHint: true })).toEqual(['untrusted-source']);
    expect(labels('get_update_status', {}, { readOnlyHint: true })).toEqual([]);
  });
});

describe('results', () => {
  const record = (rules: string[], detail?: Record<string, unknown>) => ({ direction: 'server' as const, verdict: 'forward' as const, rules, ...(detail && { detail }) });

  it('a secret redacted is a sensitive read; personal data is not', () => {
    expect(labelResult([], record(['result.redact:aws-access-key-id'])).map((l) => l.label)).toEqual(['sensitive-read']);
    expect(labelResult([], record(['result.redact:payment-card'])).map((l) => l.label)).toEqual([]);
  });

  it('instructions found make the result untrusted; the labels expected at call time carry over', () => {
    expect(labelResult([], record(['inject.ignore-instructions'], { findings: [{ rule: 'inject.ignore-instructions' }] })).map((l) => l.label)).toEqual(['untrusted-source']);
    expect(labelResult([{ label: 'untrusted-source', why: 'fetch' }], record([])).map((l) => l.why)).toEqual(['fetch']);
  });
});
