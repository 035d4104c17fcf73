import { describe, expect, it } from 'vitest';
import type { GridCollection } from '@grid-atlas/contract';
import { classify, COVERAGE_BREAKS, legendRows, meanGridSize, withMetric } from './metrics';

const grid = (id: number, households: number) =>
  ({ type: 'Feature', id, geometry: { type: 'Polygon', coordinates: [] }, properties: { id, households } }) as unknown as GridCollection['features'][number];
const grids: GridCollection = { type: 'FeatureCollection', features: [grid(1, 100), grid(2, 200), grid(3, 300)] };

describe('command metrics', () => {
  it('measures deviation from the city mean grid size', () => {
    expect(meanGridSize(grids)).toBe(200);
    const c = classify('deviation', grids);
    expect([...c.values.entries()]).toEqual([[1, -50], [2, 0], [3, 50]]);
    expect(c.colors).toHaveLength(c.breaks.length + 1);
  });

  it('takes coverage shares as percent on a fixed domain, unknown grids as null', () => {
    const c = classify('coverage', grids, new Map([[1, 0.5], [2, 0.97]]));
    expect(c.breaks).toEqual(COVERAGE_BREAKS);
    const fc = withMetric(grids, c.values);
    expect(fc.features.map((f) => (f.properties as unknown as { metric: number | null }).metric)).toEqual([50, 97, null]);
  });

  it('grounds the heatmap on grids split at 50 % coverage', () => {
    const c = classify('heat', grids, new Map([[1, 0.25], [2, 0.75]]));
    expect(c.breaks).toEqual([50]);
    expect(c.colors).toHaveLength(2);
    expect([...c.values.values()].slice(0, 2)).toEqual([25, 75]);
  });

  it('names legend classes with units and signs', () => {
    expect(legendRows('deviation', { breaks: [-10, 10], colors: ['a', 'b', 'c'] }).map((r) => r.text)).toEqual(['< -10%', '-10 – +10%', '≥ +10%']);
    expect(legendRows('households', { breaks: [100], colors: ['a', 'b'] }).map((r) => r.text)).toEqual(['< 100户', '≥ 100户']);
  });
});
