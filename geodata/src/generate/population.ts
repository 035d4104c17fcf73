// generatePopulation(b): households, cadres, links, area branches and departments for a set of
// boundaries. Deterministic (fixed seeds) and fast enough to run when the server first starts.
import type { Boundaries, Population } from '../types.ts';
import { metricFor, prepareGrids } from './grid-index.ts';
import { generateHouseholds, type CommunityInfo } from './households.ts';
import { makeBranches } from './branches.ts';
import { generateCadres } from './cadres.ts';
import { departments } from './departments.ts';
import { streetsFor } from './streets.ts';
import { coreCodeOf, townName, townOf } from './scale.ts';

/**
 * `scale`: how many copies of the urban core the boundaries hold (scale.ts): the totals of
 * households, households in difficulty and party members are the core's times the scale.
 */
export function generatePopulation(b: Boundaries, scale = 1): Population {
  const metric = metricFor(b);
  const grids = prepareGrids(b, metric);
  const coreName = new Map(b.communities.features.map((f) => [f.properties.code, f.properties.name]));
  const communities = new Map<string, CommunityInfo>(
    b.communities.features.map((f) => {
      const p = f.properties;
      const info: CommunityInfo = { code: p.code, name: p.name, subdistrictCode: p.subdistrict_code };
      // a synthetic town's addresses: the core community's streets, named in the town
      const town = scale > 1 ? townOf(p.code) : 0;
      if (town) {
        const core = coreCodeOf(p.code);
        info.streets = streetsFor(coreName.get(core) ?? '', core.slice(0, 9)).map((s) => townName(town) + s);
      }
      return [p.code, info];
    }),
  );
  const communityName = (code: string) => communities.get(code)?.name ?? code;
  const phones = new Set<string>();
  const { households, buildings, buildingsByGrid } = generateHouseholds(grids, communities, metric, phones, scale);
  const { branches, branchOfGrid } = makeBranches(grids, communityName);
  const depts = departments();
  const { cadres, links } = generateCadres({
    grids,
    households,
    buildings,
    buildingsByGrid,
    branches,
    branchOfGrid,
    communityName,
    departmentNames: depts.map((d) => d.name),
    metric,
    phones,
    scale,
  });
  return { households, cadres, links, branches, departments: depts };
}
