// generateBoundaries(): the synthetic subdistrict / community / grid polygons of urban Enshi.
import type { FeatureCollection, Polygon } from 'geojson';
import type { Boundaries, CommunityProps, GridProps, SubdistrictProps } from '../types.ts';
import { COMMUNITIES, SUBDISTRICTS, shortName, type CommunityDef } from './enshi-units.ts';
import { GRID_COUNT, placeSeeds, subdistrictOf } from './layout.ts';
import { partition, type Cell } from './partition.ts';
import { unionSingleRing } from './topology-union.ts';
import { ringAreaKm2, toXy, type LonLat, type Xy } from './projection.ts';
import { ringCentroid } from './geometry.ts';
import { apportion } from './random.ts';

/** Built-up box every urban polygon must lie in (lon/lat). */
export const URBAN_BOX = { west: 109.43, south: 30.24, east: 109.52, north: 30.33 } as const;
export const MIN_GRID_AREA_KM2 = 0.02;
const MIN_GRIDS_PER_COMMUNITY = 5;
const MAX_ATTEMPTS = 40;

interface Layout {
  cells: Cell[];
  /** community index (into COMMUNITIES) of each grid seed */
  communityOf: number[];
  communityRings: LonLat[][];
  subdistrictRings: LonLat[][];
}

let cached: Boundaries | null = null;
/** Which layout attempt succeeded, and why the ones before it were rejected (for diagnostics). */
export let lastAttempt = -1;
export let rejectedAttempts: string[] = [];

/** Deterministic: every call returns deep-equal output (the first result is cached and cloned). */
export function generateBoundaries(): Boundaries {
  if (!cached) cached = buildBoundaries();
  return structuredClone(cached);
}

/** Builds the boundaries from scratch, bypassing the cache (used by the determinism test). */
export function buildBoundaries(): Boundaries {
  const problems: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = tryLayout(attempt);
    if (typeof result !== 'string') {
      lastAttempt = attempt;
      rejectedAttempts = problems;
      return toFeatures(result);
    }
    problems.push(`attempt ${attempt}: ${result}`);
  }
  throw new Error(`generateBoundaries failed:\n${problems.join('\n')}`);
}

function tryLayout(attempt: number): Layout | string {
  const seeds = placeSeeds(attempt);
  const pts = seeds.points;
  let cells: Cell[];
  try {
    cells = partition(pts, GRID_COUNT, attempt);
  } catch (e) {
    return (e as Error).message;
  }
  for (let i = 0; i < GRID_COUNT; i++) {
    const area = ringAreaKm2(cells[i].ring);
    if (area < MIN_GRID_AREA_KM2) return `grid seed ${i} too small (${area.toFixed(4)} km²)`;
    for (const [x, y] of cells[i].ring) {
      if (x < URBAN_BOX.west || x > URBAN_BOX.east || y < URBAN_BOX.south || y > URBAN_BOX.north)
        return `grid seed ${i} leaves the urban box at ${x},${y}`;
    }
  }

  const subOf = pts.slice(0, GRID_COUNT).map((p) => subdistrictOf(p));
  const communityOf = new Array<number>(GRID_COUNT).fill(-1);
  for (const sd of SUBDISTRICTS) {
    const members = subOf.map((s, i) => (s === sd.code ? i : -1)).filter((i) => i >= 0);
    const defs = COMMUNITIES.map((c, k) => ({ c, k })).filter(({ c }) => c.subdistrictCode === sd.code);
    const err = growCommunities(pts, cells, members, defs, communityOf);
    if (err) return `${sd.name}: ${err}`;
  }

  const communityRings: LonLat[][] = [];
  for (let k = 0; k < COMMUNITIES.length; k++) {
    const rings = cells.filter((_, i) => communityOf[i] === k).map((c) => c.ring);
    if (rings.length < MIN_GRIDS_PER_COMMUNITY) return `${COMMUNITIES[k].fullName}: only ${rings.length} grids`;
    const u = unionSingleRing(rings);
    if (typeof u === 'string') return `${COMMUNITIES[k].fullName}: ${u}`;
    communityRings.push(u);
  }
  const subdistrictRings: LonLat[][] = [];
  for (const sd of SUBDISTRICTS) {
    const rings = communityRings.filter((_, k) => COMMUNITIES[k].subdistrictCode === sd.code);
    const u = unionSingleRing(rings);
    if (typeof u === 'string') return `${sd.name}: ${u}`;
    subdistrictRings.push(u);
  }
  const city = unionSingleRing(subdistrictRings);
  if (typeof city === 'string') return `urban area: ${city}`;
  return { cells, communityOf, communityRings, subdistrictRings };
}

