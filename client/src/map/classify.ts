// Class breaks for the household choropleth. Quantiles keep every colour in use even when a few
// dense grids dominate; the breaks are then rounded so the legend reads "200 – 300", not "197 – 304".

/** Rounds to a "nice" number for a legend: 1, 2, 2.5, 5 × 10^k, to the nearest such step. */
export function niceRound(value: number): number {
  if (value <= 0) return 0;
  const mag = 10 ** Math.floor(Math.log10(value));
  const step = mag >= 100 ? mag / 10 : mag >= 10 ? mag / 2 : 1;
  return Math.max(step, Math.round(value / step) * step);
}

/**
 * Returns up to `classes - 1` strictly increasing thresholds; value v belongs to class i when
 * breaks[i-1] <= v < breaks[i]. Fewer thresholds come back when the data has few distinct values.
 */
export function quantileBreaks(values: readonly number[], classes: number): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0 || classes < 2) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((i / classes) * sorted.length))];
    const b = niceRound(q);
    if (b > sorted[0] && b <= sorted[sorted.length - 1] && (breaks.length === 0 || b > breaks[breaks.length - 1])) {
      breaks.push(b);
    }
  }
  return breaks;
}

export interface LegendClass {
  color: string;
  /** Inclusive lower bound; null for the first class. */
  from: number | null;
  /** Exclusive upper bound; null for the last class. */
  to: number | null;
}

export function legendClasses(breaks: readonly number[], ramp: readonly string[]): LegendClass[] {
  const colors = pickColors(ramp, breaks.length + 1);
  return colors.map((color, i) => ({ color, from: i === 0 ? null : breaks[i - 1], to: i === breaks.length ? null : breaks[i] }));
}

/** Spreads n colours over the ramp so fewer classes still span dark-to-light. */
export function pickColors(ramp: readonly string[], n: number): string[] {
  if (n <= 1) return [ramp[ramp.length - 1]];
  return Array.from({ length: n }, (_, i) => ramp[Math.round((i * (ramp.length - 1)) / (n - 1))]);
}
