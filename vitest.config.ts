import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Unexpected console output is a bug somewhere: fail the run (BlockSuite does the same).
    onConsoleLog(log) {
      throw new Error(`unexpected console output: ${log}`);
    },
  },
});
