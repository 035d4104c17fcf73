// The household picked in the list: a bright ring drawn above every point, so the eye finds it
// among a few thousand after the camera flies there.
import { ScatterplotLayer } from '@deck.gl/layers';
import { FOCUS_RING } from '../map/theme';
import type { DeckStack } from './deck';
import { LAYER } from './ids';

export class FocusRing {
  constructor(
    private readonly deck: DeckStack,
    private readonly scale: number,
  ) {}

  set(position: [number, number] | null): void {
    if (!position) {
      this.deck.set('focus', null);
      return;
    }
    this.deck.set(
      'focus',
      new ScatterplotLayer<[number, number]>({
        id: 'ga-focus',
        // Interleaving prop of @deck.gl/mapbox, missing from the typed layer props.
        ...({ beforeId: LAYER.householdsBefore } as object),
        data: [position],
        getPosition: (p) => p,
        radiusUnits: 'pixels',
        getRadius: 9 * this.scale,
        filled: true,
        getFillColor: [255, 226, 106, 70],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 3 * this.scale,
        getLineColor: FOCUS_RING as unknown as [number, number, number, number],
        pickable: false,
      }),
    );
  }

  destroy(): void {
    this.deck.set('focus', null);
  }
}
