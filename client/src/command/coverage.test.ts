import { describe, expect, it } from 'vitest';
import { coveragePercent, coverageTotals } from './coverage';

describe('coverage totals', () => {
  const rows = new Map([
    [1, { households: 100, covered: 80 }],
    [2, { households: 50, covered: 10 }],
    [3, { households: 0, covered: 0 }],
  ]);

  it('sums the rows in view and counts the grids under half covered', () => {
    expect(coverageTotals(rows, null)).toEqual({ households: 150, covered: 90, uncovered: 60, lowGrids: 1 });
    expect(coverageTotals(rows, new Set([1, 3]))).toEqual({ households: 100, covered: 80, uncovered: 20, lowGrids: 0 });
  });

  it('gives the share with one decimal, a dash without households', () => {
    expect(coveragePercent(coverageTotals(rows, null))).toBe('60.0');
    expect(coveragePercent(coverageTotals(rows, new Set([3])))).toBe('—');
    expect(coveragePercent(null)).toBe('—');
  });
});
