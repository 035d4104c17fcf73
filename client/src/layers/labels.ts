// Labels by level (place names as the register has them, the words around them in the interface's language), appearing with zoom: subdistricts (low), communities (mid), grids (high).
//
// Native MapLibre symbol layers, no glyph server: our offline style has no `glyphs` URL, and since
// GL JS 5.11 that makes MapLibre render every glyph locally with TinySDF using `text-font` as a CSS
// font list (see map/style.ts). Symbol layers also give us collision handling for free, so dense
// areas drop labels instead of piling them up. If a configured basemap does declare `glyphs`, ranges
// our fonts lack on its server fall back to the same local rendering (with a console warning).
//
// Label points are computed client-side once per load (map/geometry.ts labelPoints).
import type { ExpressionSpecification, Map as MaplibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { LABEL_FONT_BOLD, LABEL_FONT_REGULAR, LABEL_HALO } from '../map/theme';
import { LAYER, SOURCE } from './ids';
import { currentLocale, t } from '../i18n';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Zoom bands per level; computed from the data's typical polygon sizes (MapView). */
export interface LabelZooms {
  /** "恩施市" shows only when zoomed out so far that subdistrict names would not fit. */
  city: { max: number };
  subdistrict: { min: number; max: number };
  community: { min: number; max: number };
  grid: { min: number; /** from here grid labels add the household count */ detail: number };
}

export function addLabelLayers(map: MaplibreMap, scale: number): void {
  map.addSource(SOURCE.subdistrictLabels, { type: 'geojson', data: EMPTY });
  map.addSource(SOURCE.communityLabels, { type: 'geojson', data: EMPTY });
  map.addSource(SOURCE.gridLabels, { type: 'geojson', data: EMPTY });
  map.addSource(SOURCE.cityLabel, { type: 'geojson', data: EMPTY });

  // Layer order = placement priority: the last (top) layer is placed first, so subdistrict names
  // win collisions over community names, which win over grid names.
  map.addLayer({
    id: LAYER.gridLabel,
    type: 'symbol',
    source: SOURCE.gridLabels,
    minzoom: 14,
    layout: {
      'text-field': gridText(15.5),
      'text-font': LABEL_FONT_REGULAR,
      'text-size': ['interpolate', ['linear'], ['zoom'], 13, 14 * scale, 17, 19 * scale],
      'text-line-height': 1.25,
      'text-max-width': 8,
      'text-padding': 3 * scale,
    },
    paint: {
      'text-color': '#e9f4ff',
      'text-halo-color': LABEL_HALO,
      'text-halo-width': 1.6 * scale,
      'text-halo-blur': 0.4,
    },
  });
  map.addLayer({
    id: LAYER.communityLabel,
    type: 'symbol',
    source: SOURCE.communityLabels,
    minzoom: 12,
    maxzoom: 16,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT_BOLD,
      'text-size': ['interpolate', ['linear'], ['zoom'], 11, 15 * scale, 15, 21 * scale],
      'text-letter-spacing': 0.05,
      'text-padding': 4 * scale,
    },
    paint: {
      'text-color': '#bfe8ff',
      'text-halo-color': LABEL_HALO,
      'text-halo-width': 2 * scale,
      'text-halo-blur': 0.5,
    },
  });
  map.addLayer({
    id: LAYER.subdistrictLabel,
    type: 'symbol',
    source: SOURCE.subdistrictLabels,
    maxzoom: 14,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT_BOLD,
      'text-size': ['interpolate', ['linear'], ['zoom'], 9, 18 * scale, 13, 28 * scale],
      'text-letter-spacing': 0.15,
      'text-padding': 6 * scale,
    },
    paint: {
      'text-color': '#ffffff',
      'text-halo-color': LABEL_HALO,
      'text-halo-width': 2.6 * scale,
      'text-halo-blur': 0.6,
    },
  });
  map.addLayer({
    id: LAYER.cityLabel,
    type: 'symbol',
    source: SOURCE.cityLabel,
    maxzoom: 10,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT_BOLD,
      'text-size': 30 * scale,
      'text-letter-spacing': 0.4,
      // Sit above the urban area, which is where the label point of the city usually falls.
      'text-anchor': 'bottom',
      'text-offset': [0, -1.2],
    },
    paint: {
      'text-color': '#d8ecff',
      'text-halo-color': LABEL_HALO,
      'text-halo-width': 3 * scale,
    },
  });
}

