/**
 * How much of the suite's long generated and repeated checks to run: VANGUARD_TEST_SCALE, a
 * fraction in (0, 1]; 1 (all of it) unless set. `npm test` runs all of it. CI runs the suite again
 * on Node 22 and 24 (.ci/run) with a quarter of the runs of most properties and of the items of
 * the longest corpus loops (their hand-written cases kept whole; the rule examples of
 * test/inspect/quiet-values-equivalence.test.ts are scaled too), so that three Node lines fit its
 * time on a slow machine. Two seeded differentials run fewer of their seeds there
 * (test/engine/id-table.test.ts, pending-set-request.test.ts), and the slow-client fault test repeats
 * fewer runs (test/e2e/slow-client.test.ts). A property whose count of an
 * outcome would sit near its threshold at fewer runs is not scaled.
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
 * Every item of `items` at full scale; else `scaled(items.length, least)` of them, spread evenly
 * from the first (the j-th taken is the one at floor(j * length / count)), in order.
 */
export function scaledItems<T>(items: readonly T[], least = 1): T[] {
  const count = scaled(items.length, least);
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, j) => items[Math.floor((j * items.length) / count)] as T);
}
