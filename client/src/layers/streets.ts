// The map's ground under the boundaries: the Qing River and the synthetic street network
// (GET /api/basemap), as MapLibre line layers with labels along the lines. They sit above the
// fills (a choropleth would hide them otherwise) and below every boundary line and label, so
// a leader sees where things are without the streets competing with the data. At street zoom the
// synthetic building footprints (vector tiles /tiles/buildings/…) fill in under the streets.
import type { Map as MaplibreMap } from 'maplibre-gl';
import { BUILDINGS_MIN_ZOOM } from '@grid-atlas/contract';
import type { FeatureCollection } from 'geojson';
import { LABEL_FONT_REGULAR, LABEL_HALO } from '../map/theme';
import { LAYER } from './ids';
import { t } from '../i18n';

export const STREETS_SOURCE = 'ga-basemap';
export const BUILDINGS_SOURCE = 'ga-buildings';
export const BUILDINGS_LAYER = 'ga-building-fill';
/** Shown in the attribution control while footprints are on screen. */
export function buildingsAttribution(): string {
  return t('map.attribution.buildings');
}
export const BUILDING_COLOR = '#3a4b60';
export const STREET_LAYERS = {
  river: 'ga-river',
  minor: 'ga-street-minor',
  mainCasing: 'ga-street-main-casing',
  main: 'ga-street-main',
  streetLabel: 'ga-street-label',
  riverLabel: 'ga-river-label',
} as const;

export const RIVER_COLOR = '#2f8fe0';
export const STREET_COLOR = '#d8e4f0';

/**
 * `under` names the map's own layers the ground goes beneath: its lines below `lines` (the first
 * boundary line), its labels below `labels` (the first boundary label). The atlas maps' grid
 * layers by default; the planner passes its block layers.
 */
export function addStreetLayers(map: MaplibreMap, scale: number, under: { lines: string; labels: string } = { lines: LAYER.gridLine, labels: LAYER.gridLabel }): void {
  map.addSource(STREETS_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  const before = under.lines;
  // Footprints first, so the streets added after them are drawn over them.
  map.addSource(BUILDINGS_SOURCE, {
    type: 'vector',
    tiles: [`${window.location.origin}/tiles/buildings/{z}/{x}/{y}.mvt`],
    minzoom: BUILDINGS_MIN_ZOOM,
    // Past z16 the map overzooms (a tile unit is then a few centimetres).
    maxzoom: 16,
    attribution: buildingsAttribution(),
  });
  map.addLayer(
    {
      id: BUILDINGS_LAYER,
      type: 'fill',
      source: BUILDINGS_SOURCE,
      'source-layer': 'buildings',
      minzoom: BUILDINGS_MIN_ZOOM,
      paint: {
        'fill-color': BUILDING_COLOR,
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], BUILDINGS_MIN_ZOOM, 0.25, 17, 0.55],
        'fill-outline-color': '#5b6f88',
      },
    },
    before,
  );
  map.addLayer(
    {
      id: STREET_LAYERS.river,
      type: 'line',
      source: STREETS_SOURCE,
      filter: ['==', ['get', 'kind'], 'river'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': RIVER_COLOR,
        'line-opacity': 0.85,
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 10, 3 * scale, 13, 9 * scale, 16, 40 * scale],
      },
    },
    before,
  );
  map.addLayer(
    {
      id: STREET_LAYERS.minor,
      type: 'line',
      source: STREETS_SOURCE,
      minzoom: 12,
      filter: ['==', ['get', 'kind'], 'minor'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': STREET_COLOR,
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0.15, 14, 0.4],
        'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.8 * scale, 16, 3 * scale],
      },
    },
    before,
  );
  map.addLayer(
    {
      id: STREET_LAYERS.mainCasing,
      type: 'line',
      source: STREETS_SOURCE,
      filter: ['==', ['get', 'kind'], 'main'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': '#02060d',
        'line-opacity': 0.6,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2.4 * scale, 13, 4.5 * scale, 16, 9 * scale],
      },
    },
    before,
  );
  map.addLayer(
    {
      id: STREET_LAYERS.main,
      type: 'line',
      source: STREETS_SOURCE,
      filter: ['==', ['get', 'kind'], 'main'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': STREET_COLOR,
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.35, 13, 0.7],
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1 * scale, 13, 2.2 * scale, 16, 6 * scale],
      },
    },
    before,
  );
  // Labels along the lines, under the boundary labels (which win collisions).
  const labelBefore = under.labels;
  map.addLayer(
    {
      id: STREET_LAYERS.streetLabel,
      type: 'symbol',
      source: STREETS_SOURCE,
      minzoom: 12.5,
      filter: ['==', ['get', 'kind'], 'main'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT_REGULAR,
        // Never under 15 px (× the wall's scale): read from metres away on a leaders' wall screen.
        'text-size': ['interpolate', ['linear'], ['zoom'], 12.5, 15 * scale, 14, 16 * scale, 16, 18 * scale],
        'symbol-spacing': 400 * scale,
      },
      paint: { 'text-color': '#f2f6fb', 'text-halo-color': LABEL_HALO, 'text-halo-width': 1.6 * scale },
    },
    labelBefore,
  );
  map.addLayer(
    {
      id: STREET_LAYERS.riverLabel,
      type: 'symbol',
      source: STREETS_SOURCE,
      minzoom: 11,
      filter: ['==', ['get', 'kind'], 'river'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 15 * scale, 16, 19 * scale],
        'text-letter-spacing': 0.3,
        'symbol-spacing': 500 * scale,
      },
      paint: { 'text-color': '#8cc8ff', 'text-halo-color': LABEL_HALO, 'text-halo-width': 1.6 * scale },
    },
    labelBefore,
  );
}

export function setStreetData(map: MaplibreMap, fc: FeatureCollection): void {
  const src = map.getSource(STREETS_SOURCE) as { setData?: (d: FeatureCollection) => void } | undefined;
  src?.setData?.(fc);
}