/**
 * Multi-source region growing over the cell adjacency of one subdistrict: each community starts at
 * the seed nearest to its hint and claims cells in order of (path length / weight). Every community
 * is therefore edge-connected; holes are detected later by the union.
 */
function growCommunities(
  pts: Xy[],
  cells: Cell[],
  members: number[],
  defs: { c: CommunityDef; k: number }[],
  communityOf: number[],
): string | null {
  if (members.length < defs.length) return 'fewer grids than communities';
  const inSub = new Set(members);
  let minx = Infinity;
  let miny = Infinity;
  let maxx = -Infinity;
  let maxy = -Infinity;
  for (const i of members) {
    minx = Math.min(minx, pts[i][0]);
    maxx = Math.max(maxx, pts[i][0]);
    miny = Math.min(miny, pts[i][1]);
    maxy = Math.max(maxy, pts[i][1]);
  }
  const owner = new Map<number, number>();
  const taken = new Set<number>();
  const frontier: { i: number; d: number; k: number }[] = [];
  for (const { c, k } of defs) {
    const target: Xy = [minx + c.hint[0] * (maxx - minx), miny + c.hint[1] * (maxy - miny)];
    let best = -1;
    let bestD = Infinity;
    for (const i of members) {
      if (taken.has(i)) continue;
      const d = Math.hypot(pts[i][0] - target[0], pts[i][1] - target[1]);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    taken.add(best);
    frontier.push({ i: best, d: 0, k });
  }
  // capacitated Dijkstra (a few hundred cells at most, so a linear scan for the minimum is fine):
  // each community stops at its target size; cells it cannot reach are filled in a second pass
  const targets = apportion(
    members.length,
    defs.map(({ c }) => c.weight * c.weight),
  );
  const cap = new Map(defs.map(({ k }, q) => [k, targets[q]]));
  const size = new Map(defs.map(({ k }) => [k, 0]));
  const grow = (capped: boolean) => {
    while (frontier.length) {
      let m = 0;
      for (let q = 1; q < frontier.length; q++) {
        const a = frontier[q];
        const b = frontier[m];
        if (a.d < b.d || (a.d === b.d && (a.i < b.i || (a.i === b.i && a.k < b.k)))) m = q;
      }
      const { i, d, k } = frontier.splice(m, 1)[0];
      if (owner.has(i)) continue;
      if (capped && size.get(k)! >= cap.get(k)!) continue;
      owner.set(i, k);
      size.set(k, size.get(k)! + 1);
      const w = COMMUNITIES[k].weight;
      for (const j of cells[i].neighbours) {
        if (!inSub.has(j) || owner.has(j)) continue;
        const step = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]) / w;
        frontier.push({ i: j, d: d + step, k });
      }
    }
  };
  grow(true);
  // cells the capped growth could not reach go to the smallest adjacent community
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of members) {
      if (owner.has(i)) continue;
      let best = -1;
      for (const j of cells[i].neighbours) {
        const k = owner.get(j);
        if (k === undefined || !inSub.has(j)) continue;
        if (best < 0 || size.get(k)! < size.get(best)! || (size.get(k)! === size.get(best)! && k < best)) best = k;
      }
      if (best >= 0) {
        owner.set(i, best);
        size.set(best, size.get(best)! + 1);
        changed = true;
      }
    }
  }
  for (const i of members) {
    if (!owner.has(i)) return `grid seed ${i} is cut off from the rest of its subdistrict`;
  }
  // communities squeezed by their neighbours take cells from a neighbour that can spare them
  for (let iter = 0; iter < 500; iter++) {
    const sizes = new Map(defs.map(({ k }) => [k, 0]));
    for (const i of members) sizes.set(owner.get(i)!, sizes.get(owner.get(i)!)! + 1);
    const small = defs.map(({ k }) => k).filter((k) => sizes.get(k)! < MIN_GRIDS_PER_COMMUNITY);
    if (small.length === 0) break;
    const k = small[0];
    let best = -1;
    let bestScore = Infinity;
    for (const i of members) {
      if (owner.get(i) !== k) continue;
      for (const j of cells[i].neighbours) {
        const k2 = owner.get(j);
        if (k2 === undefined || k2 === k || sizes.get(k2)! <= MIN_GRIDS_PER_COMMUNITY) continue;
        if (!staysConnected(members, owner, cells, k2, j)) continue;
        const score = sizes.get(k2)! * -1000 + j * 1e-6;
        if (score < bestScore) {
          bestScore = score;
          best = j;
        }
      }
    }
    if (best < 0) return `${COMMUNITIES[k].fullName} cannot reach ${MIN_GRIDS_PER_COMMUNITY} grids`;
    owner.set(best, k);
  }
  for (const i of members) communityOf[i] = owner.get(i)!;
  return null;
}

