import { configDefaults, defineConfig } from 'vitest/config';

// Files that need a worker of their own, whatever the setting below: each runs in a fresh
// process, as every file does under `npm test`.
const ISOLATED_FILES = [
  // It mocks a module (vi.mock), which a module already loaded by an earlier file would not see.
  'test/cli/warm-up.test.ts',
  // It reads the worker's own young generation, which earlier files can have grown (Node 24
  // grows it a page at a time: 128 MiB after the shared files of one worker).
  'test/proxy/large-frames.test.ts',
  // It turns off V8's compilation cache for the whole process it runs in.
  'test/cli/start-loader.test.ts',
];

// VANGUARD_TEST_SHARED_MODULES=1 lets the test files of a worker share loaded modules (vitest's
// isolate off), apart from ISOLATED_FILES, which then run as a project of their own: CI's Node 22
// and 24 lines set it. Unset, as `npm test` runs, the suite is one project, every file isolated.
const shared = process.env.VANGUARD_TEST_SHARED_MODULES === '1';
if (process.env.VANGUARD_TEST_SHARED_MODULES !== undefined && !['0', '1'].includes(process.env.VANGUARD_TEST_SHARED_MODULES)) {
  throw new Error(`VANGUARD_TEST_SHARED_MODULES must be 0 or 1, not ${JSON.stringify(process.env.VANGUARD_TEST_SHARED_MODULES)}`);
}
const ALL_FILES = ['test/**/*.test.ts'];

export default defineConfig({
  test: {
    // Policy cache and approvals of the shims the tests start: a temporary folder (see the file).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // (Each project names its files: a project's include is added to one it extends. Projects
    // only when shared: each also runs the global setup again.)
    ...(shared
      ? {
          projects: [
            { extends: true, test: { name: 'main', include: ALL_FILES, exclude: [...configDefaults.exclude, ...ISOLATED_FILES], isolate: false } },
            { extends: true, test: { name: 'isolated', include: ISOLATED_FILES, isolate: true } },
          ],
        }
      : { include: ALL_FILES }),
  },
});
