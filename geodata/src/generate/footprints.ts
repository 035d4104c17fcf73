// Synthetic building footprints for the map's ground at street zoom: one rectangle around each
// building point (where a building's households live), its long side along the nearest street,
// sized by how many households it holds. Not surveyed. Deterministic: the same points and streets
// give the same footprints. Placed one by one, the largest buildings first: a rectangle that would
// overlap one already placed, or come too close to a street or the river, is shrunk until it fits,
// and left out when even the smallest does not; so no two footprints overlap and none crosses a
// street.
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import type { BasemapKind, BasemapProps } from './street-network.ts';
import { round7 } from './projection.ts';

export interface BuildingPoint {
  lon: number;
  lat: number;
  /** Households in the building: a few for a house, dozens for a block of flats. */
  households: number;
}

export interface FootprintProps {
  synthetic: true;
}

type P = [number, number];

/** Metres kept clear between a footprint and the centre line of each kind of line. */
const CLEARANCE_M: Record<BasemapKind, number> = { river: 20, main: 10, minor: 5 };
/** Metres kept between two footprints. */
const GAP_M = 2;
/** Streets farther than this do not orient a building (it stays square to north). */
const ORIENT_WITHIN_M = 150;
/** Each try shrinks the rectangle by this factor; after the last it is left out. */
const SHRINK = 0.8;
const TRIES = 6;
/** Cell size of the spatial hash, metres. */
const CELL_M = 50;
const M_PER_DEG_LAT = 110850;

/** Width (along the street) and depth in metres for a building of n households. */
export function footprintSize(n: number): { w: number; d: number } {
  if (n <= 4) return { w: 9 + 1.5 * n, d: 9 };
  if (n <= 12) return { w: 14 + 1.2 * n, d: 12 };
  return { w: Math.min(60, 18 + 0.8 * n), d: 14 };
}

/** The four corners of a rectangle centred on c, w along direction a (radians from east), d across. */
function rectangle(c: P, a: number, w: number, d: number): P[] {
  const ux = Math.cos(a), uy = Math.sin(a);
  const vx = -uy, vy = ux;
  const hw = w / 2, hd = d / 2;
  return [
    [c[0] - ux * hw - vx * hd, c[1] - uy * hw - vy * hd],
    [c[0] + ux * hw - vx * hd, c[1] + uy * hw - vy * hd],
    [c[0] + ux * hw + vx * hd, c[1] + uy * hw + vy * hd],
    [c[0] - ux * hw + vx * hd, c[1] - uy * hw + vy * hd],
  ];
}

/** Whether two convex polygons (or a polygon and a segment) overlap, by separating axes. */
export function convexOverlap(a: P[], b: P[]): boolean {
  for (const poly of [a, b]) {
    const n = poly.length;
    for (let i = 0; i < (n === 2 ? 1 : n); i++) {
      const p = poly[i], q = poly[(i + 1) % n];
      // the edge's normal, and for a segment also the segment itself
      for (const [ax, ay] of n === 2 ? [[-(q[1] - p[1]), q[0] - p[0]], [q[0] - p[0], q[1] - p[1]]] : [[-(q[1] - p[1]), q[0] - p[0]]]) {
        let amin = Infinity, amax = -Infinity, bmin = Infinity, bmax = -Infinity;
        for (const v of a) { const s = v[0] * ax + v[1] * ay; amin = Math.min(amin, s); amax = Math.max(amax, s); }
        for (const v of b) { const s = v[0] * ax + v[1] * ay; bmin = Math.min(bmin, s); bmax = Math.max(bmax, s); }
        if (amax <= bmin || bmax <= amin) return false;
      }
    }
  }
  return true;
}

/** Squared distance from p to the segment ab. */
function segmentDistance2(p: P, a: P, b: P): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const x = a[0] + t * dx - p[0], y = a[1] + t * dy - p[1];
  return x * x + y * y;
}

