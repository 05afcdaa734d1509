import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real brokers and processes on free loopback ports: files run in parallel,
    // tests inside a file one after another.
    fileParallelism: true,
    sequence: { concurrent: false },
  },
});