const SLOT = '\u0000';

/**
 * A message with one placeholder {n} as a MapLibre expression: the text around the slot, with
 * `value` (an expression) in it. `count` picks the English plural form.
 */
function around(key: string, value: ExpressionSpecification, count?: number): ExpressionSpecification {
  const text = count === undefined ? t(key, { n: SLOT }) : t(key, { n: SLOT }, count);
  const [before, after = ''] = text.split(SLOT);
  return ['concat', before, value, after];
}

/** "第3网格" (Grid 3), plus "1,234 户" (1,234 households) on a second line once there is room for it. */
function gridText(detailZoom: number): ExpressionSpecification {
  const short = around('map.label.grid', ['to-string', ['get', 'number']]);
  const count: ExpressionSpecification = ['number-format', ['get', 'households'], { locale: currentLocale() }];
  const detail: ExpressionSpecification = [
    'format',
    short,
    {},
    '\n',
    {},
    ['case', ['==', ['get', 'households'], 1], around('map.label.households', count, 1), around('map.label.households', count, 2)],
    { 'font-scale': 0.85, 'text-color': '#9fd0f0' },
  ];
  return ['step', ['zoom'], short, detailZoom, detail];
}

export function setLabelZooms(map: MaplibreMap, z: LabelZooms): void {
  map.setLayerZoomRange(LAYER.cityLabel, 0, z.city.max);
  map.setLayerZoomRange(LAYER.subdistrictLabel, z.subdistrict.min, z.subdistrict.max);
  map.setLayerZoomRange(LAYER.communityLabel, z.community.min, z.community.max);
  map.setLayerZoomRange(LAYER.gridLabel, z.grid.min, 24);
  map.setLayoutProperty(LAYER.gridLabel, 'text-field', gridText(z.grid.detail));
}

export function setLabelsVisible(map: MaplibreMap, visible: boolean): void {
  for (const id of [LAYER.gridLabel, LAYER.communityLabel, LAYER.subdistrictLabel, LAYER.cityLabel]) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

/**
 * The wall screen's community names (the command centre): read from metres away, so never under
 * 15 px (× the wall's scale); each may sit beside its point (above, below, left, right) when its
 * own spot collides, so the names of small communities in the dense centre find room next to the
 * larger ones; the largest communities are placed first (they are the names a leader looks for).
 */
export function setWallLabels(map: MaplibreMap, scale: number): void {
  const id = LAYER.communityLabel;
  // A wall twice as wide shows the same city one zoom level deeper: the size stops move with it
  // (by log2 of the scale), so 3840×2160 is the 1920×1080 picture at twice the size, labels and
  // their collisions included, not one with relatively larger names that crowd each other out.
  const dz = Math.log2(scale);
  map.setLayoutProperty(id, 'text-size', ['interpolate', ['linear'], ['zoom'], 12 + dz, 15 * scale, 15 + dz, 21 * scale]);
  map.setLayoutProperty(id, 'text-variable-anchor', ['center', 'top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right']);
  map.setLayoutProperty(id, 'text-radial-offset', 1.4);
  map.setLayoutProperty(id, 'text-padding', 0);
  map.setLayoutProperty(id, 'text-letter-spacing', 0);
  map.setLayoutProperty(id, 'symbol-sort-key', ['-', 0, ['to-number', ['get', 'households'], 0]]);
  // The subdistricts' names (placed first) may also step aside from their point, leaving the
  // communities' own spots free where they can.
  map.setLayoutProperty(LAYER.subdistrictLabel, 'text-size', ['interpolate', ['linear'], ['zoom'], 9 + dz, 18 * scale, 13 + dz, 24 * scale]);
  map.setLayoutProperty(LAYER.subdistrictLabel, 'text-variable-anchor', ['center', 'bottom', 'top', 'left', 'right']);
  map.setLayoutProperty(LAYER.subdistrictLabel, 'text-radial-offset', 0.4);
  map.setLayoutProperty(LAYER.subdistrictLabel, 'text-padding', 2 * scale);
}
