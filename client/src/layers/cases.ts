// Case points (诉求/事件) on a map: one dot per case coloured by status, a red ring around the
// overdue ones, a white ring around the one open in the detail panel. deck.gl ScatterplotLayers
// in the 'cases' slot of the shared overlay; a click on a dot hands its case id to the view.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { CaseRow } from '../api/cases';
import { CASE_OVERDUE_RING, CASE_STATUS_COLORS } from '../map/theme';
import type { DeckStack } from './deck';
import { LAYER } from './ids';

/** The few fields the layer reads; kept as plain objects (never Vue proxies, deck.gl issue #8292). */
export interface CasePoint {
  id: number;
  lon: number;
  lat: number;
  status: CaseRow['status'];
  overdue: boolean;
}

export function toCasePoints(rows: readonly CaseRow[]): CasePoint[] {
  return rows.map((r) => ({ id: r.id, lon: r.lon, lat: r.lat, status: r.status, overdue: r.overdue }));
}

export class CasePoints {
  private points: CasePoint[] = [];
  private visible = true;
  private selected: number | null = null;

  constructor(
    private readonly deck: DeckStack,
    private readonly scale: number,
    private readonly onPick: (id: number) => void,
  ) {}

  setData(points: readonly CasePoint[] | null): void {
    this.points = points ? [...points] : [];
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.render();
  }

  setSelected(id: number | null): void {
    this.selected = id;
    this.render();
  }

  get drawnCount(): number {
    return this.visible ? this.points.length : 0;
  }

  destroy(): void {
    this.deck.set('cases', null);
  }

  private render(): void {
    if (!this.visible || !this.points.length) {
      this.deck.set('cases', null);
      return;
    }
    const s = this.scale;
    const overdue = this.points.filter((p) => p.overdue);
    const selected = this.points.filter((p) => p.id === this.selected);
    const layers: Layer[] = [
      new ScatterplotLayer<CasePoint>({
        id: 'ga-cases',
        ...({ beforeId: LAYER.householdsBefore } as object),
        data: this.points,
        getPosition: (p) => [p.lon, p.lat],
        getFillColor: (p) => [...(CASE_STATUS_COLORS[p.status] ?? [200, 200, 200, 230])] as [number, number, number, number],
        getLineColor: [5, 13, 25, 255],
        stroked: true,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getRadius: 7 * s,
        getLineWidth: 1.5 * s,
        pickable: true,
        onClick: (info: PickingInfo<CasePoint>) => {
          if (info.object) this.onPick(info.object.id);
          return true;
        },
        updateTriggers: { getFillColor: this.points.length },
      }),
    ];
    if (overdue.length) {
      layers.push(
        new ScatterplotLayer<CasePoint>({
          id: 'ga-cases-overdue',
          ...({ beforeId: LAYER.householdsBefore } as object),
          data: overdue,
          getPosition: (p) => [p.lon, p.lat],
          filled: false,
          stroked: true,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getRadius: 11.5 * s,
          getLineWidth: 2.5 * s,
          getLineColor: [...CASE_OVERDUE_RING] as [number, number, number, number],
        }),
      );
    }
    if (selected.length) {
      layers.push(
        new ScatterplotLayer<CasePoint>({
          id: 'ga-cases-selected',
          ...({ beforeId: LAYER.householdsBefore } as object),
          data: selected,
          getPosition: (p) => [p.lon, p.lat],
          filled: false,
          stroked: true,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getRadius: 16 * s,
          getLineWidth: 2.5 * s,
          getLineColor: [255, 255, 255, 255],
        }),
      );
    }
    this.deck.set('cases', layers);
  }
}
