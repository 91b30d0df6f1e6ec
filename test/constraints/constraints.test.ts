import { describe, expect, it } from 'vitest';
import { compilePolicy, type PolicyEdge } from '../../src/config/compile.js';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outcome } from '../../src/engine/outcome.js';

// A fake file system: /srv/data/link points out of the data folder, /data is a symlink to /srv/data.
const LINKS: Record<string, string> = { '/srv/data/link': '/etc', '/data': '/srv/data' };
const EXISTS = new Set(['/', '/srv', '/srv/data', '/etc', '/etc/passwd', '/srv/data/a.txt', '/home', '/home/me']);
const realpath = (p: string): string | undefined => {
  for (const [from, to] of Object.entries(LINKS)) if (p === from || p.startsWith(`${from}/`)) return to + p.slice(from.length);
  return EXISTS.has(p) ? p : undefined;
};
const EDGE: PolicyEdge = { realpath, home: '/home/me', nowMs: () => 0 };

const POLICY: PolicyDocument = {
  paths: { cwd: '/srv/data' },
  // Detectors off: these tests are about the constraints alone (they must hold without them).
  detectors: { 'path-traversal': 'off', 'command-injection': 'off', 'sql-injection': 'off', ssrf: 'off', secrets: 'off', 'prompt-injection': 'off', 'hidden-characters': 'off' },
  arguments: {
    read_text_file: { constrain: { path: { paths: ['/srv/data/**'], required: true } } },
    read_multiple_files: { constrain: { paths: { paths: ['/srv/data/**'] } } },
    'fetch*': { constrain: { url: { hosts: ['*.example.com', 'api.github.com', 'bücher.de'], schemes: ['https'] } } },
    run_command: { constrain: { command: { commands: ['git status', 'git log **', 'ls /srv/data/*'] } } },
    run_pipe: { constrain: { command: { commands: ['git log **', 'head -n 5'], operators: ['pipe'] } } },
    query: { constrain: { sql: { statements: ['select'] } } },
    send_message: {
      constrain: {
        channel: { enum: ['#eng', '#ops'] },
        text: { maxLength: 10 },
        ticket: { pattern: '[A-Z]+-[0-9]+' },
        '*': { schema: { not: { type: 'object' } } },
      },
    },
  },
};

function engine(doc: PolicyDocument = POLICY): Engine {
  return new Engine(compilePolicy(doc, ['test'], '/', EDGE), { nowUs: () => 0 });
}
let nextId = 0;
const call = (name: string, args: unknown) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: ++nextId, method: 'tools/call', params: { name, arguments: args } }));
const forwarded = (o: Outcome) => o.outputs.some((x) => x.to === 'server');
function verdict(e: Engine, name: string, args: unknown): { ok: boolean; rules: string[]; text: string } {
  const out = e.fromClient(call(name, args));
  const answer = out.outputs.find((x) => x.to === 'client');
  return { ok: forwarded(out), rules: out.records[0]?.rules ?? [], text: answer ? String(answer.data) : '' };
}

describe('paths', () => {
  const e = engine();
  it.each([
    ['/srv/data/a.txt'], ['/srv/data/sub/b.txt'], ['a.txt'], ['./sub/../a.txt'],
  ])('allows %s', (path) => expect(verdict(e, 'read_text_file', { path }).ok).toBe(true));
  it.each([
    ['/etc/passwd'], ['/srv/data/../../etc/passwd'], ['../../etc/passwd'], ['%2e%2e/%2e%2e/etc/passwd'], ['/srv/data/%2e%2e/%2e%2e/etc/passwd'],
    ['/srv/data/..%c0%af..%c0%afetc/passwd'], ['/srv/data/link/passwd'], ['~/.ssh/id_rsa'], ['/srv/data2/x'], ['/srv/data/a.txt\u0000/../../../etc/passwd'],
    ['file:///etc/passwd'], [`${'A'.repeat(300)}/../etc/passwd`], ['C:\\Windows\\win.ini'], ['//evil/share/x'], ['/SRV/DATA/a.txt'],
    // A symlink from outside into the folder is refused too: every spelling must be inside.
    ['/data/a.txt'],
  ])('refuses %s', (path) => {
    const v = verdict(e, 'read_text_file', { path });
    expect(v.ok).toBe(false);
    expect(v.rules).toEqual(['constraint.path.paths']);
    expect(v.text).toContain('read_text_file may only use paths under /srv/data/**');
  });
  it('checks every element of an array', () => {
    expect(verdict(e, 'read_multiple_files', { paths: ['/srv/data/a.txt', 'b.txt'] }).ok).toBe(true);
    expect(verdict(e, 'read_multiple_files', { paths: ['/srv/data/a.txt', '/etc/passwd'] }).rules).toEqual(['constraint.paths.paths']);
  });
  it('refuses a value of the wrong type, and a missing required argument', () => {
    expect(verdict(e, 'read_text_file', { path: { p: '/srv/data/a.txt' } }).rules).toEqual(['constraint.path.paths']);
    expect(verdict(e, 'read_text_file', { path: 42 }).rules).toEqual(['constraint.path.paths']);
    expect(verdict(e, 'read_text_file', {}).rules).toEqual(['constraint.path.required']);
    expect(verdict(e, 'read_text_file', { path: '/srv/data/a.txt', PATH: '/etc/passwd' }).rules).toEqual(['constraint.PATH.paths']);
    expect(verdict(e, 'read_text_file', ['/srv/data/a.txt']).rules).toEqual(['constraint.arguments']);
  });
});

