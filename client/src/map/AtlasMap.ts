// The map controller: owns the MapLibre map, our layer stack and the deck.gl overlay, and exposes
// a small imperative API that the views drive from the stores. Nothing here is reactive.
// Both views use it: the city overview (MapView.vue) and a community's detail (CommunityView.vue,
// which calls showCommunityDetail() and adds links and a focused household).
import type { LngLatBoundsLike, Map as MaplibreMap, PaddingOptions } from 'maplibre-gl';
import { bbox } from '@turf/bbox';
import type { FeatureCollection } from 'geojson';
import type { BusinessLinkLine, CadreLinkLine } from '../api/community';
import type { Households } from '@grid-atlas/contract';
import type { AreaGeometry, CityOutline, CommunityCollection, GridCollection, SubdistrictCollection } from '@grid-atlas/contract';
import {
  addBoundaryLayers,
  setFillTransition,
  type FillTransition,
  setGridPlain,
  setGridRamp,
  setSourceData,
  withSubdistrictColors,
} from '../layers/boundaries';
import { DeckStack } from '../layers/deck';
import { FocusRing } from '../layers/focus';
import { HouseholdPoints } from '../layers/households';
import { BusinessLinkLines, LinkLines } from '../layers/links';
import { CasePoints, type CasePoint } from '../layers/cases';
import { MarkerPoints, type MarkerPoint } from '../layers/markers';
import { CoverageHeat, type HeatCell } from '../layers/heat';
import { LAYER, SOURCE } from '../layers/ids';
import { addStreetLayers, setStreetData } from '../layers/streets';
import { addLabelLayers, setLabelZooms, setLabelsVisible, setWallLabels, type LabelZooms } from '../layers/labels';
import { createMap, styleReady } from './createMap';
import { labelPoints, typicalSize, worldOutside, zoomForSize } from './geometry';
import { bindGridInteraction, setFocusedSubdistrict, setSelectedGrid } from './interaction';
import type { ResolvedStyle } from './style';
import { markGridsLoaded } from './testHooks';
import { t } from '../i18n';

export interface AtlasMapOptions {
  container: HTMLElement;
  style: ResolvedStyle;
  scale: number;
  /** Screen space covered by panels, so fitted extents land in the visible part of the map. */
  padding: () => PaddingOptions;
  onSelectGrid: (id: number | null) => void;
  onZoom: (zoom: number) => void;
  /** A case dot was clicked (views that draw cases). */
  onPickCase?: (id: number) => void;
  /**
   * The wall screen (the command centre): every community's name from the city zoom on, placed
   * around its point where its own spot is taken (labels.ts setWallLabels).
   */
  wallLabels?: boolean;
}

/** Zoom thresholds derived from the data (see geometry.zoomForSize). */
export interface DerivedZooms {
  labels: LabelZooms;
  householdsMin: number;
}

type Bounds = [number, number, number, number];
export type MarkerSlot = 'vanguard' | 'organisations' | 'businesses';

export class AtlasMap {
  readonly map: MaplibreMap;
  readonly ready: Promise<void>;
  private deck: DeckStack | null = null;
  private households: HouseholdPoints | null = null;
  private links: LinkLines | null = null;
  /** 双定三联's third link: lines from members' homes to the businesses they are linked to. */
  private businessLinks: BusinessLinkLines | null = null;
  private focusRing: FocusRing | null = null;
  private cases: CasePoints | null = null;
  private heat: CoverageHeat | null = null;
  /** The community view's organisation layers: 红色尖刀班 tasks and 五社联动 organisations. */
  private markers: Partial<Record<MarkerSlot, MarkerPoints>> = {};
  /** Community view: grids drawn plain (households carry the colour), labels at every zoom. */
  private detail = false;
  private unbind: (() => void) | null = null;
  private selected: number | null = null;
  private focused: number | null = null;
  private readonly bounds = { home: null as Bounds | null, subdistricts: new Map<number, Bounds>(), communities: new Map<number, Bounds>(), grids: new Map<number, Bounds>() };
  private framed = false;
  private fillTransition: FillTransition | null = null;
  private householdsOn = false;
  /** The command centre's metric choropleth is on: grid fills stay opaque at every zoom. */
  private choropleth = false;

