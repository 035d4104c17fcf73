// Cadres and their links to households:
//  - in-service party members (在职党员, 双定三联): one family in difficulty each, plus 5–10 neighbours;
//  - sunk party members (下沉党员) of the area branches, who take every household left unlinked;
//  - one grid worker per grid and a small task force (专班).
import Flatbush from 'flatbush';
import type { AreaBranch, Cadre, CadreLink, Household } from '../types.ts';
import { apportion, createRng, type Rng } from './random.ts';
import { jitter, type Building } from './households.ts';
import type { Metric, PreparedGrid } from './grid-index.ts';
import { personName, phoneNumber } from './names.ts';
import { OTHER_EMPLOYERS } from './departments.ts';

export const TOTAL_IN_SERVICE = 7289;
export const TOTAL_SUNK = 14000;
export const TASK_FORCE_SIZE = 12;
export const NEIGHBOURS = { min: 5, max: 10 } as const;

export interface CadreContext {
  grids: PreparedGrid[];
  households: Household[];
  buildings: Building[];
  buildingsByGrid: number[][];
  branches: AreaBranch[];
  branchOfGrid: number[];
  communityName: (code: string) => string;
  departmentNames: string[];
  metric: Metric;
  phones: Set<string>;
  /** Copies of the core (GRID_ATLAS_SCALE): the member totals scale with it, the city's task force does not. */
  scale?: number;
}

