import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    // Tests spawn the CLI and build into temporary folders; two workers fit the 2-core machines.
    maxWorkers: 2,
  },
});