  constructor(private readonly opts: AtlasMapOptions) {
    this.map = createMap(opts.container, opts.style.style, opts.scale);
    this.map.on('zoomend', () => opts.onZoom(this.map.getZoom()));
    this.ready = styleReady(this.map).then(() => {
      addBoundaryLayers(this.map, opts.scale, opts.style.basemap);
      addLabelLayers(this.map, opts.scale);
      if (opts.wallLabels) setWallLabels(this.map, opts.scale);
      this.deck = new DeckStack(this.map);
      this.links = new LinkLines(this.deck, opts.scale);
      this.households = new HouseholdPoints(this.map, this.deck, opts.scale);
      this.focusRing = new FocusRing(this.deck, opts.scale);
      this.cases = new CasePoints(this.deck, opts.scale, (id) => opts.onPickCase?.(id));
      this.heat = new CoverageHeat(this.deck, opts.scale);
      this.markers = {
        vanguard: new MarkerPoints(this.deck, 'vanguard', opts.scale, [255, 235, 235, 255]),
        organisations: new MarkerPoints(this.deck, 'organisations', opts.scale, [5, 13, 25, 255]),
        businesses: new MarkerPoints(this.deck, 'businesses', opts.scale, [255, 255, 255, 230]),
      };
      this.businessLinks = new BusinessLinkLines(this.deck, opts.scale);
      this.unbind = bindGridInteraction(this.map, { onSelect: opts.onSelectGrid });
      opts.onZoom(this.map.getZoom());
    });
  }

  setCityOutline(fc: CityOutline): void {
    setSourceData(this.map, SOURCE.city, fc);
    setSourceData(this.map, SOURCE.cityOutside, worldOutside(fc));
    const pt = labelPoints(fc).features[0];
    if (pt) setSourceData(this.map, SOURCE.cityLabel, { type: 'FeatureCollection', features: [{ ...pt, properties: { name: t('map.label.city') } }] });
    // Without boundaries yet, show the whole city rather than an empty urban centre.
    if (!this.bounds.home) this.fit(bbox(fc) as Bounds, false);
  }

  setSubdistricts(fc: SubdistrictCollection): void {
    setSourceData(this.map, SOURCE.subdistricts, withSubdistrictColors(fc));
    setSourceData(this.map, SOURCE.subdistrictLabels, labelPoints(fc));
    this.bounds.subdistricts = boundsById(fc);
    if (this.focused !== null) setFocusedSubdistrict(this.map, null, this.focused);
    // None in the reader's scope: the city outline keeps the frame (an empty bbox is infinite).
    if (fc.features.length === 0) return;
    this.bounds.home = bbox(fc) as Bounds;
    if (!this.framed) {
      this.framed = true;
      this.fit(this.bounds.home, false);
    }
  }

  setCommunities(fc: CommunityCollection): void {
    setSourceData(this.map, SOURCE.communities, fc);
    setSourceData(this.map, SOURCE.communityLabels, labelPoints(fc));
    this.bounds.communities = boundsById(fc);
  }

  /** `breaks`: the household class thresholds the legend shows (stores/atlas householdBreaks). */
  setGrids(fc: GridCollection, breaks: readonly number[]): void {
    setSourceData(this.map, SOURCE.grids, fc);
    setSourceData(this.map, SOURCE.gridLabels, labelPoints(fc));
    if (this.detail) setGridPlain(this.map, this.opts.scale);
    else setGridRamp(this.map, breaks);
    this.bounds.grids = boundsById(fc);
    // Feature-state survives setData, but re-assert the selection in case ids changed.
    if (this.selected !== null) setSelectedGrid(this.map, null, this.selected);
    markGridsLoaded(this.map, fc.features.length);
  }

  /**
   * The command centre's choropleth: grids carry a `metric` property (null: no data, drawn dark)
   * coloured by a step expression over `breaks`. Replaces the household ramp of setGrids.
   */
  setGridChoropleth(fc: GridCollection, breaks: readonly number[], colors: readonly string[]): void {
    this.choropleth = true;
    setSourceData(this.map, SOURCE.grids, fc);
    const step: unknown[] = ['step', ['to-number', ['get', 'metric'], 0], colors[0]];
    breaks.forEach((b, i) => step.push(b, colors[i + 1]));
    const expr = ['case', ['==', ['get', 'metric'], null], '#26303c', step];
    this.map.setPaintProperty(LAYER.gridFill, 'fill-color', expr as never);
    // The metric is the picture at every zoom: no cross-fade to the subdistrict tint.
    this.map.setPaintProperty(LAYER.gridFill, 'fill-opacity', ['case', ['boolean', ['feature-state', 'hover'], false], 0.95, 0.78]);
    this.map.setPaintProperty(LAYER.subdistrictFill, 'fill-opacity', 0);
  }

