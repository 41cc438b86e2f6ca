import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['cases/**/*.test.ts'],
    // One native server for the whole run; each file opens its own PGlite and its own database.
    globalSetup: ['harness/global-setup.ts'],
    reporters: ['default', './harness/summary-reporter.ts'],
    // Files run in parallel (2 workers: the machine has 2 cores shared with other builds);
    // cases inside a file run in order on one connection, which the recovery cases rely on.
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    sequence: { concurrent: false },
    // Compiling PGlite's wasm and loading the bundle takes seconds, more on a busy machine.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
})
