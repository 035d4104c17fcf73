// The plan module on the real (synthetic) Enshi geometry: the 359 grid polygons as blocks and
// the 33 communities as the "grids" drawn from them. Their exact tiling checks the graph builder
// (shared edges, areas, perimeters) against turf, and gives auto-balance real shapes and sizes.
import { describe, expect, it } from 'vitest';
import { area, length, polygonToLine } from '@turf/turf';
import type { Feature, LineString, MultiLineString } from 'geojson';
import { generatePopulation, loadEnshiBoundaries } from '../index.ts';
import { checkAssignment, createAssignment } from './assignment.ts';
import { autoBalance } from './balance.ts';
import { buildBlockGraph } from './graph.ts';
import { planStats } from './stats.ts';

const b = loadEnshiBoundaries();
const households = new Map<string, number>();
for (const h of generatePopulation(b).households) households.set(h.grid_code, (households.get(h.grid_code) ?? 0) + 1);
const blocksOf = (prefix: string) => {
  const features = b.grids.features
    .map((f, i) => ({ ...f, properties: { id: i + 1, households: households.get(f.properties.code) ?? 0, community: f.properties.community_code } }))
    .filter((f) => f.properties.community.startsWith(prefix));
  const graph = buildBlockGraph({ type: 'FeatureCollection', features });
  return createAssignment(graph, new Map(features.map((f) => [f.properties.id, f.properties.community])));
};
const city = blocksOf('');

describe('plan module on the Enshi grids', () => {
  it('builds the graph: every community contiguous, areas as turf measures them', () => {
    expect(city.graph.n).toBe(359);
    expect(checkAssignment(city).ok).toBe(true);
    let worst = 0;
    b.grids.features.forEach((f, i) => (worst = Math.max(worst, Math.abs(city.graph.area[i] - area(f)) / area(f))));
    expect(worst).toBeLessThan(0.002);
  });

  it("measures each community's perimeter from its grids' perimeters minus their shared edges", () => {
    const stats = new Map(planStats(city).grids.map((s) => [s.key, s]));
    for (const c of b.communities.features) {
      const line = polygonToLine(c) as Feature<LineString | MultiLineString>;
      const turfPerimeter = length(line, { units: 'meters' });
      const s = stats.get(c.properties.code)!;
      expect(Math.abs(s.perimeter - turfPerimeter) / turfPerimeter).toBeLessThan(0.01);
      expect(Math.abs(s.area - area(c)) / area(c)).toBeLessThan(0.002);
      expect(s.polsbyPopper).toBeGreaterThan(0.1);
      expect(s.polsbyPopper).toBeLessThan(Math.PI / 4 + 0.1);
    }
  });

  it('rebalances the communities of 六角亭街道 from grids (within ±15 %, contiguous, deterministic)', () => {
    const a = blocksOf('422801002');
    const before = planStats(a);
    expect(before.balance.maxDeviationPct).toBeGreaterThan(100);
    const r = autoBalance(a, { seed: 1, tolerance: 0.15 });
    expect(r.status).toBe('ok');
    expect(r.after.maxDeviationPct).toBeLessThanOrEqual(15 + 1e-9);
    expect(checkAssignment(r.assignment).ok).toBe(true);
    expect(planStats(r.assignment).balance.households).toBe(before.balance.households);
    expect(r.movedHouseholds).toBeLessThan(before.balance.households / 2);
    expect(autoBalance(a, { seed: 1, tolerance: 0.15 }).movedHouseholds).toBe(r.movedHouseholds);
  });

  it('says a single grid holding more than a community may is the reason it cannot', () => {
    // 七里坪街道 has 2 communities; ask for 40 of them: its grids are too large for a mean of ~258
    const a = blocksOf('422801004');
    const r = autoBalance(a, { grids: 40, tolerance: 0.05 });
    expect(r.status).toBe('impossible');
    expect(r.reasons.map((x) => x.code)).toContain('block_too_large');
  });
});
