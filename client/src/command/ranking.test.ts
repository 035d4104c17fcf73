import { describe, expect, it } from 'vitest';
import { rankByCoverage } from './ranking';

describe('coverage ranking', () => {
  it('orders units by covered share, those without data last', () => {
    const units = [
      { id: 1, name: '甲', households: 150 },
      { id: 2, name: '乙', households: 40 },
      { id: 3, name: '丙', households: 7 },
    ];
    const grids = [
      { id: 10, unit: 1 },
      { id: 11, unit: 1 },
      { id: 20, unit: 2 },
      { id: 30, unit: 3 },
    ];
    const rows = new Map([
      [10, { households: 100, covered: 50 }],
      [11, { households: 50, covered: 10 }],
      [20, { households: 40, covered: 30 }],
    ]);
    const ranked = rankByCoverage(units, grids, (g) => g.id, (g) => g.unit, rows);
    expect(ranked.map((r) => r.id)).toEqual([2, 1, 3]);
    expect(ranked[0].share).toBeCloseTo(0.75);
    expect(ranked[1].share).toBeCloseTo(0.4);
    expect(ranked[2].share).toBeNull();
    expect(rankByCoverage(units, grids, (g) => g.id, (g) => g.unit, null).every((r) => r.share === null)).toBe(true);
  });
});
