// Where things go: the urban footprint, the population density surface and the Voronoi seeds
// (grid seeds inside the footprint, mirrored pairs along the river, and a ring of outside seeds).
// All in the local km frame of projection.ts.
import { Delaunay } from 'd3-delaunay';
import { createRng, hashInts, type Rng } from './random.ts';
import { riverX, riverSamples } from './river.ts';
import type { Xy } from './projection.ts';

export const GRID_COUNT = 359;

/** Centre of the urban footprint (km, local frame). */
const CENTRE: Xy = [0.0, -0.3];
const SEMI_X = 3.2;
const SEMI_Y = 3.95;

/** Radius scale of the footprint in direction theta (organic wobble around an ellipse). */
function wobble(theta: number): number {
  return (
    1 +
    0.07 * Math.sin(3 * theta + 0.7) +
    0.045 * Math.sin(5 * theta + 2.1) +
    0.025 * Math.sin(8 * theta + 0.3) +
    0.1 * Math.exp(-((theta - 0.85) ** 2) / 0.12) // a lobe towards 恩施站 (north-east)
  );
}

/** > 1 outside the footprint, < 1 inside. */
export function footprintLevel(p: Xy): number {
  const dx = (p[0] - CENTRE[0]) / SEMI_X;
  const dy = (p[1] - CENTRE[1]) / SEMI_Y;
  return Math.hypot(dx, dy) / wobble(Math.atan2(dy, dx));
}

export function inFootprint(p: Xy): boolean {
  return footprintLevel(p) < 1;
}

function footprintPoint(theta: number, scale: number): Xy {
  const r = wobble(theta) * scale;
  return [CENTRE[0] + SEMI_X * r * Math.cos(theta), CENTRE[1] + SEMI_Y * r * Math.sin(theta)];
}

