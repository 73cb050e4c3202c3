import { defineConfig } from 'vitest/config';

// Tests of the local-service launchers (services/): real Postgres and Kafka processes.
// Run: npx vitest run --config vitest.services.config.ts
export default defineConfig({
  test: {
    include: ['test/services/**/*.test.ts'],
    // Child processes, not worker threads: the launchers tie each server's lifetime to the
    // thread that spawned it (PR_SET_PDEATHSIG), and a fork's main thread lives for the file.
    pool: 'forks',
    testTimeout: 60_000,
    // The first run downloads Kafka's jars and formats storage.
    hookTimeout: 240_000,
  },
});
