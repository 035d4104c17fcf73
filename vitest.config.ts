import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,server,geodata,client}/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // One database for the whole run (a fresh PGlite + PostGIS costs ~15 s), started here.
    globalSetup: ['./test/global-setup.ts'],
    // The embedded database serialises every connection into one session; files take turns.
    fileParallelism: false,
    // deck.gl's layers load in Node only through Vite's transform: luma.gl imports a named export
    // of wgsl_reflect that Node's own ESM loader does not find (a CommonJS/ESM mismatch).
    server: { deps: { inline: [/wgsl_reflect/, /@luma\.gl/, /@deck\.gl/] } },
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
