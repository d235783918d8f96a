import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests pin nginx to CPU 0 and the loader to CPU 1 and measure CPU per request:
    // two such files at once would share those cores and measure each other. One file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
