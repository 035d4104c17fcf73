// The household layer's choice of dots as the camera moves: merged for where it stands, never
// merged in the middle of a flight (a merge takes tens of ms), and never coarser than a quarter
// pixel on screen.
import { describe, expect, it } from 'vitest';
import type { Households } from '@grid-atlas/contract';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { DeckStack } from './deck';
import { HouseholdPoints } from './households';

/** A map that reports a zoom and lets the test fire its zoom events. */
function fakeMap() {
  const handlers = new Map<string, () => void>();
  const m = {
    zoom: 13,
    getZoom: () => m.zoom,
    on: (t: string, f: () => void) => handlers.set(t, f),
    off: (t: string) => handlers.delete(t),
    fire: (t: string) => handlers.get(t)?.(),
  };
  return m;
}

/** 2,000 households, ten to a spot: 200 spots 0.001° (~100 m) apart on a row. */
function households(): Households {
  const n = 2000;
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = 109.4 + Math.floor(i / 10) * 0.001;
    positions[2 * i + 1] = 30.28;
  }
  return { count: n, positions, flags: new Uint8Array(n) } as unknown as Households;
}

describe('HouseholdPoints', () => {
  it('draws a merge for where the camera stands, and none is made during a flight', () => {
    const map = fakeMap();
    const drawn: { length: number }[] = [];
    const deck = { set: (_: string, layer: any) => drawn.push(layer?.props.data ?? { length: 0 }) } as unknown as DeckStack;
    const points = new HouseholdPoints(map as unknown as MaplibreMap, deck, 1);
    points.setData(households());
    points.setVisible(true, 0);
    expect(points.drawnCount).toBe(2000);
    expect(points.spriteCount).toBe(200); // ten households to a spot: one dot each

    // Flying in to a level never merged for: every dot as it is, nothing merged in the frame.
    map.zoom = 15.6;
    map.fire('zoom');
    expect(points.spriteCount).toBe(2000);
    // Stopped: the merge for here.
    map.fire('zoomend');
    expect(points.spriteCount).toBe(200);

    // Flying out: the merge made for the closer zoom is finer than needed, so it is used.
    map.zoom = 14;
    map.fire('zoom');
    expect(drawn.at(-1)).toBe(drawn.at(-2));
    map.fire('zoomend');
    expect(points.spriteCount).toBe(200);
    // Back in to 13 and out to a zoom merged before: the merge kept for it, not a new one.
    map.zoom = 13;
    map.fire('zoomend');
    const at13 = drawn.at(-1);
    map.zoom = 15.6;
    map.fire('zoomend');
    map.zoom = 13;
    map.fire('zoom');
    expect(drawn.at(-1)).toBe(at13);

    points.setVisible(false, 0);
    expect(points.spriteCount).toBe(0);
    expect(points.drawnCount).toBe(0);
  });
});
