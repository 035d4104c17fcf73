// Small exact-enough planar helpers on lon/lat rings (closed: first === last).

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

/** Ray-casting point-in-ring test (boundary behaviour unspecified; use for sampling only). */
export function pointInRing(x: number, y: number, ring: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function ringBbox(ring: readonly Pt[]): [number, number, number, number] {
  let minx = Infinity;
  let miny = Infinity;
  let maxx = -Infinity;
  let maxy = -Infinity;
  for (const p of ring) {
    if (p[0] < minx) minx = p[0];
    if (p[0] > maxx) maxx = p[0];
    if (p[1] < miny) miny = p[1];
    if (p[1] > maxy) maxy = p[1];
  }
  return [minx, miny, maxx, maxy];
}

/** Area-weighted centroid of a closed ring. */
export function ringCentroid(ring: readonly Pt[]): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const ox = ring[0][0];
  const oy = ring[0][1];
  for (let k = 0; k < ring.length - 1; k++) {
    const x0 = ring[k][0] - ox;
    const y0 = ring[k][1] - oy;
    const x1 = ring[k + 1][0] - ox;
    const y1 = ring[k + 1][1] - oy;
    const w = x0 * y1 - x1 * y0;
    a += w;
    cx += (x0 + x1) * w;
    cy += (y0 + y1) * w;
  }
  return [ox + cx / (3 * a), oy + cy / (3 * a)];
}
