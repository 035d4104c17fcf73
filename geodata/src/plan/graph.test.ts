import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import { buildBlockGraph, createBlockGraph, graphFromData, graphToData, latticeGraph, sharedLength } from './graph.ts';

const LAT = 30.3;
const M_PER_DEG_LAT = (6371008.8 * Math.PI) / 180;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((LAT * Math.PI) / 180);

/** An axis-aligned rectangle in degrees, counter-clockwise, closed. */
function rect(id: number, x0: number, y0: number, x1: number, y1: number, households = 1, extra: [number, number][] = []) {
  const ring: [number, number][] = [[x0, y0], [x1, y0], [x1, y1], ...extra, [x0, y1], [x0, y0]];
  return {
    type: 'Feature' as const,
    properties: { id, households },
    geometry: { type: 'Polygon' as const, coordinates: [ring.map(([x, y]) => [109.48 + x * 0.001, LAT + y * 0.001])] },
  };
}

describe('block graph', () => {
  it('merges duplicate edges and answers shared lengths', () => {
    const g = createBlockGraph(
      [1, 2, 3].map((id) => ({ id, households: id, area: 1, perimeter: 4 })),
      [{ a: 1, b: 2, length: 3 }, { a: 2, b: 1, length: 2 }, { a: 2, b: 3, length: 1 }],
    );
    expect(sharedLength(g, 0, 1)).toBe(5);
    expect(sharedLength(g, 1, 2)).toBe(1);
    expect(sharedLength(g, 0, 2)).toBe(0);
    expect(Array.from(g.adj.subarray(g.adjStart[1], g.adjStart[2]))).toEqual([0, 2]);
    expect(() => createBlockGraph([{ id: 1, households: 0, area: 1, perimeter: 1 }], [{ a: 1, b: 9, length: 1 }])).toThrow(/unknown block/);
  });

  it('builds adjacency from polygons sharing vertices: rook, not queen, with metre lengths and areas', () => {
    // 2 × 2 squares of 0.001°; 1–2 and 3–4 side by side, 1–3 and 2–4 above each other, 1–4 only a corner
    const fc: FeatureCollection<Polygon, { id: number; households: number }> = {
      type: 'FeatureCollection',
      features: [rect(1, 0, 0, 1, 1), rect(2, 1, 0, 2, 1), rect(3, 0, 1, 1, 2), rect(4, 1, 1, 2, 2)],
    };
    const g = buildBlockGraph(fc);
    const i = (id: number) => g.indexOf.get(id)!;
    expect(sharedLength(g, i(1), i(4))).toBe(0);
    expect(sharedLength(g, i(2), i(3))).toBe(0);
    // a vertical edge is 0.001° of latitude
    expect(sharedLength(g, i(1), i(2))).toBeCloseTo(0.001 * M_PER_DEG_LAT, 1);
    // a horizontal edge is 0.001° of longitude at ~30.3°N (the projection's latitude is the mean)
    expect(sharedLength(g, i(1), i(3))).toBeCloseTo(0.001 * M_PER_DEG_LON, 0);
    expect(g.area[i(1)]).toBeCloseTo(0.001 * M_PER_DEG_LAT * 0.001 * M_PER_DEG_LON, -2);
    expect(g.perimeter[i(1)]).toBeCloseTo(2 * 0.001 * (M_PER_DEG_LAT + M_PER_DEG_LON), 0);
    expect(buildBlockGraph(fc)).toBe(g); // cached
  });

  it('connects blocks whose shared edge has vertices on one side only (T-junction), within the tolerance', () => {
    // block 1 spans the bottom with one top edge; blocks 2 and 3 sit on it, each on half of it
    const fc: FeatureCollection<Polygon, { id: number; households: number }> = {
      type: 'FeatureCollection',
      features: [rect(1, 0, 0, 2, 1), rect(2, 0, 1, 1, 2), rect(3, 1, 1, 2, 2)],
    };
    const g = buildBlockGraph(fc);
    const i = (id: number) => g.indexOf.get(id)!;
    const half = 0.001 * M_PER_DEG_LON;
    expect(sharedLength(g, i(1), i(2))).toBeCloseTo(half, 0);
    expect(sharedLength(g, i(1), i(3))).toBeCloseTo(half, 0);
    expect(sharedLength(g, i(2), i(3))).toBeCloseTo(0.001 * M_PER_DEG_LAT, 0);
    // without the tolerance fallback only the exact edge remains
    const exact = buildBlockGraph({ ...fc, features: [...fc.features] }, { tolerance: 0 });
    expect(sharedLength(exact, 0, 1)).toBe(0);
    expect(sharedLength(exact, 1, 2)).toBeGreaterThan(0);
  });

  it('survives the plain data form (postMessage, JSON)', () => {
    const g = latticeGraph(3, 2, (x, y) => x + 10 * y);
    const back = graphFromData(JSON.parse(JSON.stringify(graphToData(g))));
    expect(back.ids).toEqual(g.ids);
    expect(Array.from(back.households)).toEqual(Array.from(g.households));
    expect(Array.from(back.adj)).toEqual(Array.from(g.adj));
    expect(Array.from(back.adjLength)).toEqual(Array.from(g.adjLength));
  });
});
