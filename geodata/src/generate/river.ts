// An approximate course of the Qing River (清江) through the urban valley. Hand-drawn, not surveyed:
// it is used to keep the river on subdistrict/grid edges and for the client's "清江（示意）" overlay.
import type { LineString } from 'geojson';
import { toXy, type Xy } from './projection.ts';

const COURSE: [number, number][] = [
  [109.478, 30.335],
  [109.4812, 30.3245],
  [109.4795, 30.3135],
  [109.4818, 30.3035],
  [109.4783, 30.294],
  [109.4802, 30.2845],
  [109.4768, 30.2745],
  [109.4741, 30.2645],
  [109.4735, 30.2525],
  [109.47, 30.24],
];

export const QING_RIVER_APPROX: LineString = { type: 'LineString', coordinates: COURSE.map((p) => [...p]) };
export const QING_RIVER_LABEL = '清江（示意）';

const COURSE_XY: Xy[] = COURSE.map((p) => toXy(p));

/** x (km) of the river at northing y (km); the course is monotonic in y. Extrapolates flat. */
export function riverX(y: number): number {
  const c = COURSE_XY; // north → south, y decreasing
  if (y >= c[0][1]) return c[0][0];
  for (let i = 1; i < c.length; i++) {
    if (y >= c[i][1]) {
      const t = (y - c[i][1]) / (c[i - 1][1] - c[i][1]);
      return c[i][0] + t * (c[i - 1][0] - c[i][0]);
    }
  }
  return c[c.length - 1][0];
}

/** Points along the river in the local frame, spaced about `step` km apart, north → south. */
export function riverSamples(step: number): { p: Xy; dir: Xy }[] {
  const out: { p: Xy; dir: Xy }[] = [];
  const c = COURSE_XY;
  let carry = 0;
  for (let i = 1; i < c.length; i++) {
    const [x0, y0] = c[i - 1];
    const [x1, y1] = c[i];
    const len = Math.hypot(x1 - x0, y1 - y0);
    const dir: Xy = [(x1 - x0) / len, (y1 - y0) / len];
    let s = carry;
    for (; s < len; s += step) out.push({ p: [x0 + dir[0] * s, y0 + dir[1] * s], dir });
    carry = s - len;
  }
  return out;
}
