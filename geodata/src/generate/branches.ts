// Area party branches (片区党支部): 3–5 per community, each a contiguous set of the community's grids.
import type { AreaBranch } from '../types.ts';
import type { PreparedGrid } from './grid-index.ts';
import { chineseNumber } from './names.ts';

export function branchCount(gridCount: number): number {
  return Math.max(1, Math.min(5, gridCount, Math.max(3, Math.round(gridCount / 4))));
}

/**
 * Splits each community's grids into branches by balanced region growing over grid adjacency,
 * starting from far-apart grids (farthest-point seeds, the first being the community's first grid).
 */
export function makeBranches(grids: PreparedGrid[], communityName: (code: string) => string): { branches: AreaBranch[]; branchOfGrid: number[] } {
  const byCommunity = new Map<string, PreparedGrid[]>();
  for (const g of grids) {
    const list = byCommunity.get(g.communityCode);
    if (list) list.push(g);
    else byCommunity.set(g.communityCode, [g]);
  }
  const branches: AreaBranch[] = [];
  const branchOfGrid = new Array<number>(grids.length).fill(-1);
  const codes = [...byCommunity.keys()].sort();
  for (const code of codes) {
    const members = byCommunity.get(code)!.slice().sort((a, b) => (a.code < b.code ? -1 : 1));
    const k = branchCount(members.length);
    const d2 = (a: PreparedGrid, b: PreparedGrid) =>
      (a.centroid[0] - b.centroid[0]) ** 2 + (a.centroid[1] - b.centroid[1]) ** 2;
    const seeds = [members[0]];
    while (seeds.length < k) {
      let best = members[0];
      let bestD = -1;
      for (const g of members) {
        const d = Math.min(...seeds.map((s) => d2(s, g)));
        if (d > bestD) {
          bestD = d;
          best = g;
        }
      }
      seeds.push(best);
    }
    const owner = new Map<number, number>();
    seeds.forEach((s, b) => owner.set(s.index, b));
    const inCommunity = new Set(members.map((g) => g.index));
    // balanced growth: the smallest branch claims its nearest adjacent free grid next
    const sizes = seeds.map(() => 1);
    const stuck = seeds.map(() => false);
    while (owner.size < members.length && stuck.some((s) => !s)) {
      let b = -1;
      for (let q = 0; q < k; q++) if (!stuck[q] && (b < 0 || sizes[q] < sizes[b])) b = q;
      let pick = -1;
      let pickD = Infinity;
      for (const g of members) {
        if (owner.get(g.index) !== b) continue;
        for (const j of g.neighbours) {
          if (!inCommunity.has(j) || owner.has(j)) continue;
          const d = d2(seeds[b], grids[j]);
          if (d < pickD || (d === pickD && j < pick)) {
            pickD = d;
            pick = j;
          }
        }
      }
      if (pick < 0) stuck[b] = true;
      else {
        owner.set(pick, b);
        sizes[b]++;
      }
    }
    // grids not reachable through adjacency (non-topological input): nearest seed
    for (const g of members) {
      if (owner.has(g.index)) continue;
      let b = 0;
      for (let q = 1; q < k; q++) if (d2(seeds[q], g) < d2(seeds[b], g)) b = q;
      owner.set(g.index, b);
    }
    const base = branches.length;
    const short = communityName(code);
    for (let b = 0; b < k; b++) {
      const gridCodes = members.filter((g) => owner.get(g.index) === b).map((g) => g.code);
      branches.push({
        code: `${code}B${String(b + 1).padStart(2, '0')}`,
        name: `${short}第${chineseNumber(b + 1)}片区党支部`,
        community_code: code,
        grid_codes: gridCodes,
      });
    }
    for (const g of members) branchOfGrid[g.index] = base + owner.get(g.index)!;
  }
  return { branches, branchOfGrid };
}
