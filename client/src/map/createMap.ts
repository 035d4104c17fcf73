// Creates the MapLibre map. The returned object must stay out of Vue reactivity (markRaw it if it
// is ever stored): proxying a Map breaks its internals and costs a proxy hop per call.
import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { CJK_CSS_FONT_FAMILY } from './theme';
import { t } from '../i18n';

/** Credits shown in the attribution control (sources of every dataset drawn), in the interface's language. */
export function attributions(): string[] {
  return [t('map.attribution.divisions'), t('map.attribution.cityOutline'), t('map.attribution.synthetic')];
}

/** Roughly the centre of Enshi's urban area, used until the data tells us the real extent. */
export const INITIAL_CENTER: [number, number] = [109.48, 30.29];

/** `scale`: map/scale.ts uiScale, so the scale bar grows with the other map furniture on a 4K wall. */
export function createMap(container: HTMLElement, style: StyleSpecification, scale = 1): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style,
    center: INITIAL_CENTER,
    zoom: 10,
    minZoom: 7,
    maxZoom: 18,
    // A wall screen driven by a mouse: a stray right-drag should not leave the map rotated.
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    attributionControl: false,
    localIdeographFontFamily: CJK_CSS_FONT_FAMILY,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: attributions() }), 'bottom-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: Math.round(160 * scale) }), 'bottom-right');
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  return map;
}

/** Resolves once the style is loaded (immediately if it already is). */
export function styleReady(map: maplibregl.Map): Promise<void> {
  if (map.isStyleLoaded()) return Promise.resolve();
  return new Promise((resolve) => map.once('load', () => resolve()));
}
