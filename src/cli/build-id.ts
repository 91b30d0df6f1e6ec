/**
 * Which build of Vanguard is running, for caches keyed by the code that fills them: the
 * version and a hash of dist, set by scripts/bundle-start.mjs in the bundle `start` runs.
 * Undefined elsewhere (the sources under vitest, tsc's unbundled output): no cache is used.
 */
declare const __VANGUARD_BUILD__: string | undefined;

/** The build's identity, or undefined when this code was not bundled. */
export const VANGUARD_BUILD: string | undefined = typeof __VANGUARD_BUILD__ === 'string' ? __VANGUARD_BUILD__ : undefined;
