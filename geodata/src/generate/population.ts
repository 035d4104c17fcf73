// generatePopulation(b): households, cadres, links, area branches and departments for a set of
// boundaries. Deterministic (fixed seeds) and fast enough to run when the server first starts.
import type { Boundaries, Population } from '../types.ts';
import { metricFor, prepareGrids } from './grid-index.ts';
import { generateHouseholds, type CommunityInfo } from './households.ts';
import { makeBranches } from './branches.ts';
import { generateCadres } from './cadres.ts';
import { departments } from './departments.ts';

export function generatePopulation(b: Boundaries): Population {
  const metric = metricFor(b);
  const grids = prepareGrids(b, metric);
  const communities = new Map<string, CommunityInfo>(
    b.communities.features.map((f) => [
      f.properties.code,
      { code: f.properties.code, name: f.properties.name, subdistrictCode: f.properties.subdistrict_code },
    ]),
  );
  const communityName = (code: string) => communities.get(code)?.name ?? code;
  const phones = new Set<string>();
  const { households, buildings, buildingsByGrid } = generateHouseholds(grids, communities, metric, phones);
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
  });
  return { households, cadres, links, branches, departments: depts };
}
