/**
 * A budget's counts pass 2^30 (V8's small integers) on inputs of a few MiB. The first such
 * count must not change the hidden class that every budget shares: were it changed, every
 * optimised call path that had inlined spend() would be thrown away and compiled again, as it
 * was after the bench's 8 MiB results. Read in a real Node process through V8's own test
 * functions (--allow-natives-syntax), as test/rules/linear-regex-compile.test.ts reads the
 * regex tiers. The build under test is dist (npm test builds it first).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const budgetModule = JSON.stringify(path.join(root, 'dist', 'inspect', 'budget.js'));

// A budget used as a call's is (a small input, with and without the clock), then one for a
// large input whose limit and counts are past 2^30, then a new small one: do the first and the
// last share their hidden class? `kind` picks the class all three are made of.
function sameClassAfterLarge(kind: 'class' | 'plain'): { same: boolean; overBudget: boolean } {
  const script = `
    import { StepBudget, stepLimit } from ${budgetModule};
    // 'plain': a class of the same fields, all starting at 0, as StepBudget's did before.
    class Plain { limit = 0; spent = 0; nextClock = 1 << 24; deadline = Infinity; now = undefined; lastResortMs = 0;
      restart(limit, now, lastResortMs) { this.limit = limit; this.spent = 0; this.nextClock = 1 << 24; this.now = now; this.lastResortMs = lastResortMs; this.deadline = now ? now() + lastResortMs : Infinity; }
      spend(steps) { this.spent += steps; if (this.spent >= this.nextClock) this.nextClock = this.spent + (1 << 24); } }
    const make = () => ${kind === 'class' ? "new StepBudget('inspection')" : 'new Plain()'};
    const small = make();
    small.restart(stepLimit(30), undefined, 0);
    small.spend(12);
    small.restart(stepLimit(30), () => 1, 500);
    small.spend(12);
    const large = make();
    large.restart(stepLimit(8 << 20), () => 1, 30_000.5);
    let overBudget = false;
    try { large.spend(2 ** 31); large.spend(2 ** 31); } catch { overBudget = true; }
    const next = make();
    next.restart(stepLimit(30), undefined, 0);
    console.log(JSON.stringify({ same: %HaveSameMap(small, next), overBudget }));`;
  return JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim()) as { same: boolean; overBudget: boolean };
}

describe("a work budget's hidden class", () => {
  it('is the same before and after a budget whose counts pass 2^30', () => {
    // (2^32 steps is past an 8 MiB input's limit: the large budget was really used past 2^30.)
    expect(sameClassAfterLarge('class')).toEqual({ same: true, overBudget: true });
  });

  it('would not be with counts that start as small integers (the reading above can tell them apart)', () => {
    expect(sameClassAfterLarge('plain')).toEqual({ same: false, overBudget: false });
  });
});
