import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLocale } from '../i18n';
import { applyQuestion, revertQuestion, statusLabel } from './plans.ts';
import { balanceAdvice, checkBalanceSettings, parseTarget } from './target.ts';
import { reasonsText } from './text.ts';

const grid = (grid_id: number | null) => ({
  key: grid_id === null ? 'new:9' : String(grid_id), grid_id, number: 9, name: '', blocks: 1, households: 1, in_difficulty: 0, area_km2: 0, households_in: 0, households_out: 0,
});

describe('the planner in English', () => {
  beforeEach(() => applyLocale('en'));
  afterEach(() => applyLocale('zh-CN'));

  it('checks the settings and advises in English', () => {
    expect(parseTarget('0').error).toBe('The target size must be 1–5000 households');
    expect(checkBalanceSettings(500, 0)).toEqual({ ok: false, errors: ['Steps must be a whole number from 1000 to 200000', 'The tolerance must be between ±1% and ±50%'] });
    expect(balanceAdvice({ steps: 20000, tolerancePct: 10 }, 12.34))
      .toBe('after 20000 steps the largest deviation is 12.3%, not within ±10%: raise the steps to 40000, or widen the tolerance to ±13%');
  });

  it('asks before an apply and a revert in English, with plurals', () => {
    expect(applyQuestion({ id: 7 }, { households_moving: 120, grids: [grid(1), grid(null)], removed_grids: [{ grid_id: 3, number: 3, name: '', households: 0 }, { grid_id: 4, number: 4, name: '', households: 0 }] }))
      .toBe('Apply draft #7?\n120 households will change grid, 1 new grid, 2 grids removed.');
    expect(revertQuestion({ id: 3 }, { plan: 3, households_moved: 1234, grids_restored: 1, grids_removed: 0, grids_reshaped: 2 }))
      .toBe('Revert plan #3?\n1,234 households will return to their former grids; 1 removed grid restored, 2 grid boundaries restored.');
    expect(statusLabel('applied')).toBe('Applied');
    expect(statusLabel('odd')).toBe('odd');
  });

  it("shows the English half of the library's findings", () => {
    expect(reasonsText([{ message: '网格 3不连通，分成 2 块 (26 would be split into 2 parts)' }, { message: '甲 (a)' }])).toBe('26 would be split into 2 parts; a');
  });
});
