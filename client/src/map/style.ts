// The map style our layers are drawn on.
//
// Default: an offline style with no sources, no sprite and NO `glyphs` URL. Its background is the
// city's land colour: layers/boundaries.ts paints the world outside the city over it.
// Since MapLibre GL JS
// 5.11 an omitted `glyphs` makes symbol layers draw text locally (TinySDF) from the `text-font`
// names, resolved like a CSS font-family list - so zh-CN labels need no glyph server at all.
// (localIdeographFontFamily alone would not do: it covers CJK ideographs only, and digits or Latin
// letters in "第3网格" would still need a glyph PBF.)
import type { StyleSpecification } from 'maplibre-gl';
import { config } from '../config';
import { CITY_LAND } from './theme';
import { t } from '../i18n';
import { PeopleError } from '../api/http';

export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'grid-atlas-offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': CITY_LAND } }],
  };
}

export interface ResolvedStyle {
  style: StyleSpecification;
  /** True when a configured basemap is underneath our layers. */
  basemap: boolean;
}

/**
 * Loads the configured basemap style, falling back to the offline style when none is configured or
 * it cannot be fetched (the command centre may be on a closed network). The failure is returned,
 * not thrown, so the caller can show it while the map still works.
 */
export async function resolveStyle(timeoutMs = 8000): Promise<ResolvedStyle & { error?: Error }> {
  const url = config.basemapStyleUrl;
  if (!url) return { style: offlineStyle(), basemap: false };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const style = (await res.json()) as StyleSpecification;
    if (style?.version !== 8 || !Array.isArray(style.layers)) throw new PeopleError(t('map.style.invalid'));
    return { style, basemap: true };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // People read the fallback in their language; the address and the browser's reason go to the log.
    return { style: offlineStyle(), basemap: false, error: new PeopleError(t('map.style.fallback'), { cause: new Error(`${url}: ${reason}`) }) };
  }
}
