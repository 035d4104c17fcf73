// Small exact-enough planar helpers on lon/lat rings (closed: first === last). The bounding box,
// the area-weighted centroid and the point-in-ring test are turf's; the kink test stays here: it
// also finds two segments that overlap along one line, which turf's kinks never reports (it skips
// parallel segments), and a partition cell folded back on itself must be rejected too.
import { bbox } from '@turf/bbox';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { centerOfMass } from '@turf/center-of-mass';
import type { Position } from 'geojson';

type Pt = readonly number[];

function orient(a: Pt, b: Pt, c: Pt): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function onSegment(a: Pt, b: Pt, p: Pt): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])
  );
}

/** Whether segments ab and cd intersect (touching counts). */
export function segmentsIntersect(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  if (o1 === 0 && onSegment(a, b, c)) return true;
  if (o2 === 0 && onSegment(a, b, d)) return true;
  if (o3 === 0 && onSegment(c, d, a)) return true;
  if (o4 === 0 && onSegment(c, d, b)) return true;
  return false;
}

/** True when a closed ring touches or crosses itself anywhere except between consecutive segments. */
export function ringHasKinks(ring: readonly Pt[]): boolean {
  const n = ring.length - 1; // segments
  // bounding boxes first: cheap rejection
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    const minx = Math.min(a[0], b[0]);
    const maxx = Math.max(a[0], b[0]);
    const miny = Math.min(a[1], b[1]);
    const maxy = Math.max(a[1], b[1]);
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // first and last segments share the closing vertex
      const c = ring[j];
      const d = ring[j + 1];
      if (Math.max(c[0], d[0]) < minx || Math.min(c[0], d[0]) > maxx) continue;
      if (Math.max(c[1], d[1]) < miny || Math.min(c[1], d[1]) > maxy) continue;
      if (segmentsIntersect(a, b, c, d)) return true;
    }
  }
  return false;
}

/**
 * Whether (x, y) lies inside the ring; a point on the boundary counts as inside. Callers use it to
 * sample: the population sampler then keeps a margin from the boundary, and the scaled towns ask
 * whether every vertex of a town lies within the city's outline.
 */
export function pointInRing(x: number, y: number, ring: readonly Pt[]): boolean {
  return booleanPointInPolygon([x, y], { type: 'Polygon', coordinates: [ring as Position[]] });
}

export function ringBbox(ring: readonly Pt[]): [number, number, number, number] {
  return bbox({ type: 'LineString', coordinates: ring as Position[] }) as [number, number, number, number];
}

/** Area-weighted centroid of a closed ring. */
export function ringCentroid(ring: readonly Pt[]): [number, number] {
  return centerOfMass({ type: 'Polygon', coordinates: [ring as Position[]] }).geometry.coordinates as [number, number];
}
