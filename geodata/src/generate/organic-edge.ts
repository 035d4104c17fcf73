// Turns a straight Voronoi edge into a wavy polyline. The shape depends only on the edge's identity
// (the two seeds it separates) and its end points, so both cells on either side get the identical
// polyline (one of them reversed): shared boundaries stay bit-identical.
import { createRng, hashInts } from './random.ts';
import { toLonLat, type LonLat, type Xy } from './projection.ts';

/** Interior vertices per km of edge. */
const VERTICES_PER_KM = 48;
/** Largest displacement as a share of the edge length (before `scale`). */
const MAX_AMPLITUDE = 0.075;

/**
 * Interior points of the edge from a to b (end points excluded), already in lon/lat and rounded.
 * `key` identifies the edge (e.g. its two seeds); `scale` (0..1) damps the waviness for repairs.
 */
export function wavyInterior(a: Xy, b: Xy, key: [number, number], scale: number): LonLat[] {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len < 1e-6) return [];
  const rng = createRng(hashInts(0xed6e, key[0], key[1]));
  const m = Math.max(3, Math.min(16, Math.round(len * VERTICES_PER_KM)));
  // three sine harmonics, amplitudes summing to at most MAX_AMPLITUDE
  let a1 = rng.range(-1, 1);
  let a2 = rng.range(-0.5, 0.5);
  let a3 = rng.range(-0.25, 0.25);
  const norm = (MAX_AMPLITUDE * scale) / Math.max(1, Math.abs(a1) + Math.abs(a2) + Math.abs(a3));
  a1 *= norm;
  a2 *= norm;
  a3 *= norm;
  const jitter = 0.012 * scale;
  const nx = -(b[1] - a[1]) / len;
  const ny = (b[0] - a[0]) / len;
  const out: LonLat[] = [];
  for (let k = 1; k <= m; k++) {
    const s = k / (m + 1);
    const taper = Math.sin(Math.PI * s);
    const d =
      len *
      (a1 * Math.sin(Math.PI * s) + a2 * Math.sin(2 * Math.PI * s) + a3 * Math.sin(3 * Math.PI * s) +
        jitter * taper * rng.range(-1, 1));
    out.push(toLonLat([a[0] + (b[0] - a[0]) * s + nx * d, a[1] + (b[1] - a[1]) * s + ny * d]));
  }
  return out;
}
