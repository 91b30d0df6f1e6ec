/**
 * labelCall shares one frozen answer between the calls that say nothing, and reads every call
 * with one walk object (src/flow/call-labels.ts): nothing of one call may show in another's
 * labels, and the policy's own labels go on copies, never on the shared answer.
 */
import { describe, expect, it } from 'vitest';
import { labelCall, type LabelContext } from '../../src/flow/call-labels.js';
import { flowSession } from './session.js';

const ctx: LabelContext = { paths: { roots: ['/work/project'], deny: [], cwd: '/work/project', home: '/home/dev' }, hints: {}, namesWritten: () => undefined };
const labelsOf = (r: { record: { detail?: Record<string, unknown> } }) => ((r.record.detail?.flow as { labels?: string[] } | undefined)?.labels ?? []).slice().sort();

describe('label answers shared between calls', () => {
  it('a call that says nothing gets a frozen answer, the same for every such call', () => {
    const first = labelCall('echo', { text: 'hello' }, undefined, ctx);
    const second = labelCall('lookup', { q: 'weather' }, undefined, ctx);
    expect(second).toBe(first);
    expect(first).toEqual({ labels: [], resultLabels: [], writes: [], commands: [] });
    expect(Object.isFrozen(first) && Object.isFrozen(first.labels) && Object.isFrozen(first.resultLabels)).toBe(true);
  });

  it('what one call found (paths, commands, labels) is not carried into the next', () => {
    const write = labelCall('write_file', { path: 'notes/a.txt', content: 'x' }, undefined, ctx);
    expect(write.writes).toEqual(['/work/project/notes/a.txt']);
    expect(write.labels.map((l) => l.label)).toEqual(['write']);
    const run = labelCall('x', { command: 'ls -la' }, undefined, ctx);
    expect(run.commands).toEqual(['ls -la']);
    expect(run.writes).toEqual([]);
    const again = labelCall('write_file', { content: 'y' }, undefined, ctx);
    expect(again.writes).toEqual([]);
    expect(again.commands).toEqual([]);
    expect(labelCall('echo', { text: 'hello' }, undefined, ctx).labels).toEqual([]);
    // The earlier answers are left as they were.
    expect(write.writes).toEqual(['/work/project/notes/a.txt']);
    expect(run.commands).toEqual(['ls -la']);
  });

  it("the policy's labels for one tool do not stick to the shared answer of another", () => {
    // kb_notes says nothing of itself: its inferred answer is the shared one.
    expect(labelCall('kb_notes', { q: 'hello' }, undefined, ctx)).toBe(labelCall('echo', { text: 'hello' }, undefined, ctx));
    const s = flowSession({ flow: { labels: { 'kb_*': ['untrusted-source', 'egress'] }, rules: [] } });
    expect(labelsOf(s.call('kb_notes', { q: 'hello' }))).toEqual(['egress', 'untrusted-source']);
    expect(labelsOf(s.call('echo', { text: 'hello' }))).toEqual([]);
    expect(labelsOf(s.call('kb_notes', { q: 'hello' }))).toEqual(['egress', 'untrusted-source']);
    expect(labelCall('echo', { text: 'hello' }, undefined, ctx)).toEqual({ labels: [], resultLabels: [], writes: [], commands: [] });
  });
});
