// The planner's grid table from a community's blocks: per-grid households, in-difficulty
// households, linked cadres (summed over blocks) and deviation from the target, plus the
// balance statistics (geodata's balanceOf, the same figures the bench and the CLI print).
import { balanceOf, type BalanceStats } from '@grid-atlas/geodata/plan';
import type { BlockProps } from '../api/plans';

export interface GridRow {
  gridId: number;
  blocks: number;
  households: number;
  inDifficulty: number;
  cadres: number;
  deviationPct: number;
}

/** Rows sorted by grid id; blocks with no grid are left out (the server's validation reports them). */
export function gridRows(blocks: readonly BlockProps[], target: number): GridRow[] {
  const by = new Map<number, GridRow>();
  for (const b of blocks) {
    if (b.grid_id === null) continue;
    let r = by.get(b.grid_id);
    if (!r) by.set(b.grid_id, (r = { gridId: b.grid_id, blocks: 0, households: 0, inDifficulty: 0, cadres: 0, deviationPct: 0 }));
    r.blocks += 1;
    r.households += b.households;
    r.inDifficulty += b.in_difficulty;
    r.cadres += b.cadres;
  }
  const rows = [...by.values()].sort((a, b) => a.gridId - b.gridId);
  for (const r of rows) r.deviationPct = target > 0 ? (100 * (r.households - target)) / target : 0;
  return rows;
}

export function balanceOfRows(rows: readonly GridRow[], target: number): BalanceStats {
  return balanceOf(rows.map((r) => r.households), target);
}
