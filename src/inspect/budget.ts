/**
 * The work budget of one inspection or result scan, counted in steps, not time: a step is
 * one character a pattern or detector reads (a regex run over a region costs the region's
 * length, a match its length, a detector the text it is given). The limit grows with the
 * input (a constant plus so many steps per character), so the same input always gets the
 * same verdict, however busy the machine is. Past the limit, the caller refuses (fail closed).
 *
 * A wall clock remains only as the last resort against a bug that spends time without
 * counting it: far away (LAST_RESORT_MS), and read once per CLOCK_EVERY_STEPS steps, so an
 * ordinary call never looks at it.
 */

/** Thrown when the work budget (or the last-resort clock) runs out; the caller refuses. */
export class OverBudget extends Error {}

/** Steps every inspection may take whatever its size. */
export const BUDGET_BASE_STEPS = 20_000_000;
/** Steps per character of input (measured need: see test/inspect/budget.test.ts). */
export const BUDGET_STEPS_PER_CHAR = 400;
/** The last resort: wall-clock time one inspection may take, whatever its budget says. */
export const LAST_RESORT_MS = 30_000;
/** The clock is read once per this many steps. */
export const CLOCK_EVERY_STEPS = 1 << 24;

/** The step limit for an input of `chars` characters. */
export function stepLimit(chars: number): number {
  return BUDGET_BASE_STEPS + BUDGET_STEPS_PER_CHAR * chars;
}

/** A step counter with its limit. */
export interface WorkBudget {
  /** Count `steps` of work about to be done; throws OverBudget past the limit. */
  spend(steps?: number): void;
  /** Steps counted so far. */
  used(): number;
  readonly limit: number;
}

/** A budget of `limit` steps for `what` ("inspection"), with the last-resort clock `now` if given,
 * read against `lastResortMs`. (Two arguments, not an object of them: the object the result
 * scan made per result had its hidden class replaced at the first 8 MiB result, as the
 * budget's own had; see StepBudget.) */
export function createWorkBudget(limit: number, what: string, now?: () => number, lastResortMs = 0): WorkBudget {
  const budget = new StepBudget(what);
  budget.restart(limit, now, lastResortMs);
  return budget;
}

/**
 * A WorkBudget that can be started again (restart), so that one kept by its owner serves
 * call after call: no budget, and no function for its `spend`, is made per call.
 */
export class StepBudget implements WorkBudget {
  // The counts start as -0, a number V8 keeps as a double, never as a small integer. An input
  // of a few MiB has a limit past 2^30 (V8's small integers), and a first such limit stored in
  // a field V8 had seen hold only small integers changed the field's representation: every
  // budget's hidden class was replaced, and every optimised call path that had inlined spend()
  // was thrown away, to be compiled again (V8's map and deopt logs of a shim given an 8 MiB
  // result; the CPU this costs was within the noise of the bench). restart() sets every count
  // before a budget is used.
  limit = -0;
  private spent = -0;
  private nextClock = -0;
  private deadline = Infinity;
  private now: (() => number) | undefined = undefined;
  private lastResortMs = -0;

  constructor(private readonly what: string) {}

  /** Count `steps`; throws OverBudget past the limit. (A function of its own: handed on, it reads no caller's `this`.) */
  readonly spend = (steps = 1): void => {
    this.spent += steps;
    if (this.spent > this.limit) throw new OverBudget(`${this.what} needed more than its work budget of ${this.limit} steps`);
    const now = this.now;
    if (now !== undefined && this.spent >= this.nextClock) {
      this.nextClock = this.spent + CLOCK_EVERY_STEPS;
      if (now() > this.deadline) throw new OverBudget(`${this.what} ran past its last-resort time limit of ${this.lastResortMs} ms`);
    }
  };

  used(): number {
    return this.spent;
  }

  /** Start again with nothing spent: `limit` steps, and `now` (if given) read against `lastResortMs` from now on. */
  restart(limit: number, now: (() => number) | undefined, lastResortMs: number): void {
    this.limit = limit;
    this.spent = 0;
    this.nextClock = CLOCK_EVERY_STEPS;
    this.now = now;
    this.lastResortMs = lastResortMs;
    this.deadline = now !== undefined ? now() + lastResortMs : Infinity;
  }

  /** Let go of the clock (kept by the owner between calls). */
  release(): void {
    this.now = undefined;
  }
}
