import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The production client is served by the API server (one port, default 8080);
// in dev, Vite serves the client and forwards /api to that server.
const apiTarget = process.env.GRID_ATLAS_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  // vue-i18n's compile-time flags: the Composition API only (no legacy API), no devtools hook in
  // production. Its messages compile just in time into an AST, never with eval, so the server's
  // Content-Security-Policy needs no 'unsafe-eval'.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // maplibre-gl and deck.gl are large by nature; split them so the app chunk stays small
    // and the warning threshold reflects what we actually control.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      onwarn(warning, warn) {
        // loaders.gl (pulled in by deck.gl) has a Node-only child-process helper that browsers never
        // reach; Vite stubs 'child_process' and the bundler reports the missing export. Harmless.
        if (warning.message.includes('"spawn" is not exported by "__vite-browser-external"')) return;
        warn(warning);
      },
      output: {
        // Rolldown (Vite 8) splits by groups matched on the module's path; only node_modules
        // paths are matched (and the one module below), so the app's own code never lands in a
        // vendor chunk. A module in the entry chunk runs after the common chunks the entry imports, even when it
        // is imported first (Rolldown's order, unlike Rollup's). The module that makes zod jitless
        // (@grid-atlas/contract/jitless) must run before any schema is built, so it goes into zod's
        // own chunk: whatever builds a schema imports that chunk and so runs after it.
        codeSplitting: {
          groups: [
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]|[\\/]contract[\\/]src[\\/]jitless\.ts$/ },
            { name: 'maplibre', test: /[\\/]node_modules[\\/]maplibre-gl[\\/]/ },
            { name: 'deck', test: /[\\/]node_modules[\\/]@(deck|luma|math|probe|loaders)\.gl[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
    },
  },
});
