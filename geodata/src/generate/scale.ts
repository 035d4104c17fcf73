// A scaled synthetic dataset (GRID_ATLAS_SCALE): the urban core of Enshi (the committed
// boundaries: 5 subdistricts, 33 communities, 359 grids) plus scale − 1 synthetic towns, each a
// copy of the core's pattern moved to free ground inside the real city outline, so a prefecture's
// worth of grids and households can be benched on one PostgreSQL. Scale 1 is the committed
// dataset itself, unchanged.
//
// Codes: a town k (1..9) holds the core's subdistricts as "4228019" + k + s, where s is the last
// digit of the core subdistrict's code (NBS codes 9xx name no unit of 恩施市); its communities and
// grids keep the core's last three digits under the new parent code. Names carry the town
// ("合成一镇"), every unit is marked synthetic.
import type { Feature, Polygon, Position } from 'geojson';
import type { Boundaries, CommunityProps, GridProps, SubdistrictProps } from '../types.ts';
import { chineseNumber } from './names.ts';
import { pointInRing } from './geometry.ts';
import { round7 } from './projection.ts';

export const MAX_SCALE = 10;

/** The scale factor named by GRID_ATLAS_SCALE: an integer 1..MAX_SCALE, 1 when unset. */
export function scaleFromEnv(value: string | undefined = process.env.GRID_ATLAS_SCALE): number {
  if (value === undefined || value.trim() === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SCALE) {
    throw new Error(`GRID_ATLAS_SCALE must be an integer from 1 to ${MAX_SCALE}, got "${value}"`);
  }
  return n;
}

const TOWN_CODE = /^4228019([1-9])([1-9])/;
const CORE_SUBDISTRICT = /^42280100([1-9])$/;

/** The synthetic town a code lies in (1..9), or 0 for the urban core. */
export function townOf(code: string): number {
  const m = TOWN_CODE.exec(code);
  return m ? Number(m[1]) : 0;
}

/** The code of the core unit a town's unit copies (the code itself for the core). */
export function coreCodeOf(code: string): string {
  const m = TOWN_CODE.exec(code);
  return m ? `42280100${m[2]}${code.slice(9)}` : code;
}

/** The town's name, e.g. "合成一镇". */
export function townName(k: number): string {
  return `合成${chineseNumber(k)}镇`;
}

/**
 * Where the towns go: offsets (degrees) on a lattice a little wider than the core, nearest first,
 * keeping those whose every subdistrict vertex lies inside the city outline.
 */
export function townOffsets(core: Boundaries, outline: Position[], count: number): [number, number][] {
  let west = Infinity, east = -Infinity, south = Infinity, north = -Infinity;
  for (const f of core.subdistricts.features)
    for (const [x, y] of f.geometry.coordinates[0]) {
      west = Math.min(west, x); east = Math.max(east, x);
      south = Math.min(south, y); north = Math.max(north, y);
    }
  const dx = Math.round((east - west) * 1.15 * 1000) / 1000;
  const dy = Math.round((north - south) * 1.15 * 1000) / 1000;
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const candidates: { i: number; j: number; d: number }[] = [];
  for (let i = -6; i <= 6; i++)
    for (let j = -6; j <= 6; j++) if (i || j) candidates.push({ i, j, d: (i * dx * kx) ** 2 + (j * dy) ** 2 });
  candidates.sort((a, b) => a.d - b.d || a.j - b.j || a.i - b.i);
  const out: [number, number][] = [];
  for (const c of candidates) {
    if (out.length === count) break;
    const ox = c.i * dx;
    const oy = c.j * dy;
    const inside = core.subdistricts.features.every((f) =>
      f.geometry.coordinates[0].every(([x, y]) => pointInRing(x + ox, y + oy, outline)));
    if (inside) out.push([ox, oy]);
  }
  if (out.length < count) throw new Error(`room for ${out.length} synthetic towns inside the city outline, ${count} asked`);
  return out;
}

const moved = (g: Polygon, [ox, oy]: [number, number]): Polygon => ({
  type: 'Polygon',
  coordinates: g.coordinates.map((ring) => ring.map(([x, y]) => [round7(x + ox), round7(y + oy)])),
});

/**
 * The core boundaries and scale − 1 synthetic towns (the core's layers, moved). Shared vertices
 * stay shared: each is moved by the same offset and rounded the same way.
 */
export function scaleBoundaries(core: Boundaries, outline: Position[], scale: number): Boundaries {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) throw new Error(`scale must be an integer from 1 to ${MAX_SCALE}, got ${scale}`);
  if (scale === 1) return core;
  for (const f of core.subdistricts.features)
    if (!CORE_SUBDISTRICT.test(f.properties.code)) throw new Error(`core subdistrict code ${f.properties.code} is not 42280100x`);
  const offsets = townOffsets(core, outline, scale - 1);
  const subdistricts: Feature<Polygon, SubdistrictProps>[] = [...core.subdistricts.features];
  const communities: Feature<Polygon, CommunityProps>[] = [...core.communities.features];
  const grids: Feature<Polygon, GridProps>[] = [...core.grids.features];
  offsets.forEach((offset, t) => {
    const k = t + 1;
    const town = townName(k);
    const sub = (code: string) => `4228019${k}${code.slice(8, 9)}`;
    const names = new Map<string, string>();
    for (const f of core.subdistricts.features) {
      subdistricts.push({
        type: 'Feature',
        properties: { code: sub(f.properties.code), name: `${town}${f.properties.name.replace(/街道$/, '片区')}`, synthetic: true },
        geometry: moved(f.geometry, offset),
      });
    }
    for (const f of core.communities.features) {
      const p = f.properties;
      const code = sub(p.subdistrict_code) + p.code.slice(9);
      names.set(p.code, `${town}${p.name}`);
      communities.push({
        type: 'Feature',
        properties: { code, name: `${town}${p.name}`, full_name: `${town}${p.full_name}`, subdistrict_code: sub(p.subdistrict_code), synthetic: true },
        geometry: moved(f.geometry, offset),
      });
    }
    for (const f of core.grids.features) {
      const p = f.properties;
      const community = sub(p.community_code.slice(0, 9)) + p.community_code.slice(9);
      grids.push({
        type: 'Feature',
        properties: { code: community + p.code.slice(12), number: p.number, name: `${names.get(p.community_code)}第${p.number}网格`, community_code: community, synthetic: true },
        geometry: moved(f.geometry, offset),
      });
    }
  });
  return {
    subdistricts: { type: 'FeatureCollection', features: subdistricts },
    communities: { type: 'FeatureCollection', features: communities },
    grids: { type: 'FeatureCollection', features: grids },
  };
}
