// The command centre's choropleth metrics: per grid, a value, its class breaks and colours, and
// how the legend names the classes. Pure functions (tested in metrics.test.ts); the map draws the
// `metric` property that withMetric() adds to each grid feature.
import type { GridCollection } from '@grid-atlas/contract';
import { quantileBreaks, pickColors } from '../map/classify';
import { HOUSEHOLD_RAMP } from '../map/theme';
import { t } from '../i18n';

export type MetricId = 'households' | 'deviation' | 'coverage' | 'heat';

export interface MetricDef {
  id: MetricId;
  label: string;
  /** Legend heading, with the unit. */
  legend: string;
  unit: string;
}

export const METRIC_IDS: readonly MetricId[] = ['households', 'deviation', 'coverage', 'heat'];

/** A metric's texts in the current language (read when asked, never at module load). */
export function metricDef(id: MetricId): MetricDef {
  return { id, label: t(`command.layers.metric.${id}`), legend: t(`command.layers.legend.${id}`), unit: t(`command.layers.legendUnit.${id}`) };
}

/** Every metric, in the order of the layer panel's buttons. */
export function metricDefs(): MetricDef[] {
  return METRIC_IDS.map(metricDef);
}

/** The heatmap's ground: grids under 50 % covered in alarm red, the rest dark so the heat reads. */
export const HEAT_GROUND_RAMP = ['#5c1a26', '#0f2236'];
export const HEAT_GROUND_BREAKS = [50];

/** Diverging: under the target size (blue) … on target (grey) … over it (orange/red). */
export const DEVIATION_RAMP = ['#2d6fd6', '#5fa2e8', '#5d6b7c', '#f0a04a', '#e8553f'];
export const DEVIATION_BREAKS = [-30, -10, 10, 30];
/** Coverage: low is the alarm (red), high is calm (teal); a fixed domain so frames compare. */
export const COVERAGE_RAMP = ['#d9453a', '#f08a3c', '#e8c85a', '#5cc7a0', '#2aa9d6'];
export const COVERAGE_BREAKS = [50, 70, 85, 95];

export interface Classified {
  breaks: number[];
  colors: string[];
  /** Value per grid id (NaN when unknown). */
  values: Map<number, number>;
}

/** The city mean of households per grid: the target grid size the deviation is measured from. */
export function meanGridSize(grids: GridCollection): number {
  const n = grids.features.length;
  return n ? grids.features.reduce((s, f) => s + f.properties.households, 0) / n : 0;
}

/**
 * Classifies grids by a metric. `coverage` maps grid id → covered share (0–1); grids missing from
 * it get NaN (drawn in the "no data" colour).
 */
export function classify(metric: MetricId, grids: GridCollection, coverage: ReadonlyMap<number, number> | null = null): Classified {
  const values = new Map<number, number>();
  if (metric === 'households') {
    for (const f of grids.features) values.set(f.properties.id, f.properties.households);
    const breaks = quantileBreaks([...values.values()], HOUSEHOLD_RAMP.length);
    return { breaks, colors: pickColors(HOUSEHOLD_RAMP, breaks.length + 1), values };
  }
  if (metric === 'deviation') {
    const mean = meanGridSize(grids);
    for (const f of grids.features) values.set(f.properties.id, mean > 0 ? ((f.properties.households - mean) / mean) * 100 : NaN);
    return { breaks: DEVIATION_BREAKS, colors: DEVIATION_RAMP, values };
  }
  for (const f of grids.features) {
    const share = coverage?.get(f.properties.id);
    values.set(f.properties.id, share == null ? NaN : share * 100);
  }
  if (metric === 'heat') return { breaks: HEAT_GROUND_BREAKS, colors: HEAT_GROUND_RAMP, values };
  return { breaks: COVERAGE_BREAKS, colors: COVERAGE_RAMP, values };
}

/** The grids with a `metric` property (null when unknown) for the map's step expression. */
export function withMetric(grids: GridCollection, values: ReadonlyMap<number, number>): GridCollection {
  return {
    ...grids,
    features: grids.features.map((f) => {
      const v = values.get(f.properties.id);
      return { ...f, properties: { ...f.properties, metric: v == null || Number.isNaN(v) ? null : Math.round(v * 10) / 10 } };
    }),
  };
}

/** Legend rows: "< 50%", "50 – 70%", "≥ 95%"; deviation shows signs ("+10%"). */
export function legendRows(metric: MetricId, c: Pick<Classified, 'breaks' | 'colors'>): { color: string; text: string }[] {
  const unit = metricDef(metric).unit;
  const fmt = (v: number) => (metric === 'deviation' && v > 0 ? `+${v}` : String(v));
  return c.colors.map((color, i) => {
    const from = i === 0 ? null : c.breaks[i - 1];
    const to = i === c.breaks.length ? null : c.breaks[i];
    const text = from === null ? `< ${fmt(to!)}${unit}` : to === null ? `≥ ${fmt(from)}${unit}` : `${fmt(from)} – ${fmt(to)}${unit}`;
    return { color, text };
  });
}