  /** Label bands and fill cross-fade from the typical size of each level's polygons. */
  applyDerivedZooms(sd: SubdistrictCollection | null, comm: CommunityCollection | null, grids: GridCollection | null): DerivedZooms | null {
    if (!sd || !comm || !grids || grids.features.length === 0) return null;
    const lat = this.map.getCenter().lat;
    const s = this.opts.scale;
    const z = (fc: FeatureCollection<AreaGeometry>, px: number) => zoomForSize(typicalSize(fc), px * s, lat);
    const gridMin = z(grids, 110);
    const commMin = z(comm, 100);
    const sdMin = z(sd, 90);
    const derived: DerivedZooms = {
      labels: {
        city: { max: sdMin },
        subdistrict: { min: sdMin, max: Math.max(commMin + 1.2, z(sd, 700)) },
        // The wall names every community from the subdistricts' zoom on (a leader reads the city by them).
        community: { min: this.opts.wallLabels ? Math.min(commMin, sdMin) : commMin, max: gridMin + 1.5 },
        grid: { min: gridMin, detail: gridMin + 1.2 },
      },
      householdsMin: z(grids, 70),
    };
    setLabelZooms(this.map, derived.labels);
    this.fillTransition = { from: z(grids, 6), to: z(grids, 18) };
    if (!this.choropleth) setFillTransition(this.map, this.fillTransition, this.householdsOn);
    return derived;
  }

  /**
   * The community view: one community fills the screen, so every grid label shows (with its
   * household count), grids are drawn plain under the household points, and points show at
   * every zoom (a community has a few thousand, not 95k).
   */
  showCommunityDetail(): void {
    this.detail = true;
    setLabelZooms(this.map, {
      // min 24 = never (a maxzoom of 0 is not honoured as "hidden"); the header names the community.
      city: { max: 0 },
      subdistrict: { min: 24, max: 24 },
      community: { min: 24, max: 24 },
      grid: { min: 0, detail: 15 },
    });
    setGridPlain(this.map, this.opts.scale);
  }

  /** Fits the camera to a set of features (e.g. one community's grids). */
  fitFeatures(fc: FeatureCollection, animate = false): void {
    if (fc.features.length === 0) return;
    this.fit(bbox(fc) as Bounds, animate, 17.5);
  }

  setLinks(links: readonly CadreLinkLine[] | null): void {
    this.links?.setData(links);
  }

  setLinksVisible(visible: boolean): void {
    this.links?.setVisible(visible);
  }

  setBusinessLinks(links: readonly BusinessLinkLine[] | null, visible: boolean): void {
    this.businessLinks?.setData(links);
    this.businessLinks?.setVisible(visible);
  }

  /** Rings one household (list selection) and, when `fly`, brings the camera to it. */
  focusHousehold(position: [number, number] | null, fly = true): void {
    this.focusRing?.set(position);
    if (position && fly) {
      this.map.flyTo({ center: position, zoom: Math.max(this.map.getZoom(), 17), padding: this.opts.padding(), duration: 900 });
    }
  }

  setCases(points: readonly CasePoint[] | null): void {
    this.cases?.setData(points);
  }

  setCasesVisible(visible: boolean): void {
    this.cases?.setVisible(visible);
  }

  /** One of the organisation layers (the community view); null empties it. */
  setMarkers(slot: MarkerSlot, points: readonly MarkerPoint[] | null): void {
    this.markers[slot]?.setData(points);
  }

  setMarkersVisible(slot: MarkerSlot, visible: boolean): void {
    this.markers[slot]?.setVisible(visible);
  }

  /** Markers of one organisation layer drawn right now; a test hook. */
  markersDrawn(slot: MarkerSlot): number {
    return this.markers[slot]?.drawnCount ?? 0;
  }

  /** The cadre coverage heatmap (the command centre); null hides it. */
  setHeat(cells: readonly HeatCell[] | null): void {
    this.heat?.setData(cells);
  }

  /** Heat cells drawn right now; a test hook. */
  get heatCells(): number {
    return this.heat?.drawnCells ?? 0;
  }

  /** New cases pulse until `durationMs` after their arrival (the command centre). */
  pulseCases(arrivals: ReadonlyMap<number, number>, durationMs: number): void {
    this.cases?.setPulse(arrivals, durationMs);
  }

