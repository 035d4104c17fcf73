// deriveBlocks(grids, households): the blocks (街区) of every grid, the atomic units a planner
// redraws grids from, and the block of every household. In JavaScript, so a fresh database is
// seeded without running the Voronoi step in PostGIS (seconds of WebAssembly on the embedded
// database). The rule is the one of derive_blocks() in the migrations, which a boundary import
// still runs in SQL: each building (the households of one grid sharing a `building`) is a seed at
// the mean of its households' points; a grid with two or more distinct seeds is cut into the
// Voronoi cells of its seeds (the diagram spans the grid's bounding box, so the cells cover the
// whole grid) clipped to the grid, every part of a clipped cell a block; a grid with fewer seeds
// is one block (one per part). Blocks are numbered per community by grid number, then north to
// south, then west to east. Each household goes into the first block of its grid that covers its
// point, else (only rounding can leave a point off every block) the nearest one. Deterministic:
// the same grids and households give the same blocks, in the same order.
import { area } from '@turf/area';
import { bbox } from '@turf/bbox';
import { intersect } from '@turf/intersect';
import { Delaunay } from 'd3-delaunay';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { GridProps, Household } from '../types.ts';

export interface DerivedBlock {
  /** community code + 'K' + 4 digits, numbered within the community from 1 */
  code: string;
  community_code: string;
  grid_code: string;
  geometry: Polygon;
}

export interface DerivedBlocks {
  /** every block, community by community (in the grids' order), each community's in code order */
  blocks: DerivedBlock[];
  /** the index in `blocks` of each household's block, by the household's index in the input (-1: its grid is unknown) */
  blockOfHousehold: Int32Array;
}

interface Part {
  geometry: Polygon;
  bbox: [number, number, number, number];
  /** sort keys: a point of the part (the mean of its outer ring's vertices) */
  x: number;
  y: number;
}

export function deriveBlocks(
  grids: FeatureCollection<Polygon | MultiPolygon, GridProps>,
  households: readonly Household[],
): DerivedBlocks {
  // households by grid, in input order
  const byGrid = new Map<string, number[]>();
  households.forEach((h, i) => {
    const list = byGrid.get(h.grid_code);
    if (list) list.push(i);
    else byGrid.set(h.grid_code, [i]);
  });

  // grids by community, in the grids' order of first appearance; within one, by number
  const communities = new Map<string, Feature<Polygon | MultiPolygon, GridProps>[]>();
  for (const f of grids.features) {
    const list = communities.get(f.properties.community_code);
    if (list) list.push(f);
    else communities.set(f.properties.community_code, [f]);
  }

  const blocks: DerivedBlock[] = [];
  const blockOfHousehold = new Int32Array(households.length).fill(-1);
  for (const [communityCode, list] of communities) {
    const sorted = [...list].sort((a, b) => a.properties.number - b.properties.number || cmp(a.properties.code, b.properties.code));
    let k = 0;
    for (const grid of sorted) {
      const members = byGrid.get(grid.properties.code) ?? [];
      const parts = gridParts(grid.geometry, members.map((i) => households[i]));
      const first = blocks.length;
      for (const p of parts) {
        k++;
        blocks.push({
          code: `${communityCode}K${String(k).padStart(4, '0')}`,
          community_code: communityCode,
          grid_code: grid.properties.code,
          geometry: p.geometry,
        });
      }
      for (const i of members) blockOfHousehold[i] = first + blockOf(parts, households[i].lon, households[i].lat);
    }
  }
  return { blocks, blockOfHousehold };
}

/** Degrees (about a metre) within which two building seeds count as one, when they must. */
const SAME_SEED = 1e-5;

/**
 * The grid's blocks, in their numbering order. The blocks must tile the grid: where the cells cut
 * from the building seeds do not (their areas do not add up to the grid's: Voronoi edges between
 * seeds centimetres apart, computed from far-away circumcentres, left cells overlapping their
 * neighbours; seen in a synthetic town of GRID_ATLAS_SCALE=10, never in the committed dataset),
 * the grid is cut again with seeds within SAME_SEED of an earlier one left out.
 */
function gridParts(grid: Polygon | MultiPolygon, members: readonly Household[]): Part[] {
  const parts = cutGrid(grid, members, 0);
  const whole = polygonsArea(dump(grid));
  const sum = polygonsArea(parts.map((p) => p.geometry));
  return Math.abs(sum - whole) <= whole * 1e-4 ? parts : cutGrid(grid, members, SAME_SEED);
}

/** m², holes taken out (turf's geodesic area: the check above compares two sums of it) */
function polygonsArea(polygons: readonly Polygon[]): number {
  let a = 0;
  for (const p of polygons) a += area(p);
  return a;
}

