// One deck.gl overlay per map, shared by every deck.gl layer we draw (household points, 双定三联
// link lines, the focused-household ring). Each owner sets its own slot; the overlay gets the
// slots in a fixed order, so owners need not know about each other.
//
// The overlay and the layers are plain objects, never reactive state: deck.gl breaks when its
// props are Vue proxies (deck.gl issue #8292).
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import type { Map as MaplibreMap } from 'maplibre-gl';

/** Drawing order, bottom to top. */
const SLOTS = ['heat', 'links', 'businessLinks', 'households', 'vanguard', 'organisations', 'businesses', 'cases', 'focus'] as const;
export type DeckSlot = (typeof SLOTS)[number];

export class DeckStack {
  private readonly overlay: MapboxOverlay;
  private readonly layers = new Map<DeckSlot, Layer | Layer[] | null>();

  constructor(private readonly map: MaplibreMap) {
    // interleaved: deck.gl draws inside MapLibre's layer stack, so labels stay on top (beforeId).
    this.overlay = new MapboxOverlay({ interleaved: true, layers: [] });
    map.addControl(this.overlay);
  }

  set(slot: DeckSlot, layer: Layer | Layer[] | null): void {
    this.layers.set(slot, layer);
    this.overlay.setProps({ layers: SLOTS.flatMap((s) => this.layers.get(s) ?? []) });
  }

  destroy(): void {
    this.map.removeControl(this.overlay);
    this.overlay.finalize();
  }
}
