import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { generateBasemap } from './street-network.ts';
import { convexOverlap, footprintSize, generateFootprints, type BuildingPoint } from './footprints.ts';
import { createRng } from './random.ts';

describe('synthetic building footprints', () => {
  const ground = generateBasemap();
  // 600 buildings crowded into a ~600 m square of the centre, across streets: many must shrink or give way.
  const rng = createRng('footprints-test');
  const points: BuildingPoint[] = Array.from({ length: 600 }, () => ({
    lon: 109.477 + rng.range(-0.003, 0.003),
    lat: 30.287 + rng.range(-0.003, 0.003),
    households: Math.round(rng.range(1, 60)),
  }));
  const fc = generateFootprints(points, ground);

  it('gives most buildings a rectangle near its point, and is the same on every call', () => {
    expect(fc.features.length).toBeGreaterThan(200);
    expect(fc.features.length).toBeLessThanOrEqual(points.length);
    for (const f of fc.features) {
      const p = points[Number(f.id) - 1];
      const ring = f.geometry.coordinates[0];
      expect(ring).toHaveLength(5);
      const c = turf.centroid(f).geometry.coordinates;
      expect(turf.distance(c, [p.lon, p.lat], { units: 'meters' })).toBeLessThan(0.5);
      expect(turf.area(f)).toBeLessThanOrEqual(footprintSize(p.households).w * footprintSize(p.households).d * 1.01);
      expect(f.properties).toEqual({ synthetic: true });
    }
    expect(generateFootprints(points, ground)).toEqual(fc);
  });

  it('never overlaps another footprint nor crosses a street or the river', () => {
    const fs = fc.features;
    for (let i = 0; i < fs.length; i++) {
      for (let j = i + 1; j < fs.length; j++) {
        if (!turf.booleanIntersects(turf.bboxPolygon(turf.bbox(fs[i])), turf.bboxPolygon(turf.bbox(fs[j])))) continue;
        expect(turf.booleanIntersects(fs[i], fs[j]), `${fs[i].id} × ${fs[j].id}`).toBe(false);
      }
      for (const line of ground.features) expect(turf.booleanIntersects(fs[i], line), `${fs[i].id} × ${line.properties.name ?? line.properties.kind}`).toBe(false);
    }
  });

  it('tells overlapping rectangles and segments from apart ones', () => {
    const sq: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2]];
    expect(convexOverlap(sq, [[1, 1], [3, 1], [3, 3], [1, 3]])).toBe(true);
    expect(convexOverlap(sq, [[2.5, 0], [4, 0], [4, 2], [2.5, 2]])).toBe(false);
    expect(convexOverlap(sq, [[-1, 1], [3, 1]])).toBe(true);
    expect(convexOverlap(sq, [[-1, 3], [3, 2.5]])).toBe(false);
    // a diagonal segment past the corner: only the segment's own axis separates it
    expect(convexOverlap(sq, [[1.5, 3], [3, 1.5]])).toBe(false);
  });
});
