import { describe, expect, it } from 'vitest';
import { learnFacts } from '../../src/learn/facts.js';
import { learnPolicy } from '../../src/learn/learn.js';
import { compilePolicy } from '../../src/config/compile.js';

const CTX = { cwd: '/srv/data', roots: [], home: '/home/me' };

describe('learn facts', () => {
  it('keeps paths, hosts, command words and statement kinds, never a secret', () => {
    const facts = learnFacts(
      {
        path: 'notes/a.txt',
        url: 'https://api.example.com/v1?token=abc',
        command: 'curl --token ghp_abcdefghijklmnopqrstuvwxyz0123456789 https://api.github.com/x | grep -i id',
        sql: 'select * from t',
        password: 'hunter2',
      },
      {},
      CTX,
    );
    expect(facts?.path?.paths).toEqual(['/srv/data/notes/a.txt']);
    expect(facts?.url).toMatchObject({ hosts: ['api.example.com'], schemes: ['https'] });
    expect(facts?.command?.commands).toEqual([[['curl', '--token', '[REDACTED]', 'https://api.github.com/x'], ['grep', '-i', 'id']]]);
    expect(facts?.command?.hosts).toEqual(['api.github.com']);
    expect(facts?.sql?.statements).toEqual(['select']);
    expect(JSON.stringify(facts)).not.toMatch(/hunter2|ghp_|abc/);
    expect(learnFacts({ command: 'git status && id > /tmp/x' }, {}, CTX)?.command?.shell).toEqual(['&&', '>']);
  });

  it('skips an argument whose name says secret on every call, not only the first (names are remembered)', () => {
    const names = ['password', 'apiKey', 'x-api-key', 'accessToken', 'author', 'pwd', 'path', 'url', 'text', 'auth', 'dbPwd', 'sessionId', 'tokens', 'max_tokens', `${'p'.repeat(200)}_password`, `${'a'.repeat(200)}`];
    // More names than are remembered, so answers are dropped and worked out again on the way.
    const fillers = Array.from({ length: 1500 }, (_, i) => (i % 2 === 0 ? `file${i}` : `secret${i}`));
    const first = names.map((name) => learnFacts({ [name]: 'https://example.com/x' }, {}, CTX));
    for (let round = 0; round < 3; round++) {
      for (const name of fillers) expect(learnFacts({ [name]: '/srv/data/y.txt' }, {}, CTX) === undefined).toBe(name.startsWith('secret'));
      expect(names.map((name) => learnFacts({ [name]: 'https://example.com/x' }, {}, CTX))).toEqual(first);
    }
    // The names a secret test turns down have no facts at all; the others keep their host.
    expect(first.map((facts) => facts === undefined)).toEqual([true, true, true, true, false, false, false, false, false, true, true, true, true, false, true, false]);
  });
});

const record = (tool: string, learn: unknown, verdict = 'forward') => ({ method: 'tools/call', tool, verdict, args: '[REDACTED]', detail: { learn } });

describe('learnPolicy', () => {
  it('allows exactly what was seen, folding paths to folders only where several files were seen', () => {
    const { policy, summary } = learnPolicy([
      record('read_text_file', { path: { paths: ['/srv/data/a.txt'] } }),
      record('read_text_file', { path: { paths: ['/srv/data/b.txt'] } }),
      record('read_text_file', { path: { paths: ['/srv/logs/x[1].log'] } }),
      record('run', { command: { commands: [[['git', 'status']], [['git', 'log', '[REDACTED]']]] } }),
      record('fetch', { url: { hosts: ['api.example.com'], schemes: ['https'] } }),
      record('write_file', { path: { paths: ['/etc/x'] } }, 'block'),
      { method: 'tools/call', tool: 'query', verdict: 'forward', args: 'sha256:00' },
    ]);
    expect(policy.tools?.allow).toEqual(['fetch', 'query', 'read_text_file', 'run']);
    expect(policy.arguments?.read_text_file?.constrain?.path?.paths).toEqual(['/srv/data/*', '/srv/logs/x\\[1\\].log']);
    expect(policy.arguments?.run?.constrain?.command?.commands).toEqual(['git log *', 'git status']);
    expect(policy.arguments?.fetch?.constrain?.url).toEqual({ hosts: ['api.example.com'], schemes: ['https'] });
    expect(summary.join('\n')).toMatch(/1 call\(s\) refused in the session were not learned/);
    expect(summary.join('\n')).toMatch(/query: allowed[\s\S]*no learnable facts/);
    expect(summary.join('\n')).toMatch(/secret-looking command word/);
    expect(learnPolicy([record('run', { command: { commands: [[['git', 'status'], ['id']]], shell: ['&&'] } })]).summary.join('\n')).toMatch(/used &&.*never allows/);
    const compiled = compilePolicy(policy, ['learned']);
    expect(compiled.constraints.check('read_text_file', { path: '/srv/data/c.txt' })).toBeUndefined();
    expect(compiled.constraints.check('read_text_file', { path: '/srv/data/sub/c.txt' })?.ruleId).toBe('constraint.path.paths');
    expect(compiled.constraints.check('read_text_file', { path: '/srv/logs/x1.log' })?.ruleId).toBe('constraint.path.paths');
    expect(compiled.toolVerdict('write_file').visible).toBe(false);
  });
});
