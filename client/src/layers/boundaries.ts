// Administrative boundaries: city outline, subdistrict / community / grid polygons.
// Sources start empty and get data with setData once the API answers, so the layer stack exists
// from the first frame and a slow endpoint only delays its own layer.
import type { ExpressionSpecification, GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import {
  BACKGROUND,
  CITY_OUTLINE,
  COMMUNITY_LINE,
  FOCUS_LINE,
  GRID_LINE,
  GRID_PLAIN_FILL,
  HOUSEHOLD_RAMP,
  HOVER_LINE,
  SELECTED_LINE,
  SUBDISTRICT_CASING,
  SUBDISTRICT_LINE,
  subdistrictColor,
} from '../map/theme';
import { pickColors } from '../map/classify';
import { LAYER, SOURCE } from './ids';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Zoom band where the grid choropleth takes over from the subdistrict tint. */
export interface FillTransition {
  from: number;
  to: number;
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/**
 * `basemap`: a real basemap is under our layers (the city's inside must let it show through).
 *
 * The city's land is the style's background colour, and what is painted is the world OUTSIDE the
 * city outline (a polygon with the city as its hole), not the city on top of the background. The
 * picture is the same, but at the zooms people work at, the outside is off screen and costs
 * nothing, whereas a city-sized fill covers the whole screen in every frame, which a wall PC
 * without a GPU (software GL pays per pixel) pays for twice over with the background under it.
 */
export function addBoundaryLayers(map: MaplibreMap, scale: number, basemap = false): void {
  // promoteId: feature-state (hover/selected) is keyed by the numeric database id.
  map.addSource(SOURCE.city, { type: 'geojson', data: EMPTY });
  map.addSource(SOURCE.cityOutside, { type: 'geojson', data: EMPTY });
  map.addSource(SOURCE.subdistricts, { type: 'geojson', data: EMPTY, promoteId: 'id' });
  map.addSource(SOURCE.communities, { type: 'geojson', data: EMPTY, promoteId: 'id' });
  map.addSource(SOURCE.grids, { type: 'geojson', data: EMPTY, promoteId: 'id' });

  // Opaque over our own background; over a real basemap, a veil that dims what is not the city.
  map.addLayer({ id: LAYER.cityOutside, type: 'fill', source: SOURCE.cityOutside, paint: { 'fill-color': BACKGROUND, 'fill-opacity': basemap ? 0.55 : 1 } });
  map.addLayer({
    id: LAYER.subdistrictFill,
    type: 'fill',
    source: SOURCE.subdistricts,
    // `color` is assigned per feature in setBoundaryData (index in code order).
    paint: { 'fill-color': ['coalesce', ['get', 'color'], '#4f8dff'], 'fill-opacity': 0.3, 'fill-antialias': false },
  });
  map.addLayer({
    id: LAYER.gridFill,
    type: 'fill',
    source: SOURCE.grids,
    // No antialiased outline (MapLibre's default draws every polygon's edges a second time, as
    // GL lines): the boundary lines drawn on top cover those edges anyway, so the outline was
    // work for nothing, and software GL pays for every grid edge in every frame.
    paint: {
      'fill-antialias': false,
      'fill-color': HOUSEHOLD_RAMP[2],
      'fill-opacity': 0.8,
      'fill-opacity-transition': { duration: 150 },
    },
  });
  map.addLayer({
    id: LAYER.gridLine,
    type: 'line',
    source: SOURCE.grids,
    paint: {
      'line-color': GRID_LINE,
      'line-opacity': ['interpolate', ['linear'], ['zoom'], 11, 0.1, 13, 0.22, 15, 0.45],
      'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.4 * scale, 15, 1 * scale],
    },
  });
  map.addLayer({
    id: LAYER.communityLine,
    type: 'line',
    source: SOURCE.communities,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': COMMUNITY_LINE,
      'line-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 13, 0.95],
      'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1 * scale, 13, 2 * scale, 16, 3 * scale],
    },
  });
  // A dark casing under the white line keeps subdistrict borders crisp over any fill colour.
  map.addLayer({
    id: LAYER.subdistrictCasing,
    type: 'line',
    source: SOURCE.subdistricts,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': SUBDISTRICT_CASING,
      'line-opacity': 0.75,
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 3 * scale, 15, 8 * scale],
    },
  });
  map.addLayer({
    id: LAYER.subdistrictLine,
    type: 'line',
    source: SOURCE.subdistricts,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': SUBDISTRICT_LINE,
      'line-opacity': 0.95,
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.4 * scale, 15, 3.6 * scale],
    },
  });
  // The subdistrict picked in the side panel, so the eye finds it after the camera moves.
  map.addLayer({
    id: LAYER.subdistrictFocus,
    type: 'line',
    source: SOURCE.subdistricts,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': FOCUS_LINE,
      'line-opacity': ['case', ['boolean', ['feature-state', 'focused'], false], 1, 0],
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2.5 * scale, 15, 5 * scale],
    },
  });
  map.addLayer({
    id: LAYER.cityLine,
    type: 'line',
    source: SOURCE.city,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': CITY_OUTLINE,
      'line-opacity': 0.7,
      'line-width': 1.5 * scale,
      'line-dasharray': [3, 2],
    },
  });
  map.addLayer({
    id: LAYER.gridHighlight,
    type: 'line',
    source: SOURCE.grids,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': ['case', selected, SELECTED_LINE, HOVER_LINE],
      'line-opacity': ['case', ['any', selected, hovered], 1, 0],
      'line-width': ['case', selected, 4 * scale, 3 * scale],
    },
  });
}