const gauss = (p: Xy, c: Xy, s: number): number =>
  Math.exp(-((p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2) / (2 * s * s));

/** Relative density of grids (≈ of households) at p: highest in the old town west of the river. */
export function density(p: Xy): number {
  return (
    1 +
    3.4 * gauss(p, [-0.45, 0.45], 0.85) + // 六角亭 old town
    2.0 * gauss(p, [0.95, 0.05], 0.8) + // 舞阳坝 commercial centre
    0.9 * gauss(p, [1.3, 2.0], 0.8) + // 金子坝 / 恩施站
    0.7 * gauss(p, [-0.4, -2.1], 0.9) // 小渡船
  );
}

export interface Seeds {
  /** Seeds 0..GRID_COUNT-1 are grid seeds, the rest are outside seeds. */
  points: Xy[];
  /** Grid seeds that are pinned (river pairs) and were not relaxed. */
  pinned: boolean[];
}

function spacingFn(): (p: Xy) => number {
  // integrate the density over the footprint to size cells so exactly GRID_COUNT fill it
  const step = 0.05;
  let mass = 0;
  for (let x = -5; x <= 5; x += step)
    for (let y = -5.5; y <= 5; y += step) if (inFootprint([x, y])) mass += density([x, y]) * step * step;
  const perCell = mass / GRID_COUNT;
  // hexagonal packing: cell area A ↔ neighbour spacing sqrt(2A/√3)
  return (p) => Math.sqrt((2 * perCell) / (density(p) * Math.sqrt(3)));
}

export function placeSeeds(attempt: number): Seeds {
  const rng = createRng(hashInts(0x5eed, attempt));
  const h = spacingFn();
  const outside: Xy[] = [];

  // 1. outside seeds: two rings just outside the footprint and a far frame
  for (const [scaleOffset, jitter] of [
    [0.5, 0.12],
    [1.6, 0.25],
  ] as const) {
    let theta = 0;
    while (theta < 2 * Math.PI - 1e-9) {
      const b = footprintPoint(theta, 1);
      const hb = h(b);
      const r = Math.hypot((b[0] - CENTRE[0]) / SEMI_X, (b[1] - CENTRE[1]) / SEMI_Y);
      const out = footprintPoint(theta, 1 + (scaleOffset * hb) / (r * Math.min(SEMI_X, SEMI_Y)));
      outside.push([out[0] + rng.range(-jitter, jitter) * hb, out[1] + rng.range(-jitter, jitter) * hb]);
      const rad = Math.hypot(b[0] - CENTRE[0], b[1] - CENTRE[1]);
      theta += (hb * (1 + scaleOffset * 0.3)) / rad;
    }
  }
  for (let k = 0; k < 24; k++) {
    const a = (2 * Math.PI * k) / 24;
    outside.push([CENTRE[0] + 14 * Math.cos(a), CENTRE[1] + 14 * Math.sin(a)]);
  }

  // 2. mirrored pairs on both banks, so that the river runs along grid edges
  const inner: Xy[] = [];
  const pinned: boolean[] = [];
  const samples = riverSamples(0.01);
  let next = 0;
  for (let k = 0; k < samples.length; k++) {
    if (k < next) continue;
    const { p, dir } = samples[k];
    const hp = h(p);
    const nrm: Xy = [-dir[1], dir[0]];
    const a: Xy = [p[0] + nrm[0] * hp * 0.5, p[1] + nrm[1] * hp * 0.5];
    const b: Xy = [p[0] - nrm[0] * hp * 0.5, p[1] - nrm[1] * hp * 0.5];
    if (footprintLevel(a) < 0.93 && footprintLevel(b) < 0.93) {
      inner.push(a, b);
      pinned.push(true, true);
    }
    next = k + Math.max(1, Math.round(hp / 0.01));
  }

  // 3. best-candidate sampling of the remaining grid seeds, density-weighted
  const dmax = 5.5;
  const drawCandidate = (): Xy => {
    for (;;) {
      const p: Xy = [CENTRE[0] + rng.range(-1.25, 1.25) * SEMI_X, CENTRE[1] + rng.range(-1.25, 1.25) * SEMI_Y];
      if (inFootprint(p) && rng.next() * dmax < density(p)) return p;
    }
  };
  const existing = (): Xy[] => inner.concat(outside);
  while (inner.length < GRID_COUNT) {
    const all = existing();
    let best: Xy | null = null;
    let bestScore = -1;
    for (let k = 0; k < 14; k++) {
      const cand = drawCandidate();
      let dmin = Infinity;
      for (const q of all) dmin = Math.min(dmin, Math.hypot(cand[0] - q[0], cand[1] - q[1]));
      const score = dmin / h(cand);
      if (score > bestScore) {
        bestScore = score;
        best = cand;
      }
    }
    inner.push(best!);
    pinned.push(false);
  }

  // 4. a few damped Lloyd steps on the unpinned seeds to round off the cells
  for (let it = 0; it < 3; it++) relax(inner, pinned, outside, 0.55);

  return { points: inner.concat(outside), pinned };
}

function relax(inner: Xy[], pinned: boolean[], outside: Xy[], factor: number): void {
  const pts = inner.concat(outside);
  const vor = Delaunay.from(pts).voronoi([-30, -30, 30, 30]);
  for (let i = 0; i < inner.length; i++) {
    if (pinned[i]) continue;
    const poly = vor.cellPolygon(i);
    if (!poly) continue;
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let k = 0; k < poly.length - 1; k++) {
      const [x0, y0] = poly[k];
      const [x1, y1] = poly[k + 1];
      const w = x0 * y1 - x1 * y0;
      a += w;
      cx += (x0 + x1) * w;
      cy += (y0 + y1) * w;
    }
    cx /= 3 * a;
    cy /= 3 * a;
    const np: Xy = [inner[i][0] + (cx - inner[i][0]) * factor, inner[i][1] + (cy - inner[i][1]) * factor];
    // stay on the seed's own bank so the river pairs keep the river on cell edges
    if (Math.sign(np[0] - riverX(np[1])) === Math.sign(inner[i][0] - riverX(inner[i][1]))) inner[i] = np;
  }
}

/** Which subdistrict a grid seed belongs to (by location; see the brief's geography). */
export function subdistrictOf(p: Xy): string {
  const [x, y] = p;
  const east = x > riverX(y);
  const north = 1.75 + 0.25 * Math.sin(1.2 * x + 0.4) + (east ? 0.45 + 0.1 * x : 0);
  if (y > north) return '422801004'; // 七里坪
  const south = east ? -2.25 + 0.2 * Math.sin(1.5 * x + 1) - 0.1 * x : -0.55 + 0.2 * Math.sin(1.7 * x);
  if (y < south) return '422801003'; // 小渡船
  if (!east) return '422801002'; // 六角亭
  const jzb = 0.1 + 0.2 * Math.sin(1.3 * x + 0.3) - 0.22 * (x - riverX(y));
  return y > jzb ? '422801005' : '422801001'; // 金子坝 : 舞阳坝
}

export type { Rng };
