/**
 * How much of the suite's long generated and repeated checks to run: VANGUARD_TEST_SCALE, a
 * fraction in (0, 1]; 1 (all of it) unless set. `npm test` runs all of it. CI runs the suite again
 * on Node 22 and 24 (.ci/run) with a quarter of each property's runs and of the longest
 * corpus-wide loops, so that three full Node lines fit its time on a slow machine: what differs
 * between Node lines is met by every test there, only with fewer generated cases.
 */
function scaleFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) throw new Error(`VANGUARD_TEST_SCALE must be a number in (0, 1], not ${JSON.stringify(value)}`);
  return scale;
}

/** The fraction of each long check that runs (see the file comment). */
export const TEST_SCALE = scaleFromEnv(process.env.VANGUARD_TEST_SCALE);

/** `n` runs or cases at TEST_SCALE: at least `least` (1), at most `n`. */
export function scaled(n: number, least = 1): number {
  return Math.min(n, Math.max(least, Math.ceil(n * TEST_SCALE)));
}

/**
 * Every item of `items` at full scale; else an evenly spread share of them (every k-th, from
 * the first), never fewer than `least`, so that a loop over a corpus keeps its first and its
 * spread.
 */
export function scaledItems<T>(items: readonly T[], least = 1): T[] {
  if (TEST_SCALE === 1 || items.length <= least) return [...items];
  const step = Math.max(1, Math.floor(items.length / Math.max(least, Math.ceil(items.length * TEST_SCALE))));
  return items.filter((_, i) => i % step === 0);
}
