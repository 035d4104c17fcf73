/// <reference types="vite/client" />
import type { Map as MaplibreMap } from 'maplibre-gl';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface ImportMetaEnv {
  /** Optional basemap style URL baked in at build time (see src/config.ts). */
  readonly VITE_BASEMAP_STYLE_URL?: string;
  /** '1' in the browser tests' build only: turns on map/testHooks.ts. */
  readonly VITE_TEST_HOOKS?: string;
}

declare global {
  interface Window {
    /** Test hook, test builds only: set once the map has rendered its data (see map/testHooks.ts). */
    __gridAtlas?: { gridCount: number; householdCount?: number; map: MaplibreMap };
  }
}

export {};
