import { describe, expect, it } from 'vitest';
import type { PlanError, PlanSummary } from '@grid-atlas/contract';
import { ApiError } from '../api/http.ts';
import { applyQuestion, errorGeometries, newestDrafts, refusal, revertQuestion } from './plans.ts';

const summary = (id: number, community: number, name: string, status: PlanSummary['status'], current = true): PlanSummary => ({
  id,
  community_id: community,
  community_name: name,
  status,
  title: `#${id}`,
  author: 'planner',
  created_at: '2026-01-01T00:00:00Z',
  applied_at: null,
  reverted_at: null,
  base_version: 1,
  current,
});
const grid = (grid_id: number | null) => ({
  key: grid_id === null ? 'new:9' : String(grid_id), grid_id, number: 9, name: '', blocks: 1, households: 1, in_difficulty: 0, area_km2: 0, households_in: 0, households_out: 0,
});

describe('the plans panel', () => {
  it("asks before an apply with the draft's own figures, naming only what happens", () => {
    expect(applyQuestion({ id: 7 }, { households_moving: 120, grids: [grid(1), grid(null), grid(null)], removed_grids: [{ grid_id: 3, number: 3, name: '', households: 0 }] }))
      .toBe('生效草案 #7？\n120 户将调整网格，新建 2 个网格，撤销 1 个网格。');
    expect(applyQuestion({ id: 8 }, { households_moving: 0, grids: [grid(1)], removed_grids: [] })).toBe('生效草案 #8？\n0 户将调整网格。');
  });

  it("asks before a revert with the dry run's figures", () => {
    expect(revertQuestion({ id: 3 }, { plan: 3, households_moved: 1234, grids_restored: 1, grids_removed: 0, grids_reshaped: 2 }))
      .toBe('撤回方案 #3？\n1,234 户将回到原网格；恢复被撤销的 1 个网格，2 个网格的边界恢复原样。');
    expect(revertQuestion({ id: 4 }, { plan: 4, households_moved: 5, grids_restored: 0, grids_removed: 0, grids_reshaped: 0 }))
      .toBe('撤回方案 #4？\n5 户将回到原网格。');
  });

  it('offers the newest current draft of each community, by name', () => {
    const list = [
      summary(9, 2, '乙社区', 'draft', false),
      summary(8, 2, '乙社区', 'draft'),
      summary(7, 1, '甲社区', 'applied'),
      summary(6, 2, '乙社区', 'draft'),
      summary(5, 1, '甲社区', 'draft'),
      summary(4, 3, '丙社区', 'reverted'),
    ];
    // 甲 (jiǎ) sorts before 乙 (yǐ) in Chinese order; the stale #9 and the older #6 are passed over
    expect(newestDrafts(list).map((p) => [p.id, p.community_name])).toEqual([[5, '甲社区'], [8, '乙社区']]);
  });

  it('marks only the errors that have a geometry', () => {
    const point = { type: 'Point' as const, coordinates: [1, 2] };
    const errors = [
      { code: 'empty_grid', message: 'a', geometry: null },
      { code: 'empty_grid', message: 'b', geometry: point },
    ] as PlanError[];
    expect(errorGeometries(errors)).toEqual([point]);
  });

  it("turns only the asked statuses of the server's answer into a refusal", () => {
    const errors = [{ code: 'empty_grid', message: 'x', geometry: null }];
    const stale = new ApiError('409', '/api/plans/1/apply', 409, '已过期', null, { error: '已过期', errors });
    expect(refusal(stale, [409, 422])).toEqual({ status: 409, message: '已过期', errors });
    expect(refusal(stale, [400])).toBeNull();
    expect(refusal(new ApiError('400', '/x', 400), [400])).toEqual({ status: 400, message: null, errors: [] });
    expect(refusal(new ApiError('offline', '/x', null), [400, 409])).toBeNull();
    expect(refusal(new Error('boom'), [400])).toBeNull();
  });
});
