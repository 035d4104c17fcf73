import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,server,geodata,client}/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // One database for the whole run (a fresh PGlite + PostGIS costs ~15 s), started here.
    globalSetup: ['./test/global-setup.ts'],
    // The embedded database serialises every connection into one session; files take turns.
    fileParallelism: false,
    // The files run one after another in one process that keeps the modules it has loaded: each
    // file in a fresh process paid ~1.5–2.5 s of importing (240–275 s of a CI run's ~2,400 s),
    // and the browser tests share one server and one Chromium (e2e/support/app.ts). So a test
    // file leaves nothing behind: it closes its database pools and servers, puts back the locale,
    // timers, globals and environment variables it changed (test/leaves-nothing.ts checks the
    // variables and the locale), and mocks no module.
    isolate: false,
    setupFiles: ['./test/leaves-nothing.ts'],
    // deck.gl's layers load in Node only through Vite's transform: luma.gl imports a named export
    // of wgsl_reflect that Node's own ESM loader does not find (a CommonJS/ESM mismatch).
    server: { deps: { inline: [/wgsl_reflect/, /@luma\.gl/, /@deck\.gl/] } },
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
