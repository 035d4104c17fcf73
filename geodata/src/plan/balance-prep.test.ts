import { describe, expect, it } from 'vitest';
import { createAssignment, withLock, type Assignment } from './assignment.ts';
import { balanceSize, checkBalance, defaultGridLabel, regionOfGrid, unlockedRegions, type BalanceInput } from './balance-prep.ts';
import { latticeGraph } from './graph.ts';

/** What the balancer hands the checks, from an assignment. */
function input(a: Assignment, opts: { grids?: number; target?: number; tolerance?: number } = {}): BalanceInput {
  const G = a.grids.length;
  const active = new Uint8Array(G), hh = new Float64Array(G);
  for (let b = 0; b < a.graph.n; b++) {
    active[a.blockGrid[b]] = 1;
    hh[a.blockGrid[b]] += a.graph.households[b];
  }
  const size = balanceSize(a.graph.households, active.reduce((s, x) => s + x, 0), opts);
  return {
    g: a.graph, keys: a.grids, cur: a.blockGrid, active, locked: Uint8Array.from(a.grids, (k) => (a.locked.has(k) ? 1 : 0)), hh,
    grids: size.grids, target: size.target, tolerance: size.tolerance, label: defaultGridLabel,
  };
}
const codes = (r: ReturnType<typeof checkBalance>) => ('reasons' in r ? r.reasons.map((x) => x.code) : []);

// a row of 6 blocks of 10 households
const row = latticeGraph(6, 1, () => 10);
const rowOf = (grids: string) => createAssignment(row, Object.fromEntries(row.ids.map((id, i) => [id, grids[i]])));

describe('balance preparation', () => {
  it('sizes the run: grids in use, the mean as target unless one is given, ±10 %', () => {
    const h = Float64Array.from([10, 20, 30]);
    expect(balanceSize(h, 2, {})).toEqual({ grids: 2, target: 30, tolerance: 0.1, toleranceHouseholds: 3, total: 60 });
    expect(balanceSize(h, 2, { grids: 3, tolerance: 0.2 })).toMatchObject({ grids: 3, target: 20, toleranceHouseholds: 4 });
    expect(balanceSize(h, 2, { target: 25 }).target).toBe(25);
    expect(balanceSize(h, 2, { target: 0 }).target).toBe(30);
    expect(balanceSize(h, 0, {}).target).toBe(0);
  });

  it('finds the regions between locked grids and which region a grid is in', () => {
    const a = withLock(rowOf('aaxbbb'), 'x', true);
    const { region, households, blocks } = unlockedRegions(row, a.blockGrid, input(a).locked);
    expect(Array.from(region)).toEqual([0, 0, -1, 1, 1, 1]);
    expect(households).toEqual([20, 30]);
    expect(blocks).toEqual([2, 3]);
    expect(regionOfGrid(a.blockGrid, region, a.grids.indexOf('b'))).toBe(1);
    expect(regionOfGrid(a.blockGrid, region, 99)).toBe(-1);
  });

  it('shares the grids asked for between regions, each added one where households per grid are highest', () => {
    // a (20) | x locked | b (30): 4 grids = x + 3; b gets the extra one
    const r = checkBalance(input(withLock(rowOf('aaxbbb'), 'x', true), { grids: 4, target: 15, tolerance: 0.5 }));
    expect(r).toMatchObject({ gridsPerRegion: [1, 2] });
    // one grid fewer than there are: taken from the region with the fewest per grid, never below 1
    expect(checkBalance(input(rowOf('aabbcc'), { grids: 2, tolerance: 0.5 }))).toMatchObject({ gridsPerRegion: [2] });
  });

  it('refuses, with the numbers, what no plan can meet', () => {
    expect(codes(checkBalance(input(rowOf('aabbcc'), { grids: 0 })))).toEqual(['bad_grid_count']);
    expect(codes(checkBalance(input(rowOf('aabbcc'), { grids: 7 })))).toEqual(['bad_grid_count']);
    // 3 grids, 60 households: 20 each, so a locked grid of 10 is out of ±10 %
    const locked = checkBalance(input(withLock(rowOf('abbbcc'), 'a', true)));
    expect(locked).toEqual({ reasons: [expect.objectContaining({ code: 'locked_out_of_tolerance', grid: 'a', message: expect.stringContaining('网格 a已锁定，但有 10 户') })] });
    // a target of 5 ± 10 %: every 10-household block is too large (the first five are named)
    const big = checkBalance(input(rowOf('aabbcc'), { target: 5 }));
    expect(codes(big)).toEqual(Array(5).fill('block_too_large'));
    // grid a in two pieces
    expect(codes(checkBalance(input(rowOf('abaccc'), { tolerance: 0.9 })))).toEqual(['not_contiguous']);
    // x locked in the middle leaves 2 regions: 2 grids cannot cover x and both
    expect(codes(checkBalance(input(withLock(rowOf('aaxxbb'), 'x', true), { grids: 2, tolerance: 1 })))).toEqual(['bad_grid_count']);
    // a (20) | x (20) locked | b (20) is fine at 3 grids; a (10) | x | b (30) is not
    expect('gridsPerRegion' in checkBalance(input(withLock(rowOf('aaxxbb'), 'x', true)))).toBe(true);
    expect(codes(checkBalance(input(withLock(rowOf('axxbbb'), 'x', true))))).toEqual(['locked_remainder', 'locked_remainder']);
  });
});
