// Deployment configuration, resolved once before the app mounts.
//
// The map works fully offline by default: our own style has no remote sources, glyphs or sprites.
// A basemap can be layered underneath by giving a MapLibre style URL, either at build time
// (VITE_BASEMAP_STYLE_URL, the default) or at run time from the server's environment
// (GRID_ATLAS_BASEMAP_STYLE_URL, served by GET /api/client-config; it wins, so one build can serve
// several sites). Run-time settings come from a JSON route rather than an inline <script>, which
// the page's Content-Security-Policy forbids.
//
// CAUTION: our data is EPSG:4326 (CGCS2000 ≈ WGS84). Most Chinese web basemaps (AMap/高德, Tencent,
// and Baidu's further BD-09) are published in GCJ-02, which is offset by roughly 500 m around Enshi.
// Use a WGS84/CGCS2000 basemap (e.g. 天地图 Tianditu) or every boundary will look shifted.
import { clientConfig } from '@grid-atlas/contract';

export interface AppConfig {
  basemapStyleUrl: string | null;
}

function clean(value: string | undefined | null): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/** Read by the map; filled in by loadClientConfig() before the app mounts. */
export const config: AppConfig = {
  basemapStyleUrl: clean(import.meta.env.VITE_BASEMAP_STYLE_URL),
};

/**
 * Fetches the server's settings and applies those it sets. Never throws: without them (an old
 * server, a network hiccup) the build-time defaults stand and the map still works offline.
 */
export async function loadClientConfig(fetchJson: (url: string) => Promise<unknown> = defaultFetch): Promise<void> {
  try {
    const parsed = clientConfig.safeParse(await fetchJson('/api/client-config'));
    if (!parsed.success) throw new Error(parsed.error.message);
    config.basemapStyleUrl = clean(parsed.data.basemapStyleUrl) ?? config.basemapStyleUrl;
  } catch (err) {
    console.warn('[grid-atlas] client config unavailable, using defaults:', err);
  }
}

async function defaultFetch(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return res.json();
}
