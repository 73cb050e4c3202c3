import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // Route handlers import 'server-only' to keep secrets out of client bundles; tests are server side.
      'server-only': path.resolve(import.meta.dirname, 'test/support/server-only-stub.ts'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // One real Kafka broker and two cores: files run one after another, each with its own
    // database and engine, so timings stay honest.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