/** Feeds one source; returns false when the source does not exist (style replaced, map removed). */
export function setSourceData(map: MaplibreMap, sourceId: string, data: FeatureCollection): boolean {
  const src = map.getSource<GeoJSONSource>(sourceId);
  if (!src) return false;
  src.setData(data);
  return true;
}

/** Subdistricts get a colour property by their rank in code order (stable across reloads). */
export function withSubdistrictColors<F extends FeatureCollection>(fc: F): F {
  const codes = fc.features.map((f) => String(f.properties?.code ?? '')).sort();
  return {
    ...fc,
    features: fc.features.map((f) => ({
      ...f,
      properties: { ...f.properties, color: subdistrictColor(codes.indexOf(String(f.properties?.code ?? ''))) },
    })),
  };
}

/** Colours grids by households with a step expression over the legend's breaks. */
export function setGridRamp(map: MaplibreMap, breaks: readonly number[]): void {
  const colors = pickColors(HOUSEHOLD_RAMP, breaks.length + 1);
  // No breaks (no grids in the reader's scope): one colour; a 'step' needs at least one stop.
  if (breaks.length === 0) {
    map.setPaintProperty(LAYER.gridFill, 'fill-color', colors[0]);
    return;
  }
  const expr: unknown[] = ['step', ['to-number', ['get', 'households'], 0], colors[0]];
  breaks.forEach((b, i) => expr.push(b, colors[i + 1]));
  map.setPaintProperty(LAYER.gridFill, 'fill-color', expr as ExpressionSpecification);
}

/**
 * Cross-fades subdistrict tint and grid choropleth: zoomed out the grids are specks, so the
 * subdistrict colours carry the picture; zoomed in the households per grid matter.
 */
export function setFillTransition(map: MaplibreMap, t: FillTransition, dimGrids = false): void {
  // Household points sit on the grid fills; dim the fills so the points (esp. red ones) stand out.
  const full = dimGrids ? 0.45 : 0.82;
  map.setPaintProperty(LAYER.subdistrictFill, 'fill-opacity', ['interpolate', ['linear'], ['zoom'], t.from, 0.42, t.to, 0.0]);
  map.setPaintProperty(LAYER.gridFill, 'fill-opacity', [
    'interpolate',
    ['linear'],
    ['zoom'],
    t.from,
    ['case', hovered, 0.6, 0.25],
    t.to,
    ['case', hovered, Math.min(1, full + 0.16), full],
  ]);
}

/**
 * The community view's grids: one plain fill (household points carry the colour there), brighter
 * outlines, and a stronger fill for the hovered and the selected grid.
 */
export function setGridPlain(map: MaplibreMap, scale: number): void {
  map.setPaintProperty(LAYER.gridFill, 'fill-color', GRID_PLAIN_FILL);
  map.setPaintProperty(LAYER.gridFill, 'fill-opacity', ['case', selected, 0.8, hovered, 0.7, 0.45]);
  map.setPaintProperty(LAYER.gridLine, 'line-opacity', 0.85);
  map.setPaintProperty(LAYER.gridLine, 'line-width', 1.6 * scale);
}