class SpatialHash<T> {
  private cells = new Map<string, T[]>();
  add(box: [number, number, number, number], item: T): void {
    for (const k of this.keys(box)) {
      const cell = this.cells.get(k);
      if (cell) cell.push(item);
      else this.cells.set(k, [item]);
    }
  }
  near(box: [number, number, number, number]): Set<T> {
    const out = new Set<T>();
    for (const k of this.keys(box)) for (const item of this.cells.get(k) ?? []) out.add(item);
    return out;
  }
  private *keys([x0, y0, x1, y1]: [number, number, number, number]): Generator<string> {
    for (let i = Math.floor(x0 / CELL_M); i <= Math.floor(x1 / CELL_M); i++)
      for (let j = Math.floor(y0 / CELL_M); j <= Math.floor(y1 / CELL_M); j++) yield `${i},${j}`;
  }
}

const boxOf = (pts: P[], pad = 0): [number, number, number, number] => {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of pts) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  return [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
};

/**
 * Footprints for the building points, avoiding the lines of `ground` (the basemap's streets and
 * river). Feature ids are 1-based positions in `points`, so a caller that orders its points
 * stably gets stable ids; a building that finds no room has no feature.
 */
export function generateFootprints(
  points: BuildingPoint[],
  ground: FeatureCollection<LineString, BasemapProps>,
): FeatureCollection<Polygon, FootprintProps> {
  if (points.length === 0) return { type: 'FeatureCollection', features: [] };
  // A local planar frame in metres around the points' mean latitude.
  const lat0 = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const lon0 = points.reduce((s, p) => s + p.lon, 0) / points.length;
  const kx = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const toM = (lon: number, lat: number): P => [(lon - lon0) * kx, (lat - lat0) * M_PER_DEG_LAT];
  const toDeg = ([x, y]: P): [number, number] => [round7(lon0 + x / kx), round7(lat0 + y / M_PER_DEG_LAT)];

  const segments = new SpatialHash<{ a: P; b: P; clearance: number }>();
  for (const f of ground.features) {
    const c = f.geometry.coordinates.map(([lon, lat]) => toM(lon, lat));
    const clearance = CLEARANCE_M[f.properties.kind];
    for (let i = 0; i + 1 < c.length; i++) segments.add(boxOf([c[i], c[i + 1]], clearance), { a: c[i], b: c[i + 1], clearance });
  }
  const placed = new SpatialHash<P[]>();
  const out: Feature<Polygon, FootprintProps>[] = [];

  const order = points.map((_, i) => i).sort((a, b) => points[b].households - points[a].households || a - b);
  for (const i of order) {
    const c = toM(points[i].lon, points[i].lat);
    // Orientation: along the nearest street within reach (the river does not orient).
    let best = ORIENT_WITHIN_M * ORIENT_WITHIN_M, angle = 0;
    for (const s of segments.near([c[0] - ORIENT_WITHIN_M, c[1] - ORIENT_WITHIN_M, c[0] + ORIENT_WITHIN_M, c[1] + ORIENT_WITHIN_M])) {
      if (s.clearance === CLEARANCE_M.river) continue;
      const d2 = segmentDistance2(c, s.a, s.b);
      if (d2 < best) { best = d2; angle = Math.atan2(s.b[1] - s.a[1], s.b[0] - s.a[0]); }
    }
    let { w, d } = footprintSize(points[i].households);
    for (let k = 0; k < TRIES; k++, w *= SHRINK, d *= SHRINK) {
      const rect = rectangle(c, angle, w, d);
      const box = boxOf(rect);
      const blocked = [...segments.near(box)].some((s) => {
        // A segment is too close when it meets the rectangle grown by the clearance.
        const grown = rectangle(c, angle, w + 2 * s.clearance, d + 2 * s.clearance);
        return convexOverlap(grown, [s.a, s.b]);
      }) || [...placed.near(boxOf(rect, GAP_M))].some((other) => convexOverlap(rectangle(c, angle, w + 2 * GAP_M, d + 2 * GAP_M), other));
      if (blocked) continue;
      placed.add(box, rect);
      const ring = rect.map(toDeg);
      out.push({ type: 'Feature', id: i + 1, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] }, properties: { synthetic: true } });
      break;
    }
  }
  out.sort((a, b) => Number(a.id) - Number(b.id));
  return { type: 'FeatureCollection', features: out };
}