export function generateCadres(ctx: CadreContext): { cadres: Cadre[]; links: CadreLink[] } {
  const { grids, households, buildings, buildingsByGrid, metric: m } = ctx;
  const gridIndex = new Map(grids.map((g) => [g.code, g.index]));
  const cadres: Cadre[] = [];
  const links: CadreLink[] = [];
  const workUnits = [...ctx.departmentNames, ...ctx.departmentNames, ...OTHER_EMPLOYERS];
  const scale = ctx.scale ?? 1;
  const inServiceTotal = TOTAL_IN_SERVICE * scale;

  const addCadre = (rng: Rng, kind: Cadre['kind'], building: number, workUnit: string, branch: string | null, gridOverride?: number): Cadre => {
    const b = buildings[building];
    const [lon, lat] = jitter(rng, b, m);
    const c: Cadre = {
      id: cadres.length + 1,
      kind,
      name: personName(rng),
      phone: phoneNumber(rng, ctx.phones),
      work_unit: workUnit,
      lon,
      lat,
      grid_code: grids[gridOverride ?? b.grid].code,
      branch_code: branch,
    };
    cadres.push(c);
    return c;
  };

  // households per community, in id order
  const byCommunity = new Map<string, Household[]>();
  for (const h of households) {
    const cc = grids[gridIndex.get(h.grid_code)!].communityCode;
    const list = byCommunity.get(cc);
    if (list) list.push(h);
    else byCommunity.set(cc, [h]);
  }
  const communityCodes = [...byCommunity.keys()].sort();
  const buildingsOfCommunity = new Map<string, number[]>();
  for (const g of grids) {
    const list = buildingsOfCommunity.get(g.communityCode) ?? [];
    list.push(...buildingsByGrid[g.index]);
    buildingsOfCommunity.set(g.communityCode, list);
  }

  // ---- in-service party members ----
  const difficultTotal = households.filter((h) => h.in_difficulty).length;
  if (difficultTotal > inServiceTotal) throw new Error('more households in difficulty than in-service members');
  const extras = apportion(
    inServiceTotal - difficultTotal,
    communityCodes.map((c) => (byCommunity.get(c)!.some((h) => h.in_difficulty) ? byCommunity.get(c)!.length : 0)),
  );
  const linked = new Uint8Array(households.length + 1);
  const rng = createRng('in-service');
  const dist2 = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
    ((a.lon - b.lon) * m.kx) ** 2 + ((a.lat - b.lat) * m.ky) ** 2;
  communityCodes.forEach((cc, ci) => {
    const hs = byCommunity.get(cc)!;
    const difficult = hs.filter((h) => h.in_difficulty);
    const members: { cadre: Cadre; family: Household }[] = [];
    // one member per family in difficulty, living in the family's grid
    for (const fam of difficult) {
      const inGrid = buildingsByGrid[gridIndex.get(fam.grid_code)!];
      members.push({ cadre: addCadre(rng, 'in_service', rng.pick(inGrid), rng.pick(workUnits), null), family: fam });
    }
    // the rest double up: each takes the family in difficulty nearest to home
    const pool = buildingsOfCommunity.get(cc)!;
    for (let e = 0; e < extras[ci]; e++) {
      const cadre = addCadre(rng, 'in_service', rng.pick(pool), rng.pick(workUnits), null);
      let fam = difficult[0];
      let best = Infinity;
      for (const d of difficult) {
        const dd = dist2(cadre, d);
        if (dd < best) {
          best = dd;
          fam = d;
        }
      }
      members.push({ cadre, family: fam });
    }
    // neighbours: nearest households not in difficulty and not yet anyone's neighbour
    const candidates = hs.filter((h) => !h.in_difficulty);
    const index = new Flatbush(Math.max(1, candidates.length));
    for (const h of candidates) index.add(h.lon * m.kx, h.lat * m.ky, h.lon * m.kx, h.lat * m.ky);
    if (candidates.length === 0) index.add(0, 0, 0, 0);
    index.finish();
    const taken = new Uint8Array(candidates.length);
    for (const { cadre, family } of members) {
      links.push({ cadre_id: cadre.id, household_id: family.id, kind: 'difficulty' });
      linked[family.id] = 1;
      const k = rng.int(NEIGHBOURS.min, NEIGHBOURS.max);
      const found = candidates.length
        ? index.neighbors(cadre.lon * m.kx, cadre.lat * m.ky, k, Infinity, (i) => taken[i] === 0)
        : [];
      if (found.length < NEIGHBOURS.min) throw new Error(`community ${cc}: not enough neighbour households`);
      found.sort((a, b) => candidates[a].id - candidates[b].id);
      for (const i of found) {
        taken[i] = 1;
        linked[candidates[i].id] = 1;
        links.push({ cadre_id: cadre.id, household_id: candidates[i].id, kind: 'neighbour' });
      }
    }
  });

  // ---- sunk party members of the area branches ----
  const srng = createRng('sunk');
  const householdsOfBranch: Household[][] = ctx.branches.map(() => []);
  for (const h of households) householdsOfBranch[ctx.branchOfGrid[gridIndex.get(h.grid_code)!]].push(h);
  const perBranch = apportion(TOTAL_SUNK * scale, householdsOfBranch.map((hs) => Math.max(hs.length, 1)));
  ctx.branches.forEach((br, bi) => {
    const pool = br.grid_codes.flatMap((gc) => buildingsByGrid[gridIndex.get(gc)!]);
    const members: Cadre[] = [];
    for (let s = 0; s < perBranch[bi]; s++) members.push(addCadre(srng, 'sunk', srng.pick(pool), srng.pick(workUnits), br.code));
    const open = householdsOfBranch[bi].filter((h) => !linked[h.id]);
    if (open.length && !members.length) throw new Error(`branch ${br.code} has households but no members`);
    // contiguous runs of households (they are ordered by grid and building) per member
    members.forEach((c, q) => {
      const from = Math.floor((q * open.length) / members.length);
      const to = Math.floor(((q + 1) * open.length) / members.length);
      for (let i = from; i < to; i++) links.push({ cadre_id: c.id, household_id: open[i].id, kind: 'branch' });
    });
  });

  // ---- grid workers and the task force ----
  const wrng = createRng('grid-workers');
  for (const g of grids) {
    const pool = buildingsByGrid[g.index];
    addCadre(wrng, 'grid_worker', wrng.pick(pool), ctx.communityName(g.communityCode), null, g.index);
  }
  const trng = createRng('task-force');
  for (let t = 0; t < TASK_FORCE_SIZE; t++) {
    addCadre(trng, 'task_force', trng.int(0, buildings.length - 1), '恩施市网格化服务管理工作专班', null);
  }
  return { cadres, links };
}
