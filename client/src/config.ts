// Deployment configuration, resolved once at start-up.
//
// The map works fully offline by default: our own style has no remote sources, glyphs or sprites.
// A basemap can be layered underneath by giving a MapLibre style URL, either at build time
// (VITE_BASEMAP_STYLE_URL) or at run time (window.GRID_ATLAS_CONFIG.basemapStyleUrl, which wins,
// so one build can serve several sites).
//
// CAUTION: our data is EPSG:4326 (CGCS2000 ≈ WGS84). Most Chinese web basemaps (AMap/高德, Tencent,
// and Baidu's further BD-09) are published in GCJ-02, which is offset by roughly 500 m around Enshi.
// Use a WGS84/CGCS2000 basemap (e.g. 天地图 Tianditu) or every boundary will look shifted.

export interface AppConfig {
  basemapStyleUrl: string | null;
}

function clean(value: string | undefined | null): string | null {
  const v = value?.trim();
  return v ? v : null;
}

export const config: AppConfig = {
  basemapStyleUrl:
    clean(typeof window !== 'undefined' ? window.GRID_ATLAS_CONFIG?.basemapStyleUrl : undefined) ??
    clean(import.meta.env.VITE_BASEMAP_STYLE_URL),
};
