// Household points: a deck.gl layer of point sprites (DotLayer, see dotLayer.ts for why not the
// ScatterplotLayer) interleaved into the MapLibre layer stack, fed with binary attributes straight
// from the decoded typed arrays (no per-household JS objects). Households within a quarter of a
// screen pixel of each other are drawn as one dot as opaque as their stack (dotMerge.ts): to the
// eye the same picture, a third of the point primitives at city zoom.
//
// The layer and the arrays are plain objects owned by this class, never reactive state: deck.gl
// breaks when its props are Vue proxies (deck.gl issue #8292), and proxying 95k entries would be
// slow anyway. The deck.gl overlay is shared with the other deck layers (layers/deck.ts).
import type { BinaryAttribute } from '@deck.gl/core';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { FLAG_IN_DIFFICULTY, FLAG_IN_SERVICE_LINK, type Households } from '@grid-atlas/contract';
import { HOUSEHOLD_COLORS } from '../map/theme';
import type { DeckStack } from './deck';
import { DotLayer } from './dotLayer';
import { mergeCoincident, mergeLevel, type DotArrays } from './dotMerge';
import { zoomScale } from './dotScale';
import { LAYER } from './ids';

/** Merged sets of dots kept, by level (each up to a few MB). */
const MERGES_KEPT = 6;

export class HouseholdPoints {
  /** Every household's dot, in draw order. */
  private dots: DotArrays | null = null;
  /**
   * deck.gl binary data objects by merge level (dotMerge.ts), kept identical between renders so
   * the attributes upload once per level.
   */
  private readonly byLevel = new Map<number, LayerData>();
  /** Every dot as it is, for a camera on its way in (see render). */
  private unmerged: LayerData | null = null;
  /** What is drawn now. */
  private current: LayerData | null = null;
  /** The merge level of the zoom last drawn. */
  private level = NaN;
  private wanted = false;
  private minZoom = 14;
  private readonly onZoomEnd = () => this.render(false);
  /** While the camera zooms, the dots follow it a quarter zoom level at a time. */
  private readonly onZoom = () => {
    if (mergeLevel(this.map.getZoom()) !== this.level) this.render(true);
  };

  constructor(
    private readonly map: MaplibreMap,
    private readonly deck: DeckStack,
    private readonly scale: number,
  ) {
    map.on('zoomend', this.onZoomEnd);
    map.on('zoom', this.onZoom);
  }

  /** How many households are drawn right now (0 while hidden or zoomed out): a test hook. */
  get drawnCount(): number {
    return this.shown ? (this.dots?.length ?? 0) : 0;
  }

  /** How many dots they are drawn as, coincident ones merged (a test hook). */
  get spriteCount(): number {
    return this.shown ? (this.current?.length ?? 0) : 0;
  }

  private get shown(): boolean {
    return this.wanted && this.dots !== null && this.map.getZoom() >= this.minZoom;
  }

  setData(data: Households | null): void {
    this.dots = data ? sortedDots(data, this.scale) : null;
    this.byLevel.clear();
    this.unmerged = null;
    this.render(false);
  }

  /** `visible`: the user's toggle; points are still only drawn from `minZoom` up. */
  setVisible(visible: boolean, minZoom: number): void {
    this.wanted = visible;
    this.minZoom = minZoom;
    this.render(false);
  }

  destroy(): void {
    this.map.off('zoomend', this.onZoomEnd);
    this.map.off('zoom', this.onZoom);
    this.deck.set('households', null);
  }

  /**
   * `moving`: the camera is zooming. A merge takes 20–40 ms for 95,402 dots, too long for a frame
   * of a flight, so while moving none is made: a merge made for this zoom or a closer one is used
   * (its cells are a quarter pixel or less here), else every dot as it is. The merge for where
   * the camera stops is made when it stops.
   */
  private render(moving: boolean): void {
    const zoom = this.map.getZoom();
    this.level = mergeLevel(zoom);
    if (!this.shown || !this.dots) {
      this.current = null;
      this.deck.set('households', null);
      return;
    }
    let data = this.byLevel.get(this.level);
    if (!data && moving) {
      const closer = [...this.byLevel.keys()].filter((l) => l >= this.level).sort((a, b) => a - b)[0];
      data = closer === undefined ? (this.unmerged ??= layerData(this.dots)) : this.byLevel.get(closer)!;
    }
    if (!data) {
      data = layerData(mergeCoincident(this.dots, this.level));
      // A handful of levels is what a session zooms between; older ones are made again if needed.
      if (this.byLevel.size >= MERGES_KEPT) this.byLevel.delete(this.byLevel.keys().next().value!);
      this.byLevel.set(this.level, data);
    }
    this.current = data;
    this.deck.set(
      'households',
      new DotLayer({
        id: 'ga-households',
        beforeId: LAYER.householdsBefore,
        data,
        radiusScale: zoomScale(zoom),
        radiusMinPixels: 1.5,
      }),
    );
  }
}

type Tier = 0 | 1 | 2;

/** 0 = other, 1 = linked to an in-service party member, 2 = in difficulty (what leaders look for). */
function tierOf(flags: number): Tier {
  return flags & FLAG_IN_DIFFICULTY ? 2 : flags & FLAG_IN_SERVICE_LINK ? 1 : 0;
}

const TIER_STYLE: Record<Tier, { color: readonly number[]; radius: number }> = {
  0: { color: HOUSEHOLD_COLORS.other, radius: 2.2 },
  1: { color: HOUSEHOLD_COLORS.partyLinked, radius: 2.8 },
  2: { color: HOUSEHOLD_COLORS.inDifficulty, radius: 3.8 },
};

type LayerData = { length: number; attributes: Record<string, BinaryAttribute> };

/**
 * Dots in draw order: deck.gl draws in array order, so households in difficulty are moved to the
 * end (drawn on top) and made larger. A counting sort keeps this O(N).
 */
function sortedDots(d: Households, scale: number): DotArrays {
  const n = d.count;
  const counts = [0, 0, 0];
  for (let i = 0; i < n; i++) counts[tierOf(d.flags[i])]++;
  const next = [0, counts[0], counts[0] + counts[1]];
  const positions = new Float64Array(2 * n);
  const colors = new Uint8Array(4 * n);
  const radii = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tierOf(d.flags[i]);
    const j = next[t]++;
    positions[2 * j] = d.positions[2 * i];
    positions[2 * j + 1] = d.positions[2 * i + 1];
    colors.set(TIER_STYLE[t].color, 4 * j);
    radii[j] = TIER_STYLE[t].radius * scale;
  }
  return { length: n, positions, colors, radii };
}

/** deck.gl's binary data object for a set of dots. */
function layerData({ length, positions, colors, radii }: DotArrays): LayerData {
  return {
    length,
    attributes: {
      getPosition: { value: positions, size: 2 },
      // `normalized` is honoured at run time but missing from deck.gl's BinaryAttribute type;
      // without it deck.gl warns that the 0-255 bytes will be normalised (which is what we want).
      getFillColor: { value: colors, size: 4, type: 'unorm8', normalized: true } as BinaryAttribute,
      getRadius: { value: radii, size: 1 },
    },
  };
}
