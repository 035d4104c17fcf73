import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,server,geodata,client}/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // One database for the whole run (a fresh PGlite + PostGIS costs ~15 s), started here.
    globalSetup: ['./test/global-setup.ts'],
    // The embedded database serialises every connection into one session; files take turns.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
