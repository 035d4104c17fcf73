// A local planar frame (kilometres east/north of the Enshi city centre) used for all layout work.
// Over a 10 km area an equirectangular projection is accurate to well under 0.1 %.

export type LonLat = [number, number];
export type Xy = [number, number];

export const ORIGIN: LonLat = [109.477, 30.287];
const KM_PER_DEG_LAT = 110.85;
const KM_PER_DEG_LON = 111.32 * Math.cos((ORIGIN[1] * Math.PI) / 180);

/** Rounds to 7 decimals (about 1 cm), the precision of every coordinate written. */
export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export function toXy(p: readonly [number, number] | number[]): Xy {
  return [(p[0] - ORIGIN[0]) * KM_PER_DEG_LON, (p[1] - ORIGIN[1]) * KM_PER_DEG_LAT];
}

/** Local km → lon/lat, rounded to 7 decimals. */
export function toLonLat(p: readonly [number, number]): LonLat {
  return [round7(ORIGIN[0] + p[0] / KM_PER_DEG_LON), round7(ORIGIN[1] + p[1] / KM_PER_DEG_LAT)];
}

/** Area of a lon/lat ring in km² (planar approximation in the local frame). */
export function ringAreaKm2(ring: readonly (readonly number[])[]): number {
  return Math.abs(signedArea(ring)) * KM_PER_DEG_LON * KM_PER_DEG_LAT;
}

/** Shoelace signed area in the ring's own units; positive = counter-clockwise. */
export function signedArea(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

export const KM_PER_DEG = { lon: KM_PER_DEG_LON, lat: KM_PER_DEG_LAT };
