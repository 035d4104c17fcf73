// The planner's map: a community's blocks filled with their grid's colour, grid labels with the
// live household count, blocks that changed grid outlined, the blocks two compared plans put in
// different grids outlined dashed, the brush under the pointer, and the server's validation errors.
// A stroke (press, drag across blocks, release) is handed to the page as block ids; the page
// decides (the editor refuses strokes that break a grid) and repaints only the blocks that changed,
// through feature state, so a stroke costs no re-tessellation.
// The block under the pointer is reported to the page (for its tooltip) in every mode.
// Grid labels never overlap: MapLibre's symbol collision places them (each may shift to one of
// five anchors), grids off target and larger grids first; a label left out at one zoom appears
// when zooming in spreads the grids apart.
import maplibregl, { type ExpressionSpecification, type GeoJSONSource, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection, Geometry } from 'geojson';
import { createMap, styleReady } from '../map/createMap';
import { LABEL_FONT_BOLD, LABEL_HALO } from '../map/theme';
import { addStreetLayers, setStreetData, STREETS_SOURCE } from '../layers/streets';

const BLOCKS = 'planner-blocks';
const LABELS = 'planner-labels';
const ERRORS = 'planner-errors';
const FILL = 'planner-block-fill';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * Grid colours: mid-lightness hues that stay apart on the dark background and from the orange
 * "moved" outline and the red error fill. Neighbouring grids get different slots (blocks.ts).
 */
export const GRID_PALETTE = ['#3f7fd9', '#2fae8f', '#c9a13b', '#9a6be0', '#d9627a', '#4fb6d9', '#86b34a', '#c77f4a', '#6c7fd9', '#3fa6a6'];
const MOVED_LINE = '#ffb020';
/** Blocks two compared plans put in different grids: dashed, apart from the solid "moved" outline. */
const COMPARED_LINE = '#f4f9ff';
const BRUSH_LINE = '#fff27a';
const REFUSED_FILL = '#ff4d4f';

export interface GridLabel {
  key: string;
  position: [number, number];
  text: string;
  off: boolean;
  /** the grid's blocks: larger grids are labelled first where labels would collide */
  blocks: number;
}

export interface PlannerMapEvents {
  /** A finished stroke: the block ids under the pointer while the button was down. */
  stroke(blockIds: number[]): void;
  /** Right-click (or a click while not painting): the block under the pointer. */
  pick(blockId: number): void;
  /** The blocks the brush covers around a block (ids), for the hover outline and the stroke. */
  brush(blockId: number): number[];
  /** The block under the pointer (null: none) and the pointer's position in the map, in CSS pixels. */
  hover(blockId: number | null, point: { x: number; y: number }): void;
}

/** Where a grid label's placement ranks (lower is placed first): grids off target, then larger grids. */
export const LABEL_SORT_KEY: ExpressionSpecification = ['-', ['case', ['get', 'off'], 0, 1e6], ['get', 'blocks']];
/** The grid labels' layer (its rendered features are the labels placed on screen). */
export const LABEL_LAYER = 'planner-label';

export class PlannerMap {
  readonly map: maplibregl.Map;
  readonly ready: Promise<void>;
  private painting = false;
  private paintMode = true;
  private stroke = new Set<number>();
  private hover: number[] = [];
  private refusedTimer: ReturnType<typeof setTimeout> | null = null;
  private refused: number[] = [];
  private compared: number[] = [];

  constructor(container: HTMLElement, style: StyleSpecification, scale: number, private readonly on: PlannerMapEvents) {
    this.map = createMap(container, style, scale);
    this.map.getCanvas().style.cursor = 'crosshair';
    this.ready = styleReady(this.map).then(() => this.addLayers(scale));
  }

  /**
   * The synthetic streets and river (GET /api/basemap) over the block fills and under the block
   * lines and grid labels, so a planner can run a grid line along a road. Not drawn over a
   * configured real basemap, which has its own streets.
   */
  setStreets(fc: FeatureCollection, scale: number, realBasemap: boolean): void {
    if (realBasemap) return;
    if (!this.map.getSource(STREETS_SOURCE)) addStreetLayers(this.map, scale, { lines: 'planner-block-line', labels: LABEL_LAYER });
    setStreetData(this.map, fc);
  }

