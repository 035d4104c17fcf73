// Prepared grid geometry for the population generator: bounding boxes, areas, adjacency and a
// sampler that draws points safely inside a grid (a margin away from its boundary).
import type { Boundaries } from '../types.ts';
import type { Rng } from './random.ts';
import { pointInRing, ringBbox, ringCentroid } from './geometry.ts';
import { signedArea } from './projection.ts';

export interface PreparedGrid {
  index: number;
  code: string;
  communityCode: string;
  ring: number[][];
  bbox: [number, number, number, number];
  areaKm2: number;
  centroid: [number, number];
  /** indices of grids sharing a boundary segment (or, failing that, a vertex) */
  neighbours: number[];
}

export interface Metric {
  /** km per degree of longitude / latitude around the dataset */
  kx: number;
  ky: number;
}

export function metricFor(b: Boundaries): Metric {
  let sum = 0;
  let n = 0;
  for (const f of b.grids.features) {
    for (const p of f.geometry.coordinates[0]) {
      sum += p[1];
      n++;
    }
  }
  const lat = n ? sum / n : 0;
  return { kx: 111.32 * Math.cos((lat * Math.PI) / 180), ky: 110.85 };
}

export function prepareGrids(b: Boundaries, m: Metric): PreparedGrid[] {
  const grids: PreparedGrid[] = b.grids.features.map((f, index) => {
    const ring = f.geometry.coordinates[0];
    return {
      index,
      code: f.properties.code,
      communityCode: f.properties.community_code,
      ring,
      bbox: ringBbox(ring),
      areaKm2: Math.abs(signedArea(ring)) * m.kx * m.ky,
      centroid: ringCentroid(ring),
      neighbours: [],
    };
  });
  // adjacency from shared segments (exact topology), else shared vertices
  const segOwner = new Map<string, number>();
  const vertexOwners = new Map<string, number[]>();
  for (const g of grids) {
    for (let k = 0; k < g.ring.length - 1; k++) {
      const a = g.ring[k];
      const c = g.ring[k + 1];
      segOwner.set(`${a[0]},${a[1]}>${c[0]},${c[1]}`, g.index);
      const vk = `${a[0]},${a[1]}`;
      const list = vertexOwners.get(vk);
      if (list) {
        if (list[list.length - 1] !== g.index) list.push(g.index);
      } else vertexOwners.set(vk, [g.index]);
    }
  }
  const add = (i: number, j: number) => {
    if (i !== j && !grids[i].neighbours.includes(j)) grids[i].neighbours.push(j);
  };
  for (const g of grids) {
    for (let k = 0; k < g.ring.length - 1; k++) {
      const a = g.ring[k];
      const c = g.ring[k + 1];
      const o = segOwner.get(`${c[0]},${c[1]}>${a[0]},${a[1]}`);
      if (o !== undefined) add(g.index, o);
    }
  }
  for (const g of grids) {
    if (g.neighbours.length) continue;
    for (let k = 0; k < g.ring.length - 1; k++) {
      for (const o of vertexOwners.get(`${g.ring[k][0]},${g.ring[k][1]}`) ?? []) add(g.index, o);
    }
  }
  for (const g of grids) g.neighbours.sort((a, c) => a - c);
  return grids;
}

/** Distance in km from (x, y) to the ring's boundary. */
function distanceToRingKm(x: number, y: number, ring: number[][], m: Metric): number {
  let best = Infinity;
  for (let k = 0; k < ring.length - 1; k++) {
    const ax = (ring[k][0] - x) * m.kx;
    const ay = (ring[k][1] - y) * m.ky;
    const bx = (ring[k + 1][0] - x) * m.kx;
    const by = (ring[k + 1][1] - y) * m.ky;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = Math.max(0, Math.min(1, t));
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best) best = d;
  }
  return best;
}

/**
 * A point inside grid g at least `marginKm` from its boundary (the margin is halved after many
 * failed tries, for thin grids). Returns the point and the margin actually kept.
 */
export function samplePoint(rng: Rng, g: PreparedGrid, m: Metric, marginKm: number): { p: [number, number]; margin: number } {
  const [x0, y0, x1, y1] = g.bbox;
  let margin = marginKm;
  for (let tries = 0; ; tries++) {
    if (tries > 0 && tries % 400 === 0) margin /= 2;
    const x = x0 + (x1 - x0) * rng.next();
    const y = y0 + (y1 - y0) * rng.next();
    if (!pointInRing(x, y, g.ring)) continue;
    if (margin > 1e-6 && distanceToRingKm(x, y, g.ring, m) < margin) continue;
    return { p: [x, y], margin };
  }
}
