// Households: exact total, spread unevenly over the grids (the imbalance the city wanted to fix),
// clustered into synthetic buildings that lie inside their grid.
import type { Household } from '../types.ts';
import { apportion, createRng, hashString, type Rng } from './random.ts';
import { samplePoint, type Metric, type PreparedGrid } from './grid-index.ts';
import { HouseNumbers, streetsFor } from './streets.ts';
import { personName, phoneNumber } from './names.ts';
import { round7 } from './projection.ts';

export const TOTAL_HOUSEHOLDS = 95402;
export const TOTAL_IN_DIFFICULTY = 5134;
/** The imbalance to reproduce: at least this many grids above 500 and below 120 households. */
const OVERSIZED = { count: 18, min: 505, max: 760, cap: 920 };
const UNDERSIZED = { count: 18, min: 55, max: 112 };
/** Upper bound for all other grids. */
const REST_MAX = 680;

/** Metres kept between a building and its grid's edge, and the largest household jitter. */
const BUILDING_MARGIN_KM = 0.006;
const JITTER_KM = 0.0025;

export interface Building {
  name: string;
  lon: number;
  lat: number;
  grid: number;
  /** jitter radius that keeps points inside the grid */
  jitterKm: number;
}

export interface CommunityInfo {
  code: string;
  name: string;
  subdistrictCode: string;
  /** The address streets, when not those of streetsFor(name, subdistrictCode) (a synthetic town's). */
  streets?: string[];
}

/**
 * Households per grid: smaller (denser) grids hold more, with community and grid noise. `scale`:
 * how many copies of the core the grids are (the pinned extremes scale with them).
 */
export function householdCounts(grids: PreparedGrid[], total: number, scale = 1): number[] {
  const oversized = OVERSIZED.count * scale;
  const undersized = UNDERSIZED.count * scale;
  const rng = createRng('household-counts');
  const meanArea = grids.reduce((s, g) => s + g.areaKm2, 0) / grids.length;
  const communityFactor = new Map<string, number>();
  for (const g of grids) {
    if (!communityFactor.has(g.communityCode)) {
      const r = createRng(hashString(`community-factor:${g.communityCode}`));
      communityFactor.set(g.communityCode, Math.exp(0.28 * r.normal()));
    }
  }
  const raw = grids.map(
    (g) => Math.pow(g.areaKm2 / meanArea, -0.35) * communityFactor.get(g.communityCode)! * Math.exp(0.38 * rng.normal()),
  );
  let counts = apportion(total, raw);
  if (grids.length < 4 * (oversized + undersized)) return counts;

  // pin the largest and smallest grids beyond the thresholds, then rescale the rest
  const order = raw.map((r, i) => i).sort((a, b) => raw[b] - raw[a] || a - b);
  const fixed = new Map<number, number>();
  for (const i of order.slice(0, oversized)) fixed.set(i, Math.min(OVERSIZED.cap, Math.max(counts[i], rng.int(OVERSIZED.min, OVERSIZED.max))));
  for (const i of order.slice(-undersized)) fixed.set(i, Math.min(counts[i], rng.int(UNDERSIZED.min, UNDERSIZED.max)));
  const rest = order.filter((i) => !fixed.has(i)).sort((a, b) => a - b);
  const fixedSum = [...fixed.values()].reduce((s, x) => s + x, 0);
  // the rest stay between the extremes' thresholds' neighbourhood: cap them at REST_MAX
  const weights = rest.map((i) => raw[i]);
  let restCounts = apportion(total - fixedSum, weights);
  for (let round = 0; round < 20 && restCounts.some((c) => c > REST_MAX); round++) {
    const capped = restCounts.map((c) => c >= REST_MAX);
    const free = total - fixedSum - capped.filter(Boolean).length * REST_MAX;
    const part = apportion(free, weights.map((w, k) => (capped[k] ? 0 : w)));
    restCounts = part.map((c, k) => (capped[k] ? REST_MAX : c));
  }
  counts = counts.slice();
  for (const [i, c] of fixed) counts[i] = c;
  rest.forEach((i, k) => (counts[i] = restCounts[k]));
  return counts;
}

const SIZE_WEIGHTS = [0.16, 0.28, 0.27, 0.16, 0.08, 0.04, 0.01];

