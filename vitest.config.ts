import { defineConfig } from 'vitest/config';

/**
 * Three tiers, told apart by file name: `*.test.ts` unit (no network, no Debian programs, no
 * build: seconds, `npm run test:unit`), `*.int.test.ts` integration (an in-process broker on
 * loopback, Debian's Mosquitto or FluidSynth, the built services), `*.e2e.test.ts` and
 * `*.browser.test.ts` end to end (the Procfile under foreman, Chromium, the AVR toolchain).
 * `npm test` runs all three.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real brokers and processes on free loopback ports: files run in parallel,
    // tests inside a file one after another.
    fileParallelism: true,
    sequence: { concurrent: false },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts', 'test/**/*.browser.test.ts'],
        },
      },
      { extends: true, test: { name: 'integration', include: ['test/**/*.int.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.test.ts', 'test/**/*.browser.test.ts'] } },
    ],
  },
});