/** The grid cut into the Voronoi cells of its building seeds (those within `near` degrees of an earlier one left out). */
function cutGrid(grid: Polygon | MultiPolygon, members: readonly Household[], near: number): Part[] {
  // one seed per building: the mean of its households' points
  const sums = new Map<string, [number, number, number]>();
  for (const h of members) {
    const s = sums.get(h.building);
    if (s) {
      s[0] += h.lon;
      s[1] += h.lat;
      s[2]++;
    } else sums.set(h.building, [h.lon, h.lat, 1]);
  }
  const seeds: number[] = [];
  const distinct = new Set<string>();
  for (const [x, y, n] of sums.values()) {
    const px = x / n, py = y / n;
    const key = `${px},${py}`;
    if (distinct.has(key)) continue; // a repeated seed has no cell of its own
    if (near > 0) {
      let close = false;
      for (let k = 0; k < seeds.length && !close; k += 2) close = Math.abs(seeds[k] - px) <= near && Math.abs(seeds[k + 1] - py) <= near;
      if (close) continue;
    }
    distinct.add(key);
    seeds.push(px, py);
  }

  const polygons: Polygon[] = [];
  if (seeds.length / 2 >= 2) {
    const bounds = bboxOf(grid.type === 'Polygon' ? [grid.coordinates] : grid.coordinates);
    const voronoi = new Delaunay(Float64Array.from(seeds)).voronoi(bounds);
    const gridFeature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: grid };
    for (let i = 0; i < seeds.length / 2; i++) {
      const cell = voronoi.cellPolygon(i);
      if (!cell) continue;
      const ring = grid.type === 'Polygon' && grid.coordinates.length === 1 ? clipToConvex(grid.coordinates[0], cell) : 'overlay';
      if (ring === 'overlay') {
        // a grid with holes or parts, or a cell whose lines cut the grid's outline more than once
        const cut = intersect({
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [cell] } }, gridFeature],
        });
        if (cut) polygons.push(...dump(cut.geometry));
      } else if (ring) polygons.push({ type: 'Polygon', coordinates: [ring] });
    }
  } else polygons.push(...dump(grid));

  const parts: Part[] = [];
  for (const geometry of polygons) {
    if (!(ringArea(geometry.coordinates[0]) > 0)) continue;
    const outer = geometry.coordinates[0];
    let x = 0, y = 0;
    for (let v = 0; v + 1 < outer.length; v++) {
      x += outer[v][0];
      y += outer[v][1];
    }
    parts.push({ geometry, bbox: bboxOf([geometry.coordinates]), x: x / (outer.length - 1), y: y / (outer.length - 1) });
  }
  // north to south, then west to east; the coordinates break any remaining tie
  parts.sort((a, b) => b.y - a.y || a.x - b.x || cmp(JSON.stringify(a.geometry.coordinates), JSON.stringify(b.geometry.coordinates)));
  return parts;
}

interface Vertex {
  x: number;
  y: number;
  /** the line the segment from this vertex to the next lies on: ≥ 0 the grid's edge, < 0 the cell's edge -(e + 1) */
  on: number;
}

/**
 * The intersection of a simple polygon's ring with a convex cell (a Voronoi cell), clipped one
 * cell edge at a time (Sutherland–Hodgman); null when they do not overlap. Exact only while each
 * of the cell's lines crosses the polygon's outline at most twice (then every intermediate result
 * is one simple polygon); otherwise 'overlay', and the caller uses a general polygon overlay.
 * Every new vertex is computed from the grid's original edge and the cell's edge in a canonical
 * direction, or is the cell's own vertex, so two cells sharing an edge get the same coordinates.
 */
