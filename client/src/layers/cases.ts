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
  /** When set (the command centre), the outline shows the level handling the case. */
  level?: CaseRow['level'];
  /** When set (the command centre), 特急 (emergency) cases are drawn larger, on top, in a double ring. */
  priority?: CaseRow['priority'];
}

/** The 特急 marker's ring: magenta, apart from every status colour and the overdue red. */
export const EMERGENCY_RING: [number, number, number, number] = [255, 64, 214, 255];

/** Outline by handling level: the higher the level, the warmer and thicker the ring. */
const LEVEL_OUTLINE: Record<CaseRow['level'], { color: [number, number, number, number]; width: number }> = {
  grid: { color: [235, 245, 255, 255], width: 1.5 },
  community: { color: [90, 230, 255, 255], width: 2.5 },
  subdistrict: { color: [255, 170, 60, 255], width: 3 },
  city: { color: [255, 90, 200, 255], width: 3.5 },
};
/** How long one pulse ring takes to grow and fade, ms. */
const PULSE_PERIOD = 1600;

export function toCasePoints(rows: readonly CaseRow[]): CasePoint[] {
  return rows.map((r) => ({ id: r.id, lon: r.lon, lat: r.lat, status: r.status, overdue: r.overdue }));
}

export class CasePoints {
  private points: CasePoint[] = [];
  private visible = true;
  private selected: number | null = null;
  /** Case id → arrival time (ms): new cases pulse for `pulseMs` after it. */
  private arrivals: ReadonlyMap<number, number> = new Map();
  private pulseMs = 0;
  private frame = 0;

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

  /** New cases pulse (a growing, fading ring) until `durationMs` after their arrival. */
  setPulse(arrivals: ReadonlyMap<number, number>, durationMs: number): void {
    this.arrivals = arrivals;
    this.pulseMs = durationMs;
    this.render();
  }

  /** Ids of the cases pulsing now: a test hook. */
  get pulsing(): number[] {
    const t = Date.now();
    return this.points.filter((p) => (this.arrivals.get(p.id) ?? -Infinity) > t - this.pulseMs).map((p) => p.id);
  }

  get drawnCount(): number {
    return this.visible ? this.points.length : 0;
  }

  /** 特急 cases drawn right now (with their marker); a test hook. */
  get emergencyCount(): number {
    return this.visible ? this.points.filter((p) => p.priority === 'emergency').length : 0;
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.deck.set('cases', null);
  }

  private render(): void {
    cancelAnimationFrame(this.frame);
    if (!this.visible || !this.points.length) {
      this.deck.set('cases', null);
      return;
    }
    const s = this.scale;
    // 特急 last, so their dots are drawn over any neighbour's.
    const emergency = this.points.filter((p) => p.priority === 'emergency');
    if (emergency.length) this.points = [...this.points.filter((p) => p.priority !== 'emergency'), ...emergency];
    const overdue = this.points.filter((p) => p.overdue);
    const selected = this.points.filter((p) => p.id === this.selected);
    const layers: Layer[] = [
      new ScatterplotLayer<CasePoint>({
        id: 'ga-cases',
        ...({ beforeId: LAYER.householdsBefore } as object),
        data: this.points,
        getPosition: (p) => [p.lon, p.lat],
        getFillColor: (p) => [...(CASE_STATUS_COLORS[p.status] ?? [200, 200, 200, 230])] as [number, number, number, number],
        getLineColor: (p) => (p.level ? LEVEL_OUTLINE[p.level].color : [5, 13, 25, 255]),
        stroked: true,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getRadius: (p) => (p.priority === 'emergency' ? 9 : 7) * s,
        getLineWidth: (p) => (p.level ? LEVEL_OUTLINE[p.level].width : 1.5) * s,
        pickable: true,
        onClick: (info: PickingInfo<CasePoint>) => {
          if (info.object) this.onPick(info.object.id);
          return true;
        },
        updateTriggers: { getFillColor: this.points, getLineColor: this.points, getLineWidth: this.points, getRadius: this.points },
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
    if (emergency.length) {
      // A magenta ring in a white one, wider than the overdue ring: a 特急 case reads apart from
      // the many overdue ones (one red ring) from across the room.
      for (const [i, r, width, color] of [[0, 22, 2.5, [255, 255, 255, 235]], [1, 16, 4.5, EMERGENCY_RING]] as const) {
        layers.push(
          new ScatterplotLayer<CasePoint>({
            id: `ga-cases-emergency-${i}`,
            ...({ beforeId: LAYER.householdsBefore } as object),
            data: emergency,
            getPosition: (p) => [p.lon, p.lat],
            filled: false,
            stroked: true,
            radiusUnits: 'pixels',
            lineWidthUnits: 'pixels',
            getRadius: r * s,
            getLineWidth: width * s,
            getLineColor: [...color] as [number, number, number, number],
          }),
        );
      }
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
    const now = Date.now();
    const pulsing = this.points.filter((p) => (this.arrivals.get(p.id) ?? -Infinity) > now - this.pulseMs);
    if (pulsing.length) {
      // Each arrival's own phase, so rings of cases that came at different times do not beat together.
      const phase = (p: CasePoint) => ((now - (this.arrivals.get(p.id) ?? now)) % PULSE_PERIOD) / PULSE_PERIOD;
      layers.push(
        new ScatterplotLayer<CasePoint>({
          id: 'ga-cases-pulse',
          ...({ beforeId: LAYER.householdsBefore } as object),
          data: pulsing,
          getPosition: (p) => [p.lon, p.lat],
          filled: false,
          stroked: true,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getRadius: (p) => (9 + 30 * phase(p)) * s,
          getLineWidth: 3 * s,
          getLineColor: (p) => [255, 240, 120, Math.round(255 * (1 - phase(p)))],
          updateTriggers: { getRadius: now, getLineColor: now },
        }),
      );
      this.frame = requestAnimationFrame(() => this.render());
    }
    this.deck.set('cases', layers);
  }
}
