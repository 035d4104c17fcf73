// Household points: a deck.gl layer of point sprites (DotLayer, see dotLayer.ts for why not the
// ScatterplotLayer) interleaved into the MapLibre layer stack, fed with binary attributes straight
// from the decoded typed arrays (no per-household JS objects).
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
import { zoomScale } from './dotScale';
import { LAYER } from './ids';

export class HouseholdPoints {
  /** deck.gl binary data object; kept identical between renders so attributes upload only once. */
  private layerData: { length: number; attributes: Record<string, BinaryAttribute> } | null = null;
  private wanted = false;
  private minZoom = 14;
  private readonly onZoom = () => this.render();

  constructor(
    private readonly map: MaplibreMap,
    private readonly deck: DeckStack,
    private readonly scale: number,
  ) {
    map.on('zoomend', this.onZoom);
  }

  /** How many points are drawn right now (0 while hidden or zoomed out): a test hook. */
  get drawnCount(): number {
    return this.shown ? (this.layerData?.length ?? 0) : 0;
  }

  private get shown(): boolean {
    return this.wanted && this.layerData !== null && this.map.getZoom() >= this.minZoom;
  }

  setData(data: Households | null): void {
    this.layerData = data ? buildAttributes(data, this.scale) : null;
    this.render();
  }

  /** `visible`: the user's toggle; points are still only drawn from `minZoom` up. */
  setVisible(visible: boolean, minZoom: number): void {
    this.wanted = visible;
    this.minZoom = minZoom;
    this.render();
  }

  destroy(): void {
    this.map.off('zoomend', this.onZoom);
    this.deck.set('households', null);
  }

  private render(): void {
    if (!this.shown || !this.layerData) {
      this.deck.set('households', null);
      return;
    }
    this.deck.set(
      'households',
      new DotLayer({
        id: 'ga-households',
        beforeId: LAYER.householdsBefore,
        data: this.layerData,
        radiusScale: zoomScale(this.map.getZoom()),
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

/**
 * Binary attributes in draw order: deck.gl draws in array order, so households in difficulty are
 * moved to the end (drawn on top) and made larger. A counting sort keeps this O(N).
 */
function buildAttributes(d: Households, scale: number): { length: number; attributes: Record<string, BinaryAttribute> } {
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
  return {
    length: n,
    attributes: {
      getPosition: { value: positions, size: 2 },
      // `normalized` is honoured at run time but missing from deck.gl's BinaryAttribute type;
      // without it deck.gl warns that the 0-255 bytes will be normalised (which is what we want).
      getFillColor: { value: colors, size: 4, type: 'unorm8', normalized: true } as BinaryAttribute,
      getRadius: { value: radii, size: 1 },
    },
  };
}