/** Whether community k stays edge-connected when cell `removed` leaves it. */
function staysConnected(members: number[], owner: Map<number, number>, cells: Cell[], k: number, removed: number): boolean {
  const own = members.filter((i) => owner.get(i) === k && i !== removed);
  if (own.length === 0) return false;
  const set = new Set(own);
  const seen = new Set([own[0]]);
  const stack = [own[0]];
  while (stack.length) {
    const i = stack.pop()!;
    for (const j of cells[i].neighbours) {
      if (set.has(j) && !seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return seen.size === own.length;
}

function polygon(ring: LonLat[]): Polygon {
  return { type: 'Polygon', coordinates: [ring.map((p) => [p[0], p[1]])] };
}

function toFeatures(layout: Layout): Boundaries {
  const subdistricts: FeatureCollection<Polygon, SubdistrictProps> = {
    type: 'FeatureCollection',
    features: SUBDISTRICTS.map((sd, s) => ({
      type: 'Feature',
      properties: { code: sd.code, name: sd.name, synthetic: true },
      geometry: polygon(layout.subdistrictRings[s]),
    })),
  };
  const communities: FeatureCollection<Polygon, CommunityProps> = {
    type: 'FeatureCollection',
    features: COMMUNITIES.map((c, k) => ({
      type: 'Feature',
      properties: {
        code: c.code,
        name: shortName(c.fullName),
        full_name: c.fullName,
        subdistrict_code: c.subdistrictCode,
        synthetic: true,
      },
      geometry: polygon(layout.communityRings[k]),
    })),
  };
  const grids: FeatureCollection<Polygon, GridProps> = { type: 'FeatureCollection', features: [] };
  COMMUNITIES.forEach((c, k) => {
    // number the grids north-west → south-east (by centroid, in km)
    const members = layout.cells
      .filter((_, i) => layout.communityOf[i] === k)
      .map((cell) => {
        const [x, y] = toXy(ringCentroid(cell.ring));
        return { cell, score: x - y };
      })
      .sort((a, b) => a.score - b.score);
    members.forEach(({ cell }, n) => {
      const number = n + 1;
      grids.features.push({
        type: 'Feature',
        properties: {
          code: c.code + String(number).padStart(3, '0'),
          number,
          name: `${shortName(c.fullName)}第${number}网格`,
          community_code: c.code,
          synthetic: true,
        },
        geometry: polygon(cell.ring),
      });
    });
  });
  return { subdistricts, communities, grids };
}