export function generateHouseholds(
  grids: PreparedGrid[],
  communities: Map<string, CommunityInfo>,
  m: Metric,
  phones: Set<string>,
  scale = 1,
): { households: Household[]; buildings: Building[]; buildingsByGrid: number[][] } {
  const counts = householdCounts(grids, TOTAL_HOUSEHOLDS * scale, scale);
  const difficulty = difficultyCounts(counts, TOTAL_IN_DIFFICULTY * scale);
  const numbers = new HouseNumbers();
  const households: Household[] = [];
  const buildings: Building[] = [];
  const buildingsByGrid: number[][] = [];
  for (const g of grids) {
    const rng = createRng(hashString(`households:${g.code}`));
    const community = communities.get(g.communityCode);
    const streets = community?.streets ?? streetsFor(community?.name ?? '', community?.subdistrictCode ?? '');
    const h = counts[g.index];
    // dense grids are flats (many households per building), sparse ones houses and low blocks
    const perKm2 = h / Math.max(g.areaKm2, 1e-6);
    const perBuilding = Math.max(3, Math.min(60, perKm2 / 110)) * rng.range(0.7, 1.3);
    const nb = Math.max(1, Math.min(h, Math.round(h / perBuilding)));
    const sizes = apportion(h, Array.from({ length: nb }, () => rng.range(0.4, 1.6))).filter((s) => s > 0);
    const local: { b: Building; n: number }[] = sizes.map((n) => {
      const { p, margin } = samplePoint(rng, g, m, BUILDING_MARGIN_KM);
      return {
        b: {
          name: '',
          lon: round7(p[0]),
          lat: round7(p[1]),
          grid: g.index,
          jitterKm: Math.min(JITTER_KM, margin * 0.4),
        },
        n,
      };
    });
    // order buildings north-west → south-east, then name them in that order
    local.sort((a, c) => c.b.lat - a.b.lat || a.b.lon - c.b.lon);
    const ids: number[] = [];
    const diffSet = pickDifficult(rng, h, difficulty[g.index]);
    let k = 0;
    for (const { b, n } of local) {
      b.name = numbers.building(rng, streets);
      ids.push(buildings.length);
      buildings.push(b);
      const floors = n <= 4 ? 2 : n <= 12 ? rng.int(3, 6) : rng.int(6, 18);
      const perFloor = 2;
      const perUnit = floors * perFloor;
      for (let q = 0; q < n; q++, k++) {
        const unit = Math.floor(q / perUnit) + 1;
        const r = q % perUnit;
        const floor = Math.floor(r / perFloor) + 1;
        const room = (r % perFloor) + 1;
        const [lon, lat] = jitter(rng, b, m);
        households.push({
          id: households.length + 1,
          grid_code: g.code,
          lon,
          lat,
          building: b.name,
          address: `${b.name}${unit}单元${floor}${String(room).padStart(2, '0')}`,
          size: rng.weighted(SIZE_WEIGHTS) + 1,
          in_difficulty: diffSet.has(k),
          head_name: personName(rng),
          phone: phoneNumber(rng, phones),
        });
      }
    }
    buildingsByGrid.push(ids);
  }
  return { households, buildings, buildingsByGrid };
}

/** A point within the building's jitter radius (always inside its grid, see BUILDING_MARGIN_KM). */
export function jitter(rng: Rng, b: Building, m: Metric): [number, number] {
  const r = b.jitterKm * Math.sqrt(rng.next());
  const a = 2 * Math.PI * rng.next();
  return [round7(b.lon + (r * Math.cos(a)) / m.kx), round7(b.lat + (r * Math.sin(a)) / m.ky)];
}

/** Exactly `total` households in difficulty (TOTAL_IN_DIFFICULTY per copy), roughly proportional to households. */
function difficultyCounts(counts: number[], total: number): number[] {
  const rng = createRng('difficulty-counts');
  const w = counts.map((c) => c * Math.exp(0.45 * rng.normal()));
  let d = apportion(total, w);
  // never more than the grid holds (only possible for tiny grids); move the excess elsewhere
  let excess = 0;
  d = d.map((x, i) => {
    const cap = Math.floor(counts[i] * 0.5);
    if (x > cap) {
      excess += x - cap;
      return cap;
    }
    return x;
  });
  for (let i = 0; excess > 0; i = (i + 1) % d.length) {
    if (d[i] < Math.floor(counts[i] * 0.5)) {
      d[i]++;
      excess--;
    }
  }
  return d;
}

function pickDifficult(rng: Rng, n: number, k: number): Set<number> {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return new Set(idx.slice(0, k));
}
