import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Policy cache and approvals of the shims the tests start: a temporary folder (see the file).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
