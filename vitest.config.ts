import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**', 'data/**', '.jupyter/**'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB uses both cores for each query; two test files at a time keeps the machine responsive.
    maxWorkers: 2,
  },
});
