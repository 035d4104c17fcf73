// Cadre coverage heat: a deck.gl HeatmapLayer over covered households counted per ~100 m cell
// (GET /api/coverage?heat=1; never single households). The colour domain is FIXED, in
// households per cell, so two frames — two kinds of cadre, two days — compare by colour.
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { DeckStack } from './deck';
import { LAYER } from './ids';

/** [lon, lat, covered households] per cell, as the route sends them. */
export type HeatCell = readonly [number, number, number];

/** Cold → hot; the first stop is transparent-ish so empty ground stays dark. */
const HEAT_RANGE: [number, number, number, number][] = [
  [20, 60, 120, 90],
  [40, 140, 220, 170],
  [70, 210, 200, 200],
  [250, 220, 90, 225],
  [255, 140, 50, 240],
  [255, 60, 60, 255],
];
/** Summed weight per pixel neighbourhood mapped to the ramp's ends (fixed, see above). */
export const HEAT_DOMAIN: [number, number] = [1, 15];

export class CoverageHeat {
  private cells: HeatCell[] | null = null;

  constructor(
    private readonly deck: DeckStack,
    private readonly scale: number,
  ) {}

  setData(cells: readonly HeatCell[] | null): void {
    this.cells = cells ? [...cells] : null;
    this.render();
  }

  get drawnCells(): number {
    return this.cells?.length ?? 0;
  }

  destroy(): void {
    this.deck.set('heat', null);
  }

  private render(): void {
    if (!this.cells?.length) {
      this.deck.set('heat', null);
      return;
    }
    this.deck.set(
      'heat',
      new HeatmapLayer<HeatCell>({
        id: 'ga-coverage-heat',
        ...({ beforeId: LAYER.gridLine } as object),
        data: this.cells,
        getPosition: (c) => [c[0], c[1]],
        getWeight: (c) => c[2],
        aggregation: 'SUM',
        radiusPixels: 28 * this.scale,
        intensity: 1,
        threshold: 0.03,
        colorRange: HEAT_RANGE,
        colorDomain: HEAT_DOMAIN,
      }),
    );
  }
}
