// Organisation markers on the community map: the 红色尖刀班's tasks (coloured by kind, a ring
// that fills with progress) and the 五社联动 organisations (coloured by kind). deck.gl
// ScatterplotLayers in a slot of their own of the shared overlay; one instance per slot.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { DeckSlot, DeckStack } from './deck';
import { LAYER } from './ids';

type Rgba = [number, number, number, number];

/** The few fields the layer reads; kept as plain objects (never Vue proxies, deck.gl issue #8292). */
export interface MarkerPoint {
  id: number;
  lon: number;
  lat: number;
  color: Rgba;
  /** 0–1: drawn as a second, inner dot (task progress); absent for plain markers */
  progress?: number;
}

export class MarkerPoints {
  private points: MarkerPoint[] = [];
  private visible = false;

  constructor(
    private readonly deck: DeckStack,
    private readonly slot: Extract<DeckSlot, 'vanguard' | 'organisations' | 'businesses'>,
    private readonly scale: number,
    private readonly outline: Rgba,
  ) {}

  setData(points: readonly MarkerPoint[] | null): void {
    this.points = points ? [...points] : [];
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.render();
  }

  get drawnCount(): number {
    return this.visible ? this.points.length : 0;
  }

  destroy(): void {
    this.deck.set(this.slot, null);
  }

  private render(): void {
    if (!this.visible || !this.points.length) {
      this.deck.set(this.slot, null);
      return;
    }
    const s = this.scale;
    const layers: Layer[] = [
      new ScatterplotLayer<MarkerPoint>({
        id: `ga-${this.slot}`,
        ...({ beforeId: LAYER.householdsBefore } as object),
        data: this.points,
        getPosition: (p) => [p.lon, p.lat],
        getFillColor: (p) => p.color,
        getLineColor: this.outline,
        stroked: true,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getRadius: 9 * s,
        getLineWidth: 2.5 * s,
        updateTriggers: { getFillColor: this.points },
      }),
    ];
    const withProgress = this.points.filter((p) => p.progress !== undefined);
    if (withProgress.length) {
      // The inner dot grows with progress: a finished task is a full white dot.
      layers.push(new ScatterplotLayer<MarkerPoint>({
        id: `ga-${this.slot}-progress`,
        ...({ beforeId: LAYER.householdsBefore } as object),
        data: withProgress,
        getPosition: (p) => [p.lon, p.lat],
        getFillColor: [255, 255, 255, 235],
        radiusUnits: 'pixels',
        getRadius: (p) => Math.max(1, 6.5 * Math.sqrt(p.progress ?? 0)) * s,
        updateTriggers: { getRadius: withProgress },
      }));
    }
    this.deck.set(this.slot, layers);
  }
}