  /** Rings the case open in the detail panel and, when `fly`, brings the camera to it. */
  selectCase(id: number | null, position: [number, number] | null = null, fly = false): void {
    this.cases?.setSelected(id);
    if (position && fly) {
      this.map.flyTo({ center: position, zoom: Math.max(this.map.getZoom(), 16), padding: this.opts.padding(), duration: 800 });
    }
  }

  /** Fits the camera to a set of points (the cases of an inbox). */
  fitPoints(points: readonly [number, number][], animate = false): void {
    if (!points.length) return;
    const lons = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    const pad = 0.003;
    this.fit([Math.min(...lons) - pad, Math.min(...lats) - pad, Math.max(...lons) + pad, Math.max(...lats) + pad], animate, 16.5);
  }

  /** Case points drawn right now; a test hook. */
  get casesDrawn(): number {
    return this.cases?.drawnCount ?? 0;
  }

  /** 特急 case points drawn right now, with their marker; a test hook. */
  get emergencyCasesDrawn(): number {
    return this.cases?.emergencyCount ?? 0;
  }

  /** Household points drawn right now; a test hook. */
  get householdsDrawn(): number {
    return this.households?.drawnCount ?? 0;
  }

  /** The dots those households are drawn as, coincident ones merged; a test hook. */
  get householdDots(): number {
    return this.households?.spriteCount ?? 0;
  }

  setLabelsVisible(visible: boolean): void {
    setLabelsVisible(this.map, visible);
  }

  setHouseholds(data: Households | null): void {
    this.households?.setData(data);
  }

  setHouseholdsVisible(visible: boolean, minZoom: number): void {
    this.households?.setVisible(visible, minZoom);
    this.householdsOn = visible;
    if (this.fillTransition && !this.choropleth) setFillTransition(this.map, this.fillTransition, visible);
  }

  select(id: number | null): void {
    setSelectedGrid(this.map, this.selected, id);
    this.selected = id;
  }

  focusSubdistrict(id: number | null): void {
    setFocusedSubdistrict(this.map, this.focused, id);
    this.focused = id;
  }

  /**
   * The synthetic ground (river and streets, GET /api/basemap), drawn only when no real basemap is
   * configured: a real one has its own streets. Layers are added on first use.
   */
  setStreets(fc: FeatureCollection): void {
    if (this.opts.style.basemap) return;
    if (!this.map.getSource('ga-basemap')) addStreetLayers(this.map, this.opts.scale);
    setStreetData(this.map, fc);
  }

  flyHome(): void {
    if (this.bounds.home) this.fit(this.bounds.home, true);
  }

  flyToSubdistrict(id: number): void {
    const b = this.bounds.subdistricts.get(id);
    if (b) this.fit(b, true);
  }

  flyToCommunity(id: number): void {
    const b = this.bounds.communities.get(id);
    if (b) this.fit(b, true);
  }

  flyToGrid(id: number): void {
    const b = this.bounds.grids.get(id);
    if (b) this.fit(b, true, 16);
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.unbind?.();
    this.households?.destroy();
    this.links?.destroy();
    this.focusRing?.destroy();
    this.cases?.destroy();
    this.heat?.destroy();
    Object.values(this.markers).forEach((m) => m.destroy());
    this.businessLinks?.destroy();
    this.deck?.destroy();
    this.map.remove();
  }

  private fit(b: Bounds, animate: boolean, maxZoom = 17): void {
    const bounds: LngLatBoundsLike = [
      [b[0], b[1]],
      [b[2], b[3]],
    ];
    // A screen twice as wide (a 4K wall) shows the same picture one zoom level deeper: the cap
    // moves with the scale, so a grid fills a 3840×2160 wall as it fills 1920×1080.
    const cap = Math.min(this.map.getMaxZoom(), maxZoom + Math.log2(this.opts.scale));
    this.map.fitBounds(bounds, { padding: this.opts.padding(), animate, duration: animate ? 1200 : 0, maxZoom: cap });
  }
}

function boundsById(fc: FeatureCollection): Map<number, Bounds> {
  const m = new Map<number, Bounds>();
  for (const f of fc.features) {
    const id = Number(f.properties?.id ?? f.id);
    if (f.geometry && Number.isFinite(id)) m.set(id, bbox(f) as Bounds);
  }
  return m;
}
