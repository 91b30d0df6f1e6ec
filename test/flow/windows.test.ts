/** `within` and burst windows on the injected clock, the three actions, monitor mode, policy labels, and a full memory failing closed. */
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/config/policy-types.js';
import { FLOW_LIMITS } from '../../src/flow/state.js';
import { flowSession } from './session.js';

const rule = (extra: Record<string, unknown>): PolicyDocument => ({ flow: { rules: [{ name: 'fetch-then-run', after: 'untrusted-source', then: 'exec', action: 'block', ...extra }] as never } });

describe('within', () => {
  it('fires inside the window, to the microsecond, and not after it', () => {
    const inside = flowSession(rule({ within: '10m' }));
    inside.call('fetch', { url: 'https://example.com/' });
    inside.advance(600);
    const run = inside.call('run_command', { command: 'ls' });
    expect(run.record.rules).toEqual(['flow.fetch-then-run']);
    expect(run.record.detail?.flow).toMatchObject({ within: '10m', after: { tool: 'fetch', agoMs: 600_000 } });

    const outside = flowSession(rule({ within: '10m' }));
    outside.call('fetch', { url: 'https://example.com/' });
    outside.advance(600.000001);
    expect(outside.call('run_command', { command: 'ls' }).refused).toBe(false);
  });

  it('the latest event counts: a second fetch restarts the window', () => {
    const s = flowSession(rule({ within: '1m' }));
    s.call('fetch', { url: 'https://example.com/a' });
    s.advance(50);
    s.call('fetch', { url: 'https://example.com/b' });
    s.advance(50);
    expect(s.call('run_command', { command: 'ls' }).text).toContain('"fetch" 50 s ago');
  });

  it('without within, any time in the session', () => {
    const s = flowSession(rule({}));
    s.call('fetch', { url: 'https://example.com/' });
    s.advance(86_400);
    expect(s.call('run_command', { command: 'ls' }).refused).toBe(true);
  });
});

describe('burst', () => {
  const doc: PolicyDocument = { flow: { rules: [], burst: { labels: ['exec', 'write'], max: 3, within: '1m', action: 'block' } } };

  it('refuses the call past max within the window, and allows again once it has passed', () => {
    const s = flowSession(doc);
    for (let i = 0; i < 3; i++) {
      expect(s.call('run_command', { command: `echo ${i}` }).refused).toBe(false);
      s.advance(10);
    }
    const fourth = s.call('write_file', { path: 'a.txt', content: 'x' });
    expect(fourth.refused).toBe(true);
    expect(fourth.record.rules).toEqual(['flow.burst']);
    expect(fourth.record.detail?.flow).toMatchObject({ count: 4, max: 3, within: '1m' });
    // The first call is now 60 s old: still inside; one more second and it is out.
    s.advance(30);
    expect(s.call('run_command', { command: 'echo 4' }).refused).toBe(true);
    s.advance(1);
    expect(s.call('run_command', { command: 'echo 5' }).refused).toBe(false);
  });

  it('calls without the burst labels do not count', () => {
    const s = flowSession(doc);
    for (let i = 0; i < 10; i++) expect(s.call('read_file', { path: `f${i}.txt` }).refused).toBe(false);
    expect(s.call('run_command', { command: 'ls' }).refused).toBe(false);
  });
});

describe('actions', () => {
  it('warn forwards the call and names the rule in the record', () => {
    const s = flowSession(rule({ action: 'warn' }));
    s.call('fetch', { url: 'https://example.com/' });
    const run = s.call('run_command', { command: 'ls' });
    expect(run.refused).toBe(false);
    expect(run.record.verdict).toBe('forward');
    expect(run.record.rules).toContain('flow.fetch-then-run');
    expect(run.record.detail?.flow).toMatchObject({ after: { tool: 'fetch', label: 'untrusted-source' } });
  });

  it('ask refuses (until approvals exist) with the rule id and a reason asking for approval; block without', () => {
    const asked = flowSession(rule({ action: 'ask' }));
    asked.call('fetch', { url: 'https://example.com/' });
    const a = asked.call('run_command', { command: 'ls' });
    expect(a.refused).toBe(true);
    expect(a.text).toContain('rule flow.fetch-then-run');
    expect(a.text).toContain("needs a person's approval");
    const blocked = flowSession(rule({ action: 'block', reason: 'commands wait until the page is reviewed' }));
    blocked.call('fetch', { url: 'https://example.com/' });
    const b = blocked.call('run_command', { command: 'ls' });
    expect(b.text).toContain('commands wait until the page is reviewed');
    expect(b.text).not.toContain('approval');
  });

  it('monitor mode forwards and records would-block', () => {
    const s = flowSession({ ...rule({}), mode: 'monitor' });
    s.call('fetch', { url: 'https://example.com/' });
    const run = s.call('run_command', { command: 'ls' });
    expect(run.refused).toBe(false);
    expect(run.record).toMatchObject({ verdict: 'would-block', rules: ['flow.fetch-then-run'] });
  });

  it('the strongest of several firing rules wins', () => {
    const s = flowSession({
      flow: {
        rules: [
          { name: 'a', after: 'untrusted-source', then: 'exec', action: 'warn' },
          { name: 'b', after: 'egress', then: 'exec', action: 'block' },
        ],
      },
    });
    s.call('fetch', { url: 'https://example.com/' });
    expect(s.call('run_command', { command: 'ls' }).record.rules).toEqual(['flow.b']);
  });
});

describe('the policy\'s own labels', () => {
  it('flow.labels adds labels by tool glob; untrusted-source also on the result', () => {
    const s = flowSession({ flow: { labels: { 'kb_*': ['untrusted-source'] }, rules: [{ after: 'untrusted-source', then: 'exec', action: 'block' }] } });
    const lookup = s.call('kb_lookup', { q: 'x' });
    expect(lookup.record.detail?.flow).toEqual({ labels: ['untrusted-source'] });
    const run = s.call('run_command', { command: 'ls' });
    expect(run.record.rules).toEqual(['flow.untrusted-source-then-exec']);
    expect(run.text).toContain('flow.labels gives "kb_lookup" this label');
  });
});

describe('bounded memory', () => {
  it('a label that does not fit fails closed: calls the rules cover are refused from then on', () => {
    const many = Array.from({ length: FLOW_LIMITS.labels + 1 }, (_, i) => `l${i}`);
    const s = flowSession({ flow: { labels: { 'tag_all': many }, rules: [{ after: 'untrusted-source', then: 'exec', action: 'warn' }] } });
    expect(s.call('tag_all').refused).toBe(false);
    const run = s.call('run_command', { command: 'ls' });
    expect(run.refused).toBe(true);
    expect(run.record.rules).toEqual(['flow.state-full']);
    // A call no rule covers still goes through.
    expect(s.call('read_file', { path: 'README.md' }).refused).toBe(false);
  });

  it('more written files than remembered: every command counts as naming one', () => {
    const s = flowSession({ flow: { rules: [{ after: 'write', then: 'exec-written', action: 'block' }], burst: 'off' } });
    for (let i = 0; i <= FLOW_LIMITS.written; i++) s.call('write_file', { path: `out/f${i}.txt`, content: 'x' });
    const run = s.call('run_command', { command: 'npm test' });
    expect(run.record.rules).toEqual(['flow.write-then-exec-written']);
    expect(run.text).toContain('more files were written than Vanguard remembers');
  });
});
