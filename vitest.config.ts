import { configDefaults, defineConfig } from 'vitest/config';

// Files that must load the source fresh: they mock a module (vi.mock), which a module already
// loaded by an earlier file in the same worker would not see.
const FRESH_MODULES = ['test/cli/warm-up.test.ts'];

// VANGUARD_TEST_SHARED_MODULES=1 lets the test files of a worker share loaded modules (vitest's
// isolate off), apart from FRESH_MODULES: CI's Node 22 and 24 lines use it to spend less time
// importing. `npm test` keeps every file isolated.
const shared = process.env.VANGUARD_TEST_SHARED_MODULES === '1';
if (process.env.VANGUARD_TEST_SHARED_MODULES !== undefined && !['0', '1'].includes(process.env.VANGUARD_TEST_SHARED_MODULES)) {
  throw new Error(`VANGUARD_TEST_SHARED_MODULES must be 0 or 1, not ${JSON.stringify(process.env.VANGUARD_TEST_SHARED_MODULES)}`);
}

export default defineConfig({
  test: {
    // Policy cache and approvals of the shims the tests start: a temporary folder (see the file).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      // (Each project names its files: a project's include is added to one it extends.)
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FRESH_MODULES], isolate: !shared } },
      { extends: true, test: { name: 'fresh-modules', include: FRESH_MODULES, isolate: true } },
    ],
  },
});