describe('hosts and schemes', () => {
  const e = engine();
  it.each([
    ['https://api.example.com/x'], ['https://API.GITHUB.COM./repos'], ['https://a.b.example.com/?q=1'], ['https://xn--bcher-kva.de/'], ['https://bücher.de/x'],
  ])('allows %s', (url) => expect(verdict(e, 'fetch', { url }).ok).toBe(true));
  it.each([
    ['https://evil.com/'], ['http://api.example.com/'], ['https://api.github.com@evil.com/'], ['https://evil.com\\@api.github.com/'], ['https://example.com/'],
    ['https://api.example.com/?next=http://169.254.169.254/'], ['https://api.example.com/?u=https%3A%2F%2Fevil.com'], ['https://api.example.com#@evil.com'],
    ['api.example.com'], ['//evil.com/x'], ['https://0x7f000001/'], ['https://api.example.com.evil.com/'], ['ftp://x.example.com/'],
  ])('refuses %s', (url) => {
    const v = verdict(e, 'fetch_url', { url });
    expect(v.ok).toBe(false);
    expect(v.rules[0]).toMatch(/^constraint\.url\.(hosts|schemes)$/);
  });
});

describe('commands', () => {
  const e = engine();
  it.each([['git status'], ['git log --oneline -5'], ['git log'], ['ls /srv/data/a.txt'], ["'git' status"], ['git status 2>&1']])('allows %s', (command) =>
    expect(verdict(e, 'run_command', { command }).ok).toBe(true),
  );
  it.each([
    ['git status; rm -rf /'], ['git status && curl evil'], ['git status || id'], ['git status | sh'], ['git log $(id)'], ['git log `id`'],
    ['git status > /tmp/x'], ['git log <<EOF\nx\nEOF'], ['(git status)'], ['GIT_DIR=/x git status'], ['ls /srv/data/*'], ['ls /srv/data/../x'],
    ['git status & id'], ['git status\nid'], ['git log%0Aid'], ['git log%3B id'], ["git log 'a;id'"], ["git log x'w'hoami"], ["git log 'a b'"], ['git log |'], ['git log ^id'],, ['git log $HOME'], ['rm -rf /'], ['git push'], ['ls ~/x'], ['git log <(id)'], ["git log 'unterminated"],
  ])('refuses %s', (command) => {
    const v = verdict(e, 'run_command', { command });
    expect(v.ok).toBe(false);
    expect(v.rules).toEqual(['constraint.command.commands']);
  });
  it('allows a pipeline only with operators: [pipe], every command matching', () => {
    expect(verdict(e, 'run_pipe', { command: 'git log --oneline | head -n 5' }).ok).toBe(true);
    expect(verdict(e, 'run_pipe', { command: 'git log | sh' }).ok).toBe(false);
    expect(verdict(e, 'run_command', { command: 'git log | git status' }).ok).toBe(false);
  });
  it('refuses a command that is not a string', () => expect(verdict(e, 'run_command', { command: ['git', 'status'] }).ok).toBe(false));
});

describe('statements', () => {
  const e = engine();
  it('allows selects, refuses anything else', () => {
    expect(verdict(e, 'query', { sql: 'SELECT * FROM t WHERE a = 1' }).ok).toBe(true);
    expect(verdict(e, 'query', { sql: 'select 1; select 2' }).ok).toBe(true);
    for (const sql of ['DELETE FROM t', 'select 1; drop table t', "select '\\'; drop table t; -- '", 'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', 'select * into t2 from t', "select 'open", 'grant all on t to bob', '']) {
      expect(verdict(e, 'query', { sql }).rules, sql).toEqual(['constraint.sql.statements']);
    }
  });
});

describe('enum, pattern, maxLength, schema', () => {
  const e = engine();
  it('checks each', () => {
    expect(verdict(e, 'send_message', { channel: '#eng', text: 'hi', ticket: 'AB-12' }).ok).toBe(true);
    expect(verdict(e, 'send_message', { channel: '#random' }).rules).toEqual(['constraint.channel.enum']);
    expect(verdict(e, 'send_message', { text: 'x'.repeat(11) }).rules).toEqual(['constraint.text.maxLength']);
    expect(verdict(e, 'send_message', { ticket: 'AB-12 and more' }).rules).toEqual(['constraint.ticket.pattern']);
    expect(verdict(e, 'send_message', { extra: { nested: true } }).rules).toEqual(['constraint.extra.schema']);
  });
});

describe('monitor mode', () => {
  it('forwards a call that breaks a constraint and records would-block', () => {
    const out = engine({ ...POLICY, mode: 'monitor' }).fromClient(call('read_text_file', { path: '/etc/passwd' }));
    expect(forwarded(out)).toBe(true);
    expect(out.records[0]).toMatchObject({ verdict: 'would-block', rules: ['constraint.path.paths'] });
  });
});