function clipToConvex(subject: readonly Position[], cellRing: readonly Position[]): Position[] | null | 'overlay' {
  const cell: Position[] = [];
  for (const p of cellRing.slice(0, -1)) {
    const last = cell[cell.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) cell.push(p);
  }
  while (cell.length > 1 && cell[0][0] === cell[cell.length - 1][0] && cell[0][1] === cell[cell.length - 1][1]) cell.pop();
  const m = cell.length;
  if (m < 3) return null;
  let twice = 0;
  for (let i = 0; i < m; i++) twice += cell[i][0] * cell[(i + 1) % m][1] - cell[(i + 1) % m][0] * cell[i][1];
  const orientation = twice > 0 ? 1 : -1;

  let ring: Vertex[] = subject.slice(0, -1).map((p, k) => ({ x: p[0], y: p[1], on: k }));
  for (let e = 0; e < m; e++) {
    const a = cell[e], b = cell[(e + 1) % m];
    // the line through the edge, from its lexicographically smaller end
    const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const [px, py] = forward ? a : b;
    const [qx, qy] = forward ? b : a;
    const s = forward ? orientation : -orientation;
    const side = (x: number, y: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
    const crossing = (from: Vertex, to: Vertex): Vertex => {
      if (from.on >= 0) {
        const g0 = subject[from.on], g1 = subject[from.on + 1];
        const d0 = side(g0[0], g0[1]), d1 = side(g1[0], g1[1]);
        const t = d0 / (d0 - d1);
        return { x: g0[0] + t * (g1[0] - g0[0]), y: g0[1] + t * (g1[1] - g0[1]), on: from.on };
      }
      const edge = -from.on - 1;
      // two adjacent edges of the cell meet at the cell's vertex
      if (edge === (e + 1) % m) return { x: cell[edge][0], y: cell[edge][1], on: from.on };
      if ((edge + 1) % m === e) return { x: cell[e][0], y: cell[e][1], on: from.on };
      const d0 = side(from.x, from.y), d1 = side(to.x, to.y);
      const t = d0 / (d0 - d1);
      return { x: from.x + t * (to.x - from.x), y: from.y + t * (to.y - from.y), on: from.on };
    };
    const out: Vertex[] = [];
    let transitions = 0;
    for (let k = 0; k < ring.length; k++) {
      const prev = ring[(k + ring.length - 1) % ring.length], cur = ring[k];
      const inPrev = s * side(prev.x, prev.y) >= 0, inCur = s * side(cur.x, cur.y) >= 0;
      if (inCur) {
        if (!inPrev) {
          // entering: the new vertex's outgoing segment runs along the grid's edge again
          const x = crossing(prev, cur);
          out.push({ x: x.x, y: x.y, on: prev.on });
          transitions++;
        }
        out.push(cur);
      } else if (inPrev) {
        // leaving: from here the outline runs along the cell's edge
        const x = crossing(prev, cur);
        out.push({ x: x.x, y: x.y, on: -e - 1 });
        transitions++;
      }
    }
    if (transitions > 2) return 'overlay';
    ring = out;
    if (ring.length < 3) return null;
  }
  const result: Position[] = [];
  for (const v of ring) {
    const last = result[result.length - 1];
    if (!last || last[0] !== v.x || last[1] !== v.y) result.push([v.x, v.y]);
  }
  while (result.length > 1 && result[0][0] === result[result.length - 1][0] && result[0][1] === result[result.length - 1][1]) result.pop();
  if (result.length < 3) return null;
  result.push([result[0][0], result[0][1]]);
  return ringArea(result) > 0 ? result : null;
}

/** The index of the first part covering the point, else of the nearest part. */
function blockOf(parts: readonly Part[], x: number, y: number): number {
  for (let i = 0; i < parts.length; i++) {
    const [x0, y0, x1, y1] = parts[i].bbox;
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    if (covers(parts[i].geometry, x, y)) return i;
  }
  let best = 0, bestD = Infinity;
  parts.forEach((p, i) => {
    const d = distanceToPolygon(p.geometry, x, y);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Whether the polygon covers the point (its boundary included). */
function covers(p: Polygon, x: number, y: number): boolean {
  for (const ring of p.coordinates) if (onRing(ring, x, y)) return true;
  if (!inRing(p.coordinates[0], x, y)) return false;
  for (let r = 1; r < p.coordinates.length; r++) if (inRing(p.coordinates[r], x, y)) return false;
  return true;
}

function inRing(ring: readonly Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onRing(ring: readonly Position[], x: number, y: number): boolean {
  for (let k = 0; k + 1 < ring.length; k++) {
    const a = ring[k], b = ring[k + 1];
    if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) !== 0) continue;
    if (Math.min(a[0], b[0]) <= x && x <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= y && y <= Math.max(a[1], b[1])) return true;
  }
  return false;
}

function distanceToPolygon(p: Polygon, x: number, y: number): number {
  let best = Infinity;
  for (const ring of p.coordinates)
    for (let k = 0; k + 1 < ring.length; k++) {
      const [ax, ay] = ring[k], [bx, by] = ring[k + 1];
      const dx = bx - ax, dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
      best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
    }
  return best;
}

function dump(g: Polygon | MultiPolygon): Polygon[] {
  return g.type === 'Polygon' ? [g] : g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

/** Bounding box of the polygons' outer rings (holes lie inside them). */
function bboxOf(polygons: readonly Position[][][]): [number, number, number, number] {
  return bbox({ type: 'MultiLineString', coordinates: polygons.map((p) => p[0]) }) as [number, number, number, number];
}

/**
 * Planar area in square degrees. It only answers whether a cut ring still encloses anything (a cut
 * can leave a collinear sliver), a question about the coordinates as written, so it is not turf's
 * geodesic area.
 */
function ringArea(ring: readonly Position[]): number {
  let twice = 0;
  for (let k = 0; k + 1 < ring.length; k++) twice += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1];
  return Math.abs(twice) / 2;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