  private addLayers(scale: number): void {
    const m = this.map;
    m.addSource(BLOCKS, { type: 'geojson', data: EMPTY });
    m.addSource(LABELS, { type: 'geojson', data: EMPTY });
    m.addSource(ERRORS, { type: 'geojson', data: EMPTY });
    const state = (k: string): ExpressionSpecification => ['boolean', ['feature-state', k], false];
    m.addLayer({
      id: FILL,
      type: 'fill',
      source: BLOCKS,
      paint: {
        'fill-color': ['case', state('refused'), REFUSED_FILL, ['coalesce', ['feature-state', 'color'], '#2a3b52']],
        'fill-opacity': ['case', state('refused'), 0.85, state('brush'), 0.85, 0.62],
      },
    });
    m.addLayer({ id: 'planner-block-line', type: 'line', source: BLOCKS, paint: { 'line-color': '#07111f', 'line-width': 0.8 * scale, 'line-opacity': 0.8 } });
    m.addLayer({
      id: 'planner-block-moved',
      type: 'line',
      source: BLOCKS,
      paint: { 'line-color': MOVED_LINE, 'line-width': 2.2 * scale, 'line-opacity': ['case', state('moved'), 1, 0] },
    });
    m.addLayer({
      id: 'planner-block-compared',
      type: 'line',
      source: BLOCKS,
      paint: { 'line-color': COMPARED_LINE, 'line-width': 2 * scale, 'line-dasharray': [2, 1.5], 'line-opacity': ['case', state('compared'), 1, 0] },
    });
    m.addLayer({
      id: 'planner-block-brush',
      type: 'line',
      source: BLOCKS,
      paint: { 'line-color': BRUSH_LINE, 'line-width': 2.6 * scale, 'line-opacity': ['case', state('brush'), 1, 0] },
    });
    m.addLayer({ id: 'planner-error-fill', type: 'fill', source: ERRORS, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'fill-color': REFUSED_FILL, 'fill-opacity': 0.45 } });
    m.addLayer({ id: 'planner-error-line', type: 'line', source: ERRORS, paint: { 'line-color': REFUSED_FILL, 'line-width': 3 * scale } });
    m.addLayer({ id: 'planner-error-point', type: 'circle', source: ERRORS, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': REFUSED_FILL, 'circle-radius': 7 * scale } });
    m.addLayer({
      id: LABEL_LAYER,
      type: 'symbol',
      source: LABELS,
      layout: {
        'text-field': ['get', 'text'],
        'text-font': LABEL_FONT_BOLD,
        'text-size': 14 * scale,
        'text-line-height': 1.2,
        // Collision: a label that would overlap one already placed tries the other anchors, and
        // is left out at this zoom if none fits.
        'text-allow-overlap': false,
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 0.4,
        'text-padding': 3 * scale,
        'symbol-sort-key': LABEL_SORT_KEY,
      },
      paint: {
        'text-color': ['case', ['get', 'off'], '#ffd1d1', '#f4f9ff'],
        'text-halo-color': LABEL_HALO,
        'text-halo-width': 1.8 * scale,
      },
    });
    m.on('mousedown', (e) => this.down(e));
    m.on('mousemove', (e) => this.move(e));
    m.on('mouseup', () => this.up());
    // A press that ends outside the map (the pointer left it mid-stroke) still ends the stroke.
    window.addEventListener('mouseup', this.onWindowUp);
    m.on('mouseout', (e) => {
      if (this.paintMode) this.setBrush([]);
      this.on.hover(null, e.point);
    });
    m.on('contextmenu', (e) => {
      const id = this.blockAt(e);
      if (id !== null) this.on.pick(id);
    });
    m.on('click', (e) => {
      if (this.paintMode) return;
      const id = this.blockAt(e);
      if (id !== null) this.on.pick(id);
    });
  }

  /** Painting (the default) or moving the map; the map pans with the mouse only when not painting. */
  setPaintMode(paint: boolean): void {
    this.paintMode = paint;
    if (paint) this.map.dragPan.disable();
    else this.map.dragPan.enable();
    this.map.getCanvas().style.cursor = paint ? 'crosshair' : '';
    if (!paint) this.setBrush([]);
  }

  /** Outlines these blocks (the two picked for an edge redraw) while not painting. */
  outline(ids: readonly number[]): void {
    if (!this.paintMode) this.setBrush([...ids]);
  }

  /** Outlines (dashed) the blocks two compared plans put in different grids; [] clears them. */
  setCompared(ids: readonly number[]): void {
    for (const id of this.compared) this.map.setFeatureState({ source: BLOCKS, id }, { compared: false });
    this.compared = [...ids];
    for (const id of ids) this.map.setFeatureState({ source: BLOCKS, id }, { compared: true });
  }

  setBlocks(fc: FeatureCollection): void {
    (this.map.getSource(BLOCKS) as GeoJSONSource).setData(fc);
  }

  /** Colour (and "moved") per block id; call with the blocks whose grid changed. */
  paintBlocks(blocks: Iterable<{ id: number; color: string; moved: boolean }>): void {
    for (const b of blocks) this.map.setFeatureState({ source: BLOCKS, id: b.id }, { color: b.color, moved: b.moved });
  }

  setLabels(labels: readonly GridLabel[]): void {
    (this.map.getSource(LABELS) as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: labels.map((l) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: l.position }, properties: { key: l.key, text: l.text, off: l.off, blocks: l.blocks } })),
    });
  }

  setErrors(geometries: readonly Geometry[]): void {
    (this.map.getSource(ERRORS) as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: geometries.map((g) => ({ type: 'Feature', geometry: g, properties: {} })),
    });
  }

  /** Flashes blocks of a refused stroke in red for a moment. */
  flashRefused(ids: readonly number[]): void {
    for (const id of this.refused) this.map.setFeatureState({ source: BLOCKS, id }, { refused: false });
    this.refused = [...ids];
    for (const id of ids) this.map.setFeatureState({ source: BLOCKS, id }, { refused: true });
    if (this.refusedTimer) clearTimeout(this.refusedTimer);
    this.refusedTimer = setTimeout(() => this.flashRefused([]), 1200);
  }

  /** Frames the bounds; `bottom` keeps that many pixels clear (the legend over the map's foot). */
  fit(bounds: [number, number, number, number], bottom = 0): void {
    this.map.fitBounds(bounds, { padding: { top: 40, left: 40, right: 40, bottom: 40 + bottom }, animate: false, maxZoom: 18 });
  }

  private readonly onWindowUp = () => this.up();

  destroy(): void {
    window.removeEventListener('mouseup', this.onWindowUp);
    if (this.refusedTimer) clearTimeout(this.refusedTimer);
    this.map.remove();
  }

  private blockAt(e: MapMouseEvent): number | null {
    const f = this.map.queryRenderedFeatures(e.point, { layers: [FILL] })[0];
    return f && typeof f.id === 'number' ? f.id : null;
  }

  private down(e: MapMouseEvent): void {
    if (!this.paintMode || e.originalEvent.button !== 0) return;
    this.painting = true;
    this.stroke.clear();
    this.take(e);
  }

  private move(e: MapMouseEvent): void {
    const id = this.blockAt(e);
    this.on.hover(id, e.point);
    if (!this.paintMode) return;
    const under = id === null ? [] : this.on.brush(id);
    if (this.painting) for (const b of under) this.stroke.add(b);
    this.setBrush(this.painting ? [...this.stroke] : under);
  }

  private take(e: MapMouseEvent): void {
    const id = this.blockAt(e);
    if (id !== null) for (const b of this.on.brush(id)) this.stroke.add(b);
    this.setBrush([...this.stroke]);
  }

  private up(): void {
    if (!this.painting) return;
    this.painting = false;
    const ids = [...this.stroke];
    this.stroke.clear();
    this.setBrush([]);
    if (ids.length) this.on.stroke(ids);
  }

  private setBrush(ids: number[]): void {
    for (const id of this.hover) this.map.setFeatureState({ source: BLOCKS, id }, { brush: false });
    this.hover = ids;
    for (const id of ids) this.map.setFeatureState({ source: BLOCKS, id }, { brush: true });
  }
}
