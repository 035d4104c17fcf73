// The coverage ranking: the city's subdistricts (a subdistrict's centre: its communities) ordered
// by the chosen cadre kind's covered share, best first, those without data last.
import type { CoverageRow } from './coverage';

export interface RankUnit {
  id: number;
  name: string;
  households: number;
}

export interface RankRow extends RankUnit {
  /** Covered share in 0..1; null when none of its grids has households with data. */
  share: number | null;
}

/** `unitOf` maps a grid to the unit it is ranked under (its subdistrict or its community). */
export function rankByCoverage<G>(
  units: readonly RankUnit[],
  grids: readonly G[],
  gridId: (g: G) => number,
  unitOf: (g: G) => number,
  rows: ReadonlyMap<number, CoverageRow> | null,
): RankRow[] {
  const byUnit = new Map<number, CoverageRow>();
  for (const g of grids) {
    const r = rows?.get(gridId(g));
    if (!r) continue;
    const acc = byUnit.get(unitOf(g)) ?? { households: 0, covered: 0 };
    acc.households += r.households;
    acc.covered += r.covered;
    byUnit.set(unitOf(g), acc);
  }
  return units
    .map((u) => {
      const acc = byUnit.get(u.id);
      return { id: u.id, name: u.name, households: u.households, share: acc && acc.households > 0 ? acc.covered / acc.households : null };
    })
    .sort((a, b) => (b.share ?? -1) - (a.share ?? -1));
}
