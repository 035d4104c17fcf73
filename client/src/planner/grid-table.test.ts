import { describe, expect, it } from 'vitest';
import { balanceOfRows, gridRows } from './grid-table';
import type { BlockProps } from '../api/plans';

const block = (id: number, grid: number | null, households: number): BlockProps =>
  ({ id, code: `B${id}`, community_id: 1, grid_id: grid, households, in_difficulty: 1, cadres: 2, area_m2: 100 });

describe('gridRows', () => {
  it('sums blocks per grid and measures deviation from the target', () => {
    const rows = gridRows([block(1, 7, 100), block(2, 7, 50), block(3, 3, 50), block(4, null, 9)], 100);
    expect(rows.map((r) => [r.gridId, r.blocks, r.households, r.inDifficulty, r.cadres, r.deviationPct]))
      .toEqual([[3, 1, 50, 1, 2, -50], [7, 2, 150, 2, 4, 50]]);
    const b = balanceOfRows(rows, 100);
    expect([b.min, b.max, b.mean, b.spread, b.maxDeviationPct]).toEqual([50, 150, 100, 1, 50]);
  });
});
