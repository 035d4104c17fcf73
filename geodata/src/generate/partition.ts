// Planar partition: the Voronoi cells of the grid seeds, with every shared edge replaced by one wavy
// polyline that both neighbouring cells reuse. Exact by construction: neighbouring cells share
// identical vertex arrays along their common edge.
import { Delaunay } from 'd3-delaunay';
import { toLonLat, signedArea, type LonLat, type Xy } from './projection.ts';
import { wavyInterior } from './organic-edge.ts';
import { ringHasKinks } from './geometry.ts';

export interface Cell {
  /** Closed ring, counter-clockwise, lon/lat rounded to 7 decimals. */
  ring: LonLat[];
  /** Seeds of the cells sharing an edge of non-zero length with this one (outside seeds included). */
  neighbours: number[];
}

interface EdgeRef {
  i: number; // this cell's seed
  j: number; // the neighbour across the edge
  t0: number; // triangle (Voronoi vertex) at the start of the edge, walking around i
  t1: number; // ... and at its end
}

/**
 * Builds the cells of seeds 0..innerCount-1. Seeds from innerCount on only bound the inner cells.
 * Edges whose waviness makes a cell self-intersect are damped until every cell is simple.
 */
export function partition(points: Xy[], innerCount: number, edgeSalt: number): Cell[] {
  const del = Delaunay.from(points);
  const { triangles, halfedges, inedges } = del;
  const nT = triangles.length / 3;
  const cc: Xy[] = new Array(nT);
  for (let t = 0; t < nT; t++) {
    cc[t] = circumcenter(points[triangles[3 * t]], points[triangles[3 * t + 1]], points[triangles[3 * t + 2]]);
  }
  const vertex: LonLat[] = cc.map((p) => toLonLat(p));

  // walk the triangles around each inner seed
  const cellEdges: EdgeRef[][] = [];
  for (let i = 0; i < innerCount; i++) {
    const e0 = inedges[i];
    if (e0 === -1) throw new Error(`seed ${i} is not in the triangulation`);
    const refs: EdgeRef[] = [];
    let e = e0;
    do {
      const t = Math.floor(e / 3);
      const out = e % 3 === 2 ? e - 2 : e + 1; // half-edge starting at i
      if (triangles[out] !== i) throw new Error('bad triangulation');
      const j = triangles[out % 3 === 2 ? out - 2 : out + 1];
      const opp = halfedges[out];
      if (opp === -1) throw new Error(`seed ${i} lies on the convex hull; add outside seeds`);
      refs.push({ i, j, t0: t, t1: Math.floor(opp / 3) });
      e = opp;
    } while (e !== e0);
    cellEdges.push(refs);
  }

  const scale = new Map<string, number>();
  const cache = new Map<string, { from: number; pts: LonLat[] }>();
  const edgeKey = (i: number, j: number) => (i < j ? `${i}|${j}` : `${j}|${i}`);
  const edgePoints = (r: EdgeRef): LonLat[] => {
    const key = edgeKey(r.i, r.j);
    let entry = cache.get(key);
    if (!entry) {
      const from = Math.min(r.t0, r.t1);
      const to = Math.max(r.t0, r.t1);
      const k: [number, number] = [Math.min(r.i, r.j) + edgeSalt * 100000, Math.max(r.i, r.j)];
      const sameVertex = vertex[from][0] === vertex[to][0] && vertex[from][1] === vertex[to][1];
      const pts = sameVertex ? [] : wavyInterior(cc[from], cc[to], k, scale.get(key) ?? 1);
      entry = { from, pts };
      cache.set(key, entry);
    }
    return entry.from === r.t0 ? entry.pts : entry.pts.slice().reverse();
  };

  const build = (i: number): Cell => {
    const ring: LonLat[] = [];
    const neighbours: number[] = [];
    for (const r of cellEdges[i]) {
      const v0 = vertex[r.t0];
      const v1 = vertex[r.t1];
      if (v0[0] !== v1[0] || v0[1] !== v1[1]) neighbours.push(r.j);
      push(ring, v0);
      for (const p of edgePoints(r)) push(ring, p);
    }
    if (ring.length > 1 && same(ring[0], ring[ring.length - 1])) ring.pop();
    ring.push(ring[0]);
    if (signedArea(ring) < 0) ring.reverse();
    return { ring, neighbours };
  };

  let cells = Array.from({ length: innerCount }, (_, i) => build(i));
  for (let round = 0; round < 8; round++) {
    const bad = cells.map((c, i) => (ringHasKinks(c.ring) ? i : -1)).filter((i) => i >= 0);
    if (bad.length === 0) return cells;
    for (const i of bad) {
      for (const r of cellEdges[i]) {
        const key = edgeKey(r.i, r.j);
        scale.set(key, (scale.get(key) ?? 1) * 0.5);
        cache.delete(key);
      }
    }
    cells = Array.from({ length: innerCount }, (_, i) => build(i));
  }
  throw new Error('partition: could not remove self-intersections');
}

function same(a: LonLat, b: LonLat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function push(ring: LonLat[], p: LonLat): void {
  if (ring.length === 0 || !same(ring[ring.length - 1], p)) ring.push(p);
}

function circumcenter(a: Xy, b: Xy, c: Xy): Xy {
  const bx = b[0] - a[0];
  const by = b[1] - a[1];
  const cx = c[0] - a[0];
  const cy = c[1] - a[1];
  const d = 2 * (bx * cy - by * cx);
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  return [a[0] + (cy * b2 - by * c2) / d, a[1] + (bx * c2 - cx * b2) / d];
}
