/**
 * Per-session and per-policy tables found again without a look-up for the last session or
 * policy (tool-annotations.ts, policy-paths.ts) give what the look-up gives: with two sessions
 * or policies in turn, a table made after a first read, and a policy changed in place.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/config/compile.js';
import { withDefaults } from '../../src/config/merge.js';
import type { CompiledPolicy } from '../../src/config/policy-types.js';
import { SessionState } from '../../src/engine/session.js';
import { annotationsOf, rememberAnnotations } from '../../src/engine/tool-annotations.js';
import { policyPaths } from '../../src/engine/policy-paths.js';

// The parts policyPaths reads, in an object that can be changed in place (a compiled policy is frozen).
const compiled = (cwd: string): CompiledPolicy => {
  const real = compilePolicy(withDefaults({}), ['test'], cwd, { realpath: () => undefined, home: '/home/dev', nowMs: () => 0 });
  return { inspection: { ...real.inspection, paths: real.inspection.paths }, constraints: { ...real.constraints } } as unknown as CompiledPolicy;
};

describe('tables found again for the last session or policy', () => {
  it('annotations: each session its own, a table made after a first read, in turn', () => {
    const a = new SessionState();
    const b = new SessionState();
    expect(annotationsOf(a, 'echo')).toBeUndefined();
    rememberAnnotations(a, 'echo', { readOnlyHint: true });
    expect(annotationsOf(a, 'echo')).toEqual({ readOnlyHint: true });
    expect(annotationsOf(b, 'echo')).toBeUndefined();
    rememberAnnotations(b, 'echo', { destructiveHint: true });
    for (let i = 0; i < 3; i++) {
      expect(annotationsOf(a, 'echo')).toEqual({ readOnlyHint: true });
      expect(annotationsOf(b, 'echo')).toEqual({ destructiveHint: true });
    }
    rememberAnnotations(a, 'echo', undefined);
    expect(annotationsOf(a, 'echo')).toBeUndefined();
    expect(annotationsOf(b, 'echo')).toEqual({ destructiveHint: true });
    expect(annotationsOf(b, 'other')).toBeUndefined();
  });

  it('policy paths: one object per policy, each its own, and read anew when changed in place', () => {
    const p = compiled('/work/one');
    const q = compiled('/work/two');
    const first = policyPaths(p);
    expect(policyPaths(p)).toBe(first);
    expect(policyPaths(q).cwd).toBe('/work/two');
    expect(policyPaths(p)).toBe(first);
    expect(first.cwd).toBe('/work/one');
    (p as { inspection: CompiledPolicy['inspection'] }).inspection = { ...p.inspection, paths: { ...p.inspection.paths, cwd: '/work/three' } };
    expect(policyPaths(p).cwd).toBe('/work/three');
    expect(policyPaths(p)).toBe(policyPaths(p));
    (p as { constraints: CompiledPolicy['constraints'] }).constraints = { ...p.constraints, home: '/home/other' };
    expect(policyPaths(p).home).toBe('/home/other');
    expect(policyPaths(q).cwd).toBe('/work/two');
  });
});
