/** What a tool's name says is read once per name and per path context: the cached answers are the ones read afresh. */
import { describe, expect, it } from 'vitest';
import { labelCall } from '../../src/flow/call-labels.js';
import { changesThings, dumpsSecrets, nameFacts, readsOpenWorld, runsCommands, sendsOut, toolWords } from '../../src/flow/tool-words.js';

const NAMES = ['read_file', 'write_file', 'gmail_send_message', 'get-env', 'printEnv', 'list_secrets', 'browser-navigate', 'search_files', 'web_search', 'run_python', 'exec', 'email', 'read_email', 'postgres_query', 'HTTPRequest', '', 'x'.repeat(300) + '_send', 'send_' + 'x'.repeat(300)];

describe('nameFacts', () => {
  it('gives the answers the word tests give, for every name, the first time and again', () => {
    for (let round = 0; round < 2; round++) {
      for (const name of NAMES) {
        const words = toolWords(name);
        const facts = nameFacts(name);
        expect([...facts.words]).toEqual([...words]);
        expect(facts).toMatchObject({ dumpsSecrets: dumpsSecrets(words), sendsOut: sendsOut(words), runsCommands: runsCommands(words), changesThings: changesThings(words), readsOpenWorld: readsOpenWorld(words) });
      }
    }
  });

  it('reads only the first 200 characters of a name, as toolWords does', () => {
    expect(nameFacts('x'.repeat(300) + '_send').sendsOut).toBe(false);
    expect(nameFacts('send_' + 'x'.repeat(300)).sendsOut).toBe(true);
  });
});

describe('label inference with the path context prepared once', () => {
  const base = { hints: {}, namesWritten: () => undefined };
  it('reads each context object by its own paths, however many calls came before', () => {
    const strict = { ...base, paths: { roots: [], deny: ['**/notes/**'], cwd: '/work', home: '/home/dev' } };
    const open = { ...base, paths: { roots: [], deny: [], cwd: '/work', home: '/home/dev' } };
    const call = (ctx: typeof strict) => labelCall('read_file', { path: '/work/notes/a.txt' }, undefined, ctx).labels.map((l) => l.label);
    for (let i = 0; i < 3; i++) {
      expect(call(strict)).toContain('sensitive-read');
      expect(call(open)).not.toContain('sensitive-read');
    }
  });
});

describe('policy labels by tool name, matched once per name', () => {
  it('gives each name the labels of every glob it matches, the first time and again, long names too', async () => {
    const { compileFlow } = await import('../../src/flow/compile.js');
    const flow = compileFlow({ labels: { 'mail_*': ['egress'], '*_send': ['egress', 'write'], fetch: ['untrusted-source'] } });
    const long = `mail_${'x'.repeat(400)}_send`;
    for (let round = 0; round < 3; round++) {
      expect([...flow.policyLabels('mail_send')].sort()).toEqual(['egress', 'write']);
      expect(flow.policyLabels('fetch')).toEqual(['untrusted-source']);
      expect(flow.policyLabels('read_file')).toEqual([]);
      expect([...flow.policyLabels(long)].sort()).toEqual(['egress', 'write']);
    }
    expect(Object.isFrozen(flow.policyLabels('mail_send'))).toBe(true);
    expect(compileFlow({}).policyLabels('anything')).toEqual([]);
  });
});
