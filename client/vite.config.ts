import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The production client is served by the API server (one port, default 8080);
// in dev, Vite serves the client and forwards /api to that server.
const apiTarget = process.env.GRID_ATLAS_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // maplibre-gl and deck.gl are large by nature; split them so the app chunk stays small
    // and the warning threshold reflects what we actually control.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // loaders.gl (pulled in by deck.gl) has a Node-only child-process helper that browsers never
        // reach; Vite stubs 'child_process' and Rollup reports the missing export. Harmless.
        if (warning.message.includes('"spawn" is not exported by "__vite-browser-external"')) return;
        warn(warning);
      },
      output: {
        manualChunks: {
          maplibre: ['maplibre-gl'],
          deck: ['@deck.gl/core', '@deck.gl/layers', '@deck.gl/mapbox'],
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
